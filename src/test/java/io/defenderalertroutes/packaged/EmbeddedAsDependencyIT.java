package io.defenderalertroutes.packaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.defenderalertroutes.defender.Timestamps;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.emulator.DefenderEmulator;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Emulated;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundle as a user embeds it: the thin artifact installed in the local Maven repository, then another
 * camel-main application (src/it/host-app: its own pom, class, routes, bean and Quartz job, and the lines of docs/kamelet-and-embedding.md
 * that switch the bundle on) built on its own with Maven and run. Both run side by side, and the host's classpath
 * holds one Camel.
 */
class EmbeddedAsDependencyIT {

    private static final Path PROJECT = Path.of("").toAbsolutePath();
    private static final String VERSION = System.getProperty("bundle.version", "0.1.0-SNAPSHOT");

    @TempDir
    Path dir;

    @Test
    void aHostApplicationBuiltOnItsOwnRunsTheInstalledBundleBesideItsOwnRoutes() throws Exception {
        // what `mvn install` leaves in the local repository: the thin jar and the pom that declares its dependencies
        run(PROJECT, Duration.ofMinutes(5), "mvn", "-B", "-q", "install:install-file",
                "-Dfile=" + PROJECT.resolve("target/defender-alert-routes.jar"), "-DpomFile=pom.xml");
        Path host = copy(PROJECT.resolve("src/it/host-app"), dir.resolve("host-app"));
        run(host, Duration.ofMinutes(5), "mvn", "-B", "-q", "package", "dependency:build-classpath",
                "-Dmdep.outputFile=cp.txt", "-Dbundle.version=" + VERSION);
        List<String> classpath = Arrays.asList(Files.readString(host.resolve("cp.txt")).trim().split(java.io.File.pathSeparator));
        assertEquals(1, classpath.stream().filter(e -> e.contains("camel-core-engine")).count(), "one Camel: " + classpath);
        assertTrue(classpath.stream().anyMatch(e -> e.endsWith("defender-alert-routes-" + VERSION + ".jar")), classpath.toString());

        try (DefenderEmulator emulator = Emulated.tenant()) {
            emulator.putAlert(Bundle.TENANT_ID, AlertJson.alert("embedded-1",
                    Timestamps.format(Instant.now().minus(Duration.ofHours(1))), "New", "High", "Malware"));
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Djavax.net.ssl.trustStore=" + DefenderEmulator.trustStoreFile(),
                    "-Djavax.net.ssl.trustStorePassword=" + DefenderEmulator.TRUST_STORE_PASSWORD,
                    "-cp", host.resolve("target/classes") + java.io.File.pathSeparator + String.join(java.io.File.pathSeparator, classpath),
                    "example.HostApp");
            ProcessBuilder builder = new ProcessBuilder(cmd).directory(host.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("host.txt").toFile());
            builder.environment().keySet().removeIf(k -> k.startsWith("DEFENDER_") || k.startsWith("CAMEL_"));
            builder.environment().putAll(Map.of(
                    "DEFENDER_TENANT_ID", Bundle.TENANT_ID, "DEFENDER_TENANT_NAME", "contoso",
                    "DEFENDER_CLIENT_ID", Bundle.CLIENT_ID, "DEFENDER_CLIENT_SECRET", Bundle.CLIENT_SECRET,
                    "DEFENDER_AUTHORITY_URL", emulator.baseUrl(), "DEFENDER_API_URL", emulator.baseUrl(),
                    "DEFENDER_STATE_DIR", dir.resolve("state").toString(),
                    "DEFENDER_SINK_FILE_DIR", dir.resolve("alerts").toString()));
            Process app = builder.start();
            assertTrue(app.waitFor(3, TimeUnit.MINUTES), "the host application ends by itself");
            String output = Files.readString(dir.resolve("host.txt"));
            assertEquals(0, app.exitValue(), output);
            assertTrue(output.contains("host greeting: hello from the host"), output);
            assertTrue(output.contains("routes: [defender-action, defender-action-outbox, defender-action-result-file, "
                    + "defender-action-result-http, defender-action-result-kafka, defender-action-results, "
                    + "defender-action-to-outbox, defender-action-to-request-topic, "
                    + "defender-actions-broker-check, defender-actions-http, defender-actions-http-result, "
                    + "defender-actions-inbox, defender-actions-kafka, "
                    + "defender-alert-flow, defender-api-attempt, defender-api-call, "
                    + "defender-dead-letter, defender-dead-letter-replay, defender-dead-letter-replay-now, "
                    + "defender-dead-letter-replay-timer, defender-incident-alert, defender-notify, defender-notify-email, defender-on-demand-poll, defender-poll-contoso, "
                    + "defender-sink-file, defender-sink-hold, defender-sink-http, "
                    + "defender-sink-kafka, defender-sink-kafka-batch, defender-status-json, defender-status-page, "
                    + "defender-tenants-reload, defender-tenants-reload-now, defender-tenants-rescan, host-greeter, host-nightly]"), output);
            assertTrue(output.contains("host bean fileEnvelope: java.lang.StringBuilder"), "the host's bean keeps its name");
            assertTrue(output.contains("quartz started: true, host job: true"), output);
            assertTrue(output.contains("alert files: [embedded-1_"), output);
        }
    }

    private static void run(Path workingDir, Duration timeout, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS), String.join(" ", command));
        assertEquals(0, process.exitValue(), String.join(" ", command) + "\n" + output);
    }

    private static Path copy(Path from, Path to) throws IOException {
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(from)) {
            walk.forEach(paths::add);
        }
        for (Path path : paths) {
            Path target = to.resolve(from.relativize(path).toString());
            if (Files.isDirectory(path)) {
                Files.createDirectories(target);
            } else {
                Files.copy(path, target);
            }
        }
        return to;
    }
}
