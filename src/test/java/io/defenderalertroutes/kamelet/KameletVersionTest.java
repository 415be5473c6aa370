package io.defenderalertroutes.kamelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Kamelets name the bundle's own artifact among their dependencies at the pom's version: the source holds
 * {@code ${project.version}}, and the copy the build puts on the classpath (the one the jar carries and the tests
 * load) holds the version itself.
 */
public class KameletVersionTest {

    private static final String ARTIFACT = "mvn:io.defenderalertroutes:defender-alert-routes:";

    /** The project's own version, read off pom.xml (the first version after its artifactId). */
    public static String pomVersion() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher version = Pattern.compile("<artifactId>defender-alert-routes</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(pom);
        assertTrue(version.find(), "pom.xml names its version");
        return version.group(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"defender-alert-source", "defender-action-sink"})
    void thePackagedKameletNamesThePomsVersion(String kamelet) throws Exception {
        String name = kamelet + ".kamelet.yaml";
        String source = Files.readString(Path.of("routes/kamelets", name));
        assertTrue(source.contains("\"" + ARTIFACT + "${project.version}\""), "the source takes the version from the pom");
        String packaged;
        try (InputStream in = getClass().getClassLoader()
                .getResourceAsStream("defender-alert-routes/routes/kamelets/" + name)) {
            assertNotNull(in, name + " is on the classpath");
            packaged = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> named = packaged.lines().map(String::trim).filter(l -> l.contains(ARTIFACT)).toList();
        assertEquals(List.of("- \"" + ARTIFACT + pomVersion() + "\""), named);
        // nothing else in the Kamelet changed on its way through the filter
        assertEquals(source.replace("${project.version}", pomVersion()), packaged);
    }
}
