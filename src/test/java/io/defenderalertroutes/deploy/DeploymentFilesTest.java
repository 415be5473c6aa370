package io.defenderalertroutes.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The deployment files, checked as far as a machine without a Docker engine can: the compose file by the
 * docker-compose client's own validation (Debian's docker-compose, which {@code .ci/run} installs), and the
 * promises the README makes about them read off the files themselves.
 */
class DeploymentFilesTest {

    private static final Path COMPOSE = Path.of("docker-compose.yml");
    private static final Path DOCKERFILE = Path.of("src/main/docker/Dockerfile");
    private static final Path EMULATOR_DOCKERFILE = Path.of("src/emulator/docker/Dockerfile");

    @Test
    void theComposeFileIsValidForTheComposeClient() throws Exception {
        boolean available = onPath("docker-compose");
        if (!available && System.getenv("CI") == null) {
            assumeTrue(false, "docker-compose is not installed here (.ci/run installs it)");
        }
        assertTrue(available, "docker-compose is not installed; .ci/run installs Debian's docker-compose");
        Process config = new ProcessBuilder("docker-compose", "-f", COMPOSE.toString(), "config", "-q")
                .redirectErrorStream(true).start();
        assertTrue(config.waitFor(60, TimeUnit.SECONDS));
        String output = new String(config.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, config.exitValue(), output);
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeRunsKafkaTheEmulatorAndTwoInstancesAsTheReadmeSays() throws Exception {
        Map<String, Object> compose = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(COMPOSE));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");

        Map<String, Object> kafka = services.get("kafka");
        assertTrue(kafka.get("image").toString().matches("apache/kafka:\\d+\\.\\d+\\.\\d+"), "Kafka's tag is pinned");
        assertTrue(kafka.containsKey("healthcheck"));
        String listeners = ((Map<String, Object>) kafka.get("environment")).get("KAFKA_ADVERTISED_LISTENERS").toString();
        assertTrue(listeners.contains("kafka:29092") && listeners.contains("localhost:9092"), listeners);

        assertTrue(services.containsKey("defender-emulator"), "the emulator stands in for Microsoft");

        Map<String, Object> bundle = services.get("defender-alert-routes");
        Map<String, Object> env = (Map<String, Object>) bundle.get("environment");
        assertEquals("file", env.get("DEFENDER_HA"));
        assertEquals("kafka", env.get("DEFENDER_DEDUP"));
        assertEquals(2, ((Map<String, Object>) bundle.get("deploy")).get("replicas"));
        assertTrue(((List<String>) bundle.get("volumes")).stream().anyMatch(v -> v.startsWith("defender-state:")));
        assertEquals("kafka:29092", env.get("CAMEL_COMPONENT_KAFKA_BROKERS"));
        // a graceful stop needs longer than Camel's shutdown timeout
        Duration grace = Duration.ofSeconds(Long.parseLong(bundle.get("stop_grace_period").toString().replace("s", "")));
        assertTrue(grace.compareTo(Duration.ofSeconds(shutdownTimeoutSeconds())) > 0, "stop grace " + grace);
    }

    @Test
    void theImagesRunAsANonRootUserOnAJre() throws Exception {
        for (Path dockerfile : List.of(DOCKERFILE, EMULATOR_DOCKERFILE)) {
            List<String> lines = Files.readAllLines(dockerfile);
            String runtimeBase = lines.stream().filter(l -> l.startsWith("FROM ")).reduce((a, b) -> b).orElseThrow();
            assertTrue(runtimeBase.contains("-jre"), dockerfile + ": " + runtimeBase);
            String user = lines.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElseThrow();
            assertFalse(user.contains("root") || user.equals("USER 0"), dockerfile + ": " + user);
        }
    }

    @Test
    void theBundleImageHoldsOnlyTheRunnableBundle() throws Exception {
        List<String> copies = Files.readAllLines(DOCKERFILE).stream().filter(l -> l.startsWith("COPY --from")).toList();
        assertEquals(List.of("COPY --from=build /build/target/defender-alert-routes-runnable.jar /app/defender-alert-routes.jar"),
                copies);
        assertTrue(Files.readAllLines(DOCKERFILE).stream().noneMatch(l -> l.startsWith("COPY") && l.contains("emulator")));
    }

    @Test
    void noSecretIsCommittedWithTheDeployment() throws Exception {
        List<String> example = Files.readAllLines(Path.of(".env.example"));
        assertTrue(example.contains("DEFENDER_CLIENT_SECRET="), "the example leaves the secret empty");
        assertFalse(Files.exists(Path.of(".env")) && tracked(".env"), ".env must never be committed");
    }

    private static long shutdownTimeoutSeconds() throws Exception {
        return Files.readAllLines(Path.of("application.properties")).stream()
                .filter(l -> l.startsWith("camel.main.shutdown-timeout="))
                .map(l -> Long.parseLong(l.substring(l.indexOf('=') + 1).trim())).findFirst().orElse(45L);
    }

    private static boolean tracked(String file) throws Exception {
        Process git = new ProcessBuilder("git", "ls-files", "--error-unmatch", file).redirectErrorStream(true).start();
        return git.waitFor(30, TimeUnit.SECONDS) && git.exitValue() == 0;
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
