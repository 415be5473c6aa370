package io.defenderalertroutes.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class EnvironmentOverridesTest {

    /**
     * Why Application maps these variables itself: camel-main 4.18.0 filters the environment with the prefix
     * "camel.component." against upper-case names, so no CAMEL_COMPONENT_* variable ever matches. Should a Camel
     * upgrade fix that, the first assertion fails and the mapping can go.
     */
    @Test
    void camelMainAloneIgnoresComponentVariablesAndTheBundlesMappingAppliesThem() throws Exception {
        Map<String, String> env = Map.of("CAMEL_COMPONENT_KAFKA_BROKERS", "from-env:9092");
        assertEquals("brokers=null", probe(env, List.of()), "plain camel-main");
        assertEquals("brokers=from-jvm:9092", probe(Map.of(), List.of("-Dcamel.component.kafka.brokers=from-jvm:9092")),
                "plain camel-main reads the same option as a JVM system property");
        assertEquals("brokers=from-env:9092", probe(env, List.of("with-mapping")), "with the bundle's mapping");
    }

    private static String probe(Map<String, String> env, List<String> options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))));
        options.stream().filter(o -> o.startsWith("-D")).forEach(cmd::add);
        cmd.add(KafkaBrokersProbe.class.getName());
        options.stream().filter(o -> !o.startsWith("-D")).forEach(cmd::add);
        // in a directory of its own, so that no application.properties of the project's is found there
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true)
                .directory(java.nio.file.Files.createTempDirectory("probe").toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("CAMEL_") || k.startsWith("DEFENDER_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return output.lines().filter(l -> l.startsWith("brokers=")).findFirst().orElse(output);
    }

    @Test
    void componentVariablesBecomeComponentOptions() {
        Map<String, String> options = Application.componentOptionsFromEnvironment(Map.of(
                "CAMEL_COMPONENT_KAFKA_BROKERS", "kafka:29092",
                "CAMEL_COMPONENT_KAFKA_SASL_PASSWORD", "pw",
                "CAMEL_COMPONENT_PLATFORM_HTTP_USE_GLOBAL_SSL_CONTEXT_PARAMETERS", "true",
                "CAMEL_MAIN_NAME", "ignored: camel-main maps its own groups",
                "PATH", "/usr/bin"), new Properties());
        assertEquals(Map.of("camel.component.kafka.brokers", "kafka:29092",
                "camel.component.kafka.sasl-password", "pw",
                "camel.component.platform-http.use-global-ssl-context-parameters", "true"), options);
    }

    @Test
    void aSystemPropertyWinsOverTheVariable() {
        Properties system = new Properties();
        system.setProperty("camel.component.kafka.brokers", "other:9092");
        assertEquals(Map.of(), Application.componentOptionsFromEnvironment(
                Map.of("CAMEL_COMPONENT_KAFKA_BROKERS", "kafka:29092"), system));
    }
}
