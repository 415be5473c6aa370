package io.defenderalertroutes.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The package layers of docs/layers.md, bottom to top: a package may use its own layer and those below, never one
 * above. Read from the product's compiled classes (not the tests, the emulator or the demo), so a reference that
 * needs no import statement (a fully qualified name, a same-named class in a method body) counts too.
 */
class LayersTest {

    private static final String ROOT = "io.defenderalertroutes";

    private static final JavaClasses PRODUCT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    private static String pkg(String name) {
        return ROOT + "." + name + "..";
    }

    static LayeredArchitecture layers() {
        return layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("configuration").definedBy(pkg("config"))
                .layer("foundations").definedBy(pkg("tenant"), pkg("auth"), pkg("state"), pkg("signing"), pkg("meters"),
                        pkg("gate"))
                .layer("defender").definedBy(pkg("defender"))
                .layer("flow").definedBy(pkg("criteria"), pkg("schedule"), pkg("sinks"))
                .layer("features").definedBy(pkg("actions"), pkg("observe"))
                .layer("high availability").definedBy(pkg("ha"))
                .layer("assembly").definedBy(pkg("assembly"))
                .layer("entry points").definedBy(pkg("kamelet"), pkg("app"))
                .withOptionalLayers(true)
                .whereLayer("entry points").mayNotBeAccessedByAnyLayer()
                .whereLayer("assembly").mayOnlyBeAccessedByLayers("entry points")
                .whereLayer("high availability").mayOnlyBeAccessedByLayers("assembly", "entry points")
                .whereLayer("features").mayOnlyBeAccessedByLayers("high availability", "assembly", "entry points")
                .whereLayer("flow").mayOnlyBeAccessedByLayers("features", "high availability", "assembly",
                        "entry points")
                .whereLayer("defender").mayOnlyBeAccessedByLayers("flow", "features", "high availability", "assembly",
                        "entry points")
                .whereLayer("foundations").mayOnlyBeAccessedByLayers("defender", "flow", "features",
                        "high availability", "assembly", "entry points")
                .whereLayer("configuration").mayOnlyBeAccessedByLayers("foundations", "defender", "flow", "features",
                        "high availability", "assembly", "entry points");
    }

    @Test
    void noPackageUsesOneOfALayerAboveIt() {
        layers().check(PRODUCT);
    }

    /** Within a layer packages may use each other, but never both ways round, however long the way. */
    @Test
    void packagesFormNoCycle() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(PRODUCT);
    }

    /** The OCSF and ECS mappings know JSON and their standard only: the sinks' transformers call them, never the other way round. */
    @ParameterizedTest
    @ValueSource(strings = {"ocsf", "ecs", "time"})
    void theFormatMappingsUseNothingOfTheSinks(String format) {
        // but the reading of Defender's times they share with CloudEvents, which uses only the JDK itself
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses().that().resideInAPackage(ROOT + ".sinks." + format)
                .should().dependOnClassesThat().resideOutsideOfPackages(ROOT + ".sinks." + format, ROOT + ".sinks.time",
                        "java..", "com.fasterxml.jackson..")
                .check(PRODUCT);
    }

    /** Every package of the product is in a layer: a new one must be placed before it can pass. */
    @Test
    void everyPackageHasALayer() {
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes().that().resideInAPackage(ROOT + "..")
                .should().resideInAnyPackage(pkg("config"), pkg("tenant"), pkg("auth"), pkg("state"), pkg("signing"),
                        pkg("meters"), pkg("defender"), pkg("criteria"), pkg("schedule"), pkg("sinks"), pkg("gate"),
                        pkg("actions"), pkg("observe"), pkg("ha"), pkg("assembly"), pkg("kamelet"), pkg("app"))
                .check(PRODUCT);
    }
}
