package io.defenderalertroutes.packaged;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.defenderalertroutes.emulator.DefenderEmulator;
import io.defenderalertroutes.testsupport.KafkaBroker;
import io.defenderalertroutes.testsupport.Management;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * What docker-compose.yml would run, run without Docker: the emulator with the compose file's own command line,
 * and the jar with the compose file's own environment (defaults as compose resolves them, no .env), the service
 * name {@code defender-emulator} resolved through a hosts file. Only what a container changes is changed: the
 * broker address, the paths under /app, the management port. Alerts must reach Kafka and readiness go UP.
 */
class ComposeEnvironmentIT {

    private static final String JAR = System.getProperty("bundle.jar", "target/defender-alert-routes-runnable.jar");
    private static final String EMULATOR_JAR = System.getProperty("emulator.jar", "target/defender-alert-routes-emulator.jar");
    private static final Path EMULATOR_DOCKERFILE = Path.of("src/emulator/docker/Dockerfile");
    private static final Path TRUST_STORE = Path.of("src/emulator/resources/emulator/emulator-trust.p12");
    private static final Pattern DEFAULTED = Pattern.compile("\\$\\{([A-Z0-9_]+)(:?-)([^}]*)}");

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void theComposeEmulatorAndBundleSettingsDeliverAlertsToKafka() throws Exception {
        Map<String, Object> compose = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(Path.of("docker-compose.yml")));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        Map<String, Object> emulatorService = services.get("defender-emulator");
        Map<String, Object> bundleService = services.get("defender-alert-routes");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path jar = Path.of(JAR).toAbsolutePath();
        Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 defender-emulator\n");

        // the emulator image runs its own jar (with emulator-lib beside it), as its Dockerfile says
        assertEquals(EMULATOR_DOCKERFILE.toString(), ((Map<String, Object>) emulatorService.get("build")).get("dockerfile"));
        assertTrue(Files.readString(EMULATOR_DOCKERFILE).contains(
                "ENTRYPOINT [\"java\", \"-jar\", \"/app/defender-alert-routes-emulator.jar\"]"));
        List<String> emulatorCommand = new ArrayList<>(List.of(java, "-jar", Path.of(EMULATOR_JAR).toAbsolutePath().toString()));
        emulatorCommand.addAll((List<String>) emulatorService.get("command"));
        ProcessBuilder emulatorBuilder = new ProcessBuilder(emulatorCommand)
                .redirectOutput(dir.resolve("emulator.txt").toFile()).redirectErrorStream(true);
        ((Map<String, Object>) emulatorService.get("environment")).forEach((k, v) -> emulatorBuilder.environment()
                .put(k, String.valueOf(v)));

        Map<String, String> env = new java.util.HashMap<>();
        ((Map<String, Object>) bundleService.get("environment")).forEach((k, v) -> env.put(k, composeDefault(String.valueOf(v))));
        // what a container provides differently
        env.put("CAMEL_COMPONENT_KAFKA_BROKERS", KafkaBroker.bootstrapServers());
        env.put("DEFENDER_STATE_DIR", dir.resolve("state").toString());
        env.put("DEFENDER_SINK_FILE_DIR", dir.resolve("alerts").toString());
        // the bundle's image has no test certificate: compose mounts the emulator's into the container
        assertEquals("/app/emulator-trust.p12", env.get("DEFENDER_TLS_TRUST_STORE"));
        assertTrue(((List<String>) bundleService.get("volumes")).contains("./" + TRUST_STORE + ":/app/emulator-trust.p12:ro"));
        env.put("DEFENDER_TLS_TRUST_STORE", TRUST_STORE.toAbsolutePath().toString());
        KafkaBroker.createTopic(env.get("DEFENDER_SINK_KAFKA_TOPIC"), 1);
        KafkaBroker.createTopic("defender-dead-letter", 1);
        Management management = new Management(Management.freePort());

        Process emulator = emulatorBuilder.start();
        Process bundle = null;
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(dir.resolve("emulator.txt"))
                    .contains("Seeded 200 synthetic alerts"));
            ProcessBuilder bundleBuilder = new ProcessBuilder(java, "-Djdk.net.hosts.file=" + hosts,
                    "-Dcamel.management.port=" + management.port(), "-jar", jar.toString())
                    .directory(dir.toFile()).redirectOutput(dir.resolve("bundle.txt").toFile()).redirectErrorStream(true);
            bundleBuilder.environment().keySet().removeIf(k -> k.startsWith("DEFENDER_") || k.startsWith("CAMEL_"));
            bundleBuilder.environment().putAll(env);
            bundle = bundleBuilder.start();

            String topic = env.get("DEFENDER_SINK_KAFKA_TOPIC");
            await().atMost(Duration.ofSeconds(90)).until(() -> KafkaBroker.consume(topic, 200, Duration.ofSeconds(1)).size() >= 200);
            List<ConsumerRecord<String, byte[]>> records = KafkaBroker.consume(topic, 1000, Duration.ofSeconds(2));
            Set<String> ids = new HashSet<>();
            records.forEach(r -> ids.add(r.key()));
            assertTrue(ids.size() >= 200, "the seeded alerts reached Kafka: " + ids.size());
            await().atMost(Duration.ofSeconds(30)).until(() -> management.get("/observe/health/ready").statusCode() == 200);
        } catch (AssertionError | RuntimeException e) {
            System.out.println(Files.readString(dir.resolve("bundle.txt")));
            throw e;
        } finally {
            if (bundle != null) {
                bundle.destroy();
                bundle.waitFor(30, TimeUnit.SECONDS);
            }
            emulator.destroy();
            emulator.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** A value as compose resolves it with none of the variables set: ${X:-default} and ${X-default} give default. */
    private static String composeDefault(String value) {
        Matcher m = DEFAULTED.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(3)));
        }
        m.appendTail(out);
        return out.toString();
    }
}
