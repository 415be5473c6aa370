package io.defenderalertroutes.packaged;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.defenderalertroutes.defender.Timestamps;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.emulator.DefenderEmulator;
import io.defenderalertroutes.testsupport.AlertFiles;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.JarInstance;
import io.defenderalertroutes.testsupport.Management;
import io.defenderalertroutes.testsupport.WorkedEdits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 24's scenario with the packaged jar: a copy of {@code routes/} with the drop-malware edit of
 * docs/reshaping.md, run as that page says ({@code -Dcamel.main.routes-include-pattern=file:routes/*.camel.yaml}),
 * 400 alerts over 30 days, 72 of them Malware, pages of 50, the file sink and a sink route of the user's own.
 */
class EditedRoutesIT {

    @TempDir
    Path dir;

    private static final String USER_SINK = """
            - route:
                id: defender-sink-triage
                from:
                  uri: direct:defender-sink-triage
                  steps:
                    - setHeader:
                        name: CamelFileName
                        simple: "${header.Defender-Alert-Id}.json"
                    - to: "file:triage"
            """;

    @Test
    void theReadmesDropEditDeliversEveryOtherAlertAndMovesTheCheckpoint() throws Exception {
        try (DefenderEmulator emulator = Emulated.tenant()) {
            Instant now = Instant.now();
            List<String> wanted = new ArrayList<>();
            String newest = null;
            for (int i = 0; i < 400; i++) {
                String id = String.format("e%03d", i);
                // every 25th alert lies just beyond the 30 days of the horizon, the others within it, oldest first
                Instant at = i % 25 == 0 ? now.minus(Duration.ofDays(31)).plusSeconds(i)
                        : now.minus(Duration.ofDays(29)).plus(Duration.ofMinutes(100L * i));
                String category = i % 50 < 9 ? "Malware" : "SuspiciousActivity";
                emulator.putAlert(Bundle.TENANT_ID, AlertJson.alert(id, Timestamps.format(at), "New", "High", category));
                if (i % 25 != 0 && !category.equals("Malware")) {
                    wanted.add(id);
                }
                if (i % 25 != 0) {
                    newest = Timestamps.format(at);
                }
            }
            Path routes = WorkedEdits.routesWith(dir.resolve("routes"), "drop-malware");
            Files.writeString(routes.resolve("sinks.camel.yaml"), USER_SINK, StandardOpenOption.APPEND);
            Map<String, String> env = Emulated.jarEnvironment(emulator, "edited");
            env.put("DEFENDER_POLL_PAGE_SIZE", "50");
            env.put("DEFENDER_POLL_MAX_HISTORICAL_START", "30 days ago");
            env.put("DEFENDER_SINKS", "file,triage");
            try (JarInstance jar = JarInstance.start("edited", dir, env,
                    "-Dcamel.main.routes-include-pattern=file:routes/*.camel.yaml")) {
                Path checkpoint = dir.resolve("state/edited.checkpoint");
                await().atMost(Duration.ofSeconds(90)).until(() -> Files.exists(checkpoint));
                assertEquals(newest, Files.readString(checkpoint).trim(), "the poll went through every page");
                assertEquals(wanted, AlertFiles.alertIds(dir.resolve("alerts")).stream().sorted().toList());
                try (var files = Files.list(dir.resolve("triage"))) {
                    assertEquals(wanted, files.map(f -> f.getFileName().toString().replace(".json", "")).sorted().toList());
                }
                String metrics = jar.management().metrics();
                double dropped = Management.sample(metrics, "defender_alerts_dropped_total", "tenant=\"edited\"",
                        "by=\"alert-flow\"").orElse(-1);
                // 64 Malware alerts lie within the horizon; one a page boundary offers twice counts twice
                org.junit.jupiter.api.Assertions.assertTrue(dropped >= 64 && dropped <= 64 + 8, "dropped " + dropped);
                assertEquals(0.0, Management.sample(metrics, "defender_polls_total", "tenant=\"edited\"",
                        "outcome=\"failed\"").orElse(-1));
                assertFalse(jar.output().contains(" WARN "), jar.output());
                System.out.printf("Issue 24, edited routes from the jar: %d of %d alerts in the horizon delivered to "
                        + "each sink, %.0f drops counted, checkpoint %s%n", wanted.size(), wanted.size() + 64, dropped,
                        newest);
            }
        }
    }
}
