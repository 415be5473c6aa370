package io.defenderalertroutes.packaged;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.emulator.DefenderEmulator;
import io.defenderalertroutes.testsupport.AlertFiles;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Emulated;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar, started with {@code java -jar} as a user starts it: configured from environment variables,
 * stopped with SIGTERM, and refusing bad configuration with one line.
 */
class PackagedJarIT {

    private static final String JAR = System.getProperty("bundle.jar", "target/defender-alert-routes-runnable.jar");
    private static final Path TARGET = Path.of(JAR).toAbsolutePath().getParent();

    @TempDir
    Path dir;

    private Process start(Map<String, String> env, String... command) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(dir.resolve("stdout.txt").toFile())
                .redirectError(dir.resolve("stderr.txt").toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("DEFENDER_"));
        builder.environment().putAll(env);
        return builder.start();
    }

    private String out() throws Exception {
        return Files.readString(dir.resolve("stdout.txt")) + Files.readString(dir.resolve("stderr.txt"));
    }

    @Test
    void badConfigurationStopsWithOneLineAndNoStackTrace() throws Exception {
        Process jar = start(Map.of("DEFENDER_CLIENT_ID", "12345"), "-jar", JAR);
        assertTrue(jar.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, jar.exitValue());
        List<String> errors = Files.readAllLines(dir.resolve("stderr.txt"));
        assertEquals(List.of("Invalid configuration: defender.tenant-id: is required but not set"), errors);
        assertFalse(out().contains("\tat "), "no stack trace for a user mistake");
    }

    /**
     * Issue 24's typos, each given to a jar that would start without it: as a JVM system property (the three and
     * the severity docs/configuration.md shows) and as an environment variable.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "-Ddefender.trigger.severtiy=High | defender.trigger.severtiy: unknown key; did you mean defender.trigger.severity?",
            "-Ddefender.poll.intervall=5 | defender.poll.intervall: unknown key; did you mean defender.poll.interval?",
            "-Ddefender.sink.file.formatt=ocsf | defender.sink.file.formatt: unknown key; did you mean defender.sink.file.format?",
            "-Ddefender.sink.file.layout=ocsf | defender.sink.file.layout: unknown key (the bundle's keys are those of its application.properties)",
            "-Ddefender.sink.file.format=xml | defender.sink.file.format: unknown format 'xml'; expected one of raw, cloudevents, ocsf, ecs",
            "DEFENDER_POLL_INTERVALL=5 | DEFENDER_POLL_INTERVALL: unknown key; did you mean DEFENDER_POLL_INTERVAL (defender.poll.interval)?"})
    void aMistypedGlobalKeyStopsWithOneLineNamingTheKeyItMeant(String key, String expected) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "DEFENDER_TENANT_ID", Bundle.TENANT_ID,
                "DEFENDER_CLIENT_ID", Bundle.CLIENT_ID,
                "DEFENDER_CLIENT_SECRET", Bundle.CLIENT_SECRET,
                "DEFENDER_AUTHORITY_URL", "https://localhost:1",
                "DEFENDER_API_URL", "https://localhost:1"));
        List<String> command = new ArrayList<>(List.of("-Dcamel.management.port=0"));
        if (key.startsWith("-D")) {
            command.add(key);
        } else {
            env.put(key.substring(0, key.indexOf('=')), key.substring(key.indexOf('=') + 1));
        }
        command.addAll(List.of("-jar", JAR));
        Process jar = start(env, command.toArray(String[]::new));
        assertTrue(jar.waitFor(60, TimeUnit.SECONDS), "stops at start-up");
        assertEquals(2, jar.exitValue(), out());
        assertEquals(List.of("Invalid configuration: " + expected), Files.readAllLines(dir.resolve("stderr.txt")));
        assertFalse(out().contains("\tat "), "no stack trace for a user mistake");
    }

    @Test
    void runsFromEnvironmentVariablesAndStopsGracefullyOnSigterm() throws Exception {
        try (DefenderEmulator emulator = Emulated.tenant()) {
            String recent = AlertJson.timestamp(java.time.Instant.now().minus(Duration.ofHours(1)));
            emulator.putAlert(Bundle.TENANT_ID, AlertJson.alert("env-1", recent, "New", "High", "Ransomware"));
            Path secretFile = Files.writeString(dir.resolve("client-secret"), Bundle.CLIENT_SECRET + "\n");
            Process jar = start(Map.of(
                            "DEFENDER_TENANT_ID", Bundle.TENANT_ID,
                            "DEFENDER_CLIENT_ID", Bundle.CLIENT_ID,
                            "DEFENDER_CLIENT_SECRET_FILE", secretFile.toString(),
                            "DEFENDER_AUTHORITY_URL", emulator.baseUrl(),
                            "DEFENDER_API_URL", emulator.baseUrl(),
                            "DEFENDER_POLL_ON_START", "true",
                            "DEFENDER_TRIGGER_SEVERITY", "High"),
                    "-Djavax.net.ssl.trustStore=" + DefenderEmulator.trustStoreFile(),
                    "-Djavax.net.ssl.trustStorePassword=" + DefenderEmulator.TRUST_STORE_PASSWORD,
                    "-Ddefender.tenant-name=envtest",
                    "-Dcamel.management.port=0",
                    "-jar", JAR);
            try {
                // the checkpoint is written at the poll's commit, a moment after the alert's file: wait for the poll
                await().atMost(Duration.ofSeconds(60)).until(() -> !AlertFiles.list(dir.resolve("alerts")).isEmpty()
                        && Files.exists(dir.resolve("state/envtest.checkpoint")) || !jar.isAlive());
                assertEquals(List.of("env-1"), AlertFiles.alertIds(dir.resolve("alerts")), out());
                assertTrue(Files.exists(dir.resolve("state/envtest.checkpoint")), "state in the working directory");
            } finally {
                jar.destroy();
            }
            assertTrue(jar.waitFor(60, TimeUnit.SECONDS), "stops on SIGTERM");
            String output = out();
            assertTrue(output.contains("shutdown in") || output.contains("is shutdown"), output);
            assertFalse(output.contains(Bundle.CLIENT_SECRET), "the client secret is never printed");
        }
    }

    /** As AKS's workload identity webhook sets up a pod: the token file and the IDs in AZURE_* variables, no secret. */
    @Test
    void signsInAsAnAksWorkloadIdentityFromTheWebhooksVariables() throws Exception {
        try (DefenderEmulator emulator = Emulated.tenant()) {
            io.defenderalertroutes.emulator.FederatedIssuer cluster = new io.defenderalertroutes.emulator.FederatedIssuer();
            String subject = "system:serviceaccount:security:defender-alert-routes";
            emulator.registerFederatedCredential(Bundle.TENANT_ID, Bundle.CLIENT_ID, cluster.issuer(), subject, cluster.publicKey());
            emulator.putAlert(Bundle.TENANT_ID, AlertJson.alert("wi-1",
                    AlertJson.timestamp(java.time.Instant.now().minus(Duration.ofHours(1))), "New", "High", "Malware"));
            Path token = Files.writeString(dir.resolve("azure-identity-token"), cluster.mint(subject, Duration.ofHours(1)));
            Process jar = start(Map.of(
                            "AZURE_FEDERATED_TOKEN_FILE", token.toString(),
                            "AZURE_TENANT_ID", Bundle.TENANT_ID,
                            "AZURE_CLIENT_ID", Bundle.CLIENT_ID,
                            "DEFENDER_AUTH_METHOD", "workload-identity",
                            "DEFENDER_AUTHORITY_URL", emulator.baseUrl(),
                            "DEFENDER_API_URL", emulator.baseUrl(),
                            "DEFENDER_POLL_ON_START", "true"),
                    "-Djavax.net.ssl.trustStore=" + DefenderEmulator.trustStoreFile(),
                    "-Djavax.net.ssl.trustStorePassword=" + DefenderEmulator.TRUST_STORE_PASSWORD,
                    "-Ddefender.tenant-name=aks",
                    "-Dcamel.management.port=0",
                    "-jar", JAR);
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(dir.resolve("state/aks.checkpoint")) || !jar.isAlive());
                assertEquals(List.of("wi-1"), AlertFiles.alertIds(dir.resolve("alerts")), out());
                assertEquals(1, emulator.assertionsAccepted(Bundle.TENANT_ID), "signed in with the federated token");
            } finally {
                jar.destroy();
            }
            assertTrue(jar.waitFor(60, TimeUnit.SECONDS), "stops on SIGTERM");
            assertTrue(out().contains("signs in with workload identity, federated token from " + token), out());
        }
    }

    @Test
    void theProductJarsHoldTheBundleAndNothingElse() throws Exception {
        for (String name : List.of("defender-alert-routes.jar", "defender-alert-routes-runnable.jar")) {
            List<String> ours;
            List<String> keys;
            try (java.util.jar.JarFile jar = new java.util.jar.JarFile(TARGET.resolve(name).toFile())) {
                List<String> entries = jar.stream().map(java.util.jar.JarEntry::getName).toList();
                ours = entries.stream().filter(e -> e.startsWith("io/defenderalertroutes/")).toList();
                keys = entries.stream().filter(e -> e.endsWith(".p12") || e.endsWith(".jks") || e.endsWith(".pem")).toList();
            }
            assertTrue(ours.stream().anyMatch(e -> e.startsWith("io/defenderalertroutes/app/")), name + " holds the bundle");
            for (String foreign : List.of("emulator", "demo", "benchmark", "reliability", "testsupport")) {
                assertTrue(ours.stream().noneMatch(e -> e.startsWith("io/defenderalertroutes/" + foreign + "/")),
                        name + " holds " + foreign + " classes");
            }
            assertEquals(List.of(), keys, name + " holds no certificate or key");
        }
        try (java.util.jar.JarFile thin = new java.util.jar.JarFile(TARGET.resolve("defender-alert-routes.jar").toFile())) {
            assertTrue(thin.stream().noneMatch(e -> e.getName().startsWith("org/apache/camel/")),
                    "the artifact a host depends on declares Camel rather than carrying it");
            // the Kamelets in the jar name the bundle at the pom's version (resource filtering), not a literal
            String version = io.defenderalertroutes.kamelet.KameletVersionTest.pomVersion();
            for (String kamelet : List.of("defender-alert-source", "defender-action-sink")) {
                var entry = thin.getJarEntry("defender-alert-routes/routes/kamelets/" + kamelet + ".kamelet.yaml");
                String text = new String(thin.getInputStream(entry).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertTrue(text.contains("\"mvn:io.defenderalertroutes:defender-alert-routes:" + version + "\""),
                        kamelet + " names version " + version);
                assertFalse(text.contains("${project.version}"), kamelet);
            }
        }
    }

    @Test
    void theEmulatorRunsFromItsOwnJar() throws Exception {
        int port = io.defenderalertroutes.testsupport.Management.freePort();
        Process emulator = start(Map.of(), "-jar", TARGET.resolve("defender-alert-routes-emulator.jar").toString(),
                "--port", String.valueOf(port));
        try {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> out().contains("Defender emulator listening on"));
        } finally {
            emulator.destroy();
            emulator.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theReadmeDemoRunsFromTheJar() throws Exception {
        Process demo = start(Map.of(), "-jar", TARGET.resolve("defender-alert-routes-demo.jar").toString(), "demo-output");
        assertTrue(demo.waitFor(120, TimeUnit.SECONDS));
        String output = out();
        assertEquals(0, demo.exitValue(), output);
        assertTrue(output.contains("defender-alert-routes demo: summary"), output);
        assertTrue(output.contains("token requests     1 for both polls"), output);
        // paths as the user gave them, relative to the working directory: no machine's layout in the output
        assertTrue(output.contains("(its log: demo-output/demo.log)"), output);
        assertTrue(output.contains("alert files        demo-output/alerts/demo-tenant ("), output);
        assertFalse(output.contains(dir.toAbsolutePath().toString()), output);
        List<Path> files = AlertFiles.list(dir.resolve("demo-output/alerts"));
        assertTrue(files.size() > 50, "alerts written: " + files.size());
        assertTrue(output.contains("(" + files.size() + " files)"), output);
        assertFalse(new File(dir.toFile(), "demo-output/alerts/demo-tenant").list().length == 0);
        // quiet: a few lines of progress and the summary on the console, the log in its file
        assertTrue(output.lines().count() <= 16, "console lines: " + output.lines().count() + "\n" + output);
        assertTrue(Files.readString(dir.resolve("demo-output/demo.log")).contains("Poll of tenant demo-tenant done"));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"graph-incidents", "defender-incidents"})
    void theIncidentDemoRunsFromTheJar(String source) throws Exception {
        Process demo = start(Map.of(), "-jar", TARGET.resolve("defender-alert-routes-demo.jar").toString(),
                "demo-" + source, "--source=" + source);
        assertTrue(demo.waitFor(120, TimeUnit.SECONDS));
        String output = out();
        assertEquals(0, demo.exitValue(), output);
        assertTrue(output.contains("defender-alert-routes demo (" + source + "): summary"), output);
        assertTrue(output.contains("3 incident(s) (2 of them updates) and 6 alerts delivered"), output);
        assertTrue(output.contains("Defender API       0 calls"), output);
        List<Path> files = AlertFiles.list(dir.resolve("demo-" + source + "/alerts"));
        assertTrue(output.contains("(" + files.size() + " files)"), output);
    }

    @Test
    void aKillDashNineMidPollLosesNothingAndRepeatsOnlyThatPoll() throws Exception {
        try (DefenderEmulator emulator = Emulated.tenant();
                io.defenderalertroutes.testsupport.PlaybookHandler handler = new io.defenderalertroutes.testsupport.PlaybookHandler()) {
            List<String> all = Emulated.seed(emulator, "k", 12, java.time.Instant.now().minus(Duration.ofHours(5)),
                    Duration.ofMinutes(1));
            Map<String, String> env = Emulated.jarEnvironment(emulator, "crash");
            env.put("DEFENDER_POLL_PAGE_SIZE", "3");
            env.put("DEFENDER_SINKS", "file,http");
            env.put("DEFENDER_SINK_HTTP_URLS", handler.url("/crash"));
            String[] command = {"-Djavax.net.ssl.trustStore=" + DefenderEmulator.trustStoreFile(),
                    "-Djavax.net.ssl.trustStorePassword=" + DefenderEmulator.TRUST_STORE_PASSWORD,
                    "-Dcamel.management.port=0", "-jar", JAR};

            // each page takes a while, so the poll is surely in flight when the process dies
            emulator.setResponseDelay(Duration.ofMillis(700));
            Process first = start(env, command);
            await().atMost(Duration.ofSeconds(60)).until(() -> AlertFiles.list(dir.resolve("alerts")).size() >= 4);
            first.destroyForcibly();
            assertTrue(first.waitFor(30, TimeUnit.SECONDS));
            List<String> beforeCrash = AlertFiles.alertIds(dir.resolve("alerts"));
            assertTrue(beforeCrash.size() < all.size(), "killed mid-poll: " + beforeCrash);
            assertFalse(Files.exists(dir.resolve("state/crash.checkpoint")), "the interrupted poll moved no checkpoint");

            emulator.setResponseDelay(Duration.ZERO);
            Process second = start(env, command);
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(dir.resolve("state/crash.checkpoint")));
            } finally {
                second.destroy();
                second.waitFor(30, TimeUnit.SECONDS);
            }
            assertEquals(all, AlertFiles.alertIds(dir.resolve("alerts")), "every alert delivered, none lost");
            List<String> posted = handler.requests().stream().map(r -> r.header("Defender-Alert-Id")).toList();
            assertEquals(all, posted.stream().distinct().sorted().toList());
            long repeats = posted.size() - all.size();
            assertTrue(repeats <= 1, "repeats are limited to the alert in flight when the process died: " + posted);
        }
    }
    @Test
    void sigtermMidPollAbandonsThePollWithoutMovingTheCheckpointAndARestartDeliversTheRest() throws Exception {
        try (DefenderEmulator emulator = Emulated.tenant()) {
            List<String> all = Emulated.seed(emulator, "t", 12, java.time.Instant.now().minus(Duration.ofHours(5)),
                    Duration.ofMinutes(1));
            Map<String, String> env = Emulated.jarEnvironment(emulator, "term");
            env.put("DEFENDER_POLL_PAGE_SIZE", "2");
            String[] command = {"-Djavax.net.ssl.trustStore=" + DefenderEmulator.trustStoreFile(),
                    "-Djavax.net.ssl.trustStorePassword=" + DefenderEmulator.TRUST_STORE_PASSWORD,
                    "-Dcamel.management.port=0",
                    // a short grace, so that the poll in flight (slow pages) cannot finish within it
                    "-Dcamel.main.shutdown-timeout=3", "-jar", JAR};

            emulator.setResponseDelay(Duration.ofSeconds(2));
            Process first = start(env, command);
            await().atMost(Duration.ofSeconds(60)).until(() -> AlertFiles.list(dir.resolve("alerts")).size() >= 2);
            first.destroy();
            assertTrue(first.waitFor(60, TimeUnit.SECONDS), "SIGTERM stops the jar");
            List<String> beforeStop = AlertFiles.alertIds(dir.resolve("alerts"));
            assertTrue(beforeStop.size() < all.size(), "stopped mid-poll: " + beforeStop);
            assertFalse(Files.exists(dir.resolve("state/term.checkpoint")), "the abandoned poll moved no checkpoint");

            emulator.setResponseDelay(Duration.ZERO);
            Process second = start(env, command);
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(dir.resolve("state/term.checkpoint")));
            } finally {
                second.destroy();
                second.waitFor(30, TimeUnit.SECONDS);
            }
            assertEquals(all, AlertFiles.alertIds(dir.resolve("alerts")), "the restart delivered the rest");
        }
    }
}
