package io.defenderalertroutes.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.defenderalertroutes.defender.Timestamps;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.emulator.DefenderEmulator;
import io.defenderalertroutes.emulator.NextLinkMode;
import io.defenderalertroutes.testsupport.AlertFiles;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.Management;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How polls page, remember and move on, seen from the alerts directory, the checkpoint and the emulator's log. */
class PollingTest {

    private static final String TENANT = Bundle.TENANT_ID;

    @TempDir
    Path dir;

    private DefenderEmulator emulator;
    private Map<String, String> settings;

    @BeforeEach
    void start() throws Exception {
        emulator = Emulated.tenant();
        settings = Bundle.tenantOn(emulator.baseUrl(), dir);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }


    private List<String> delivered() {
        return AlertFiles.alertIds(dir.resolve("alerts"));
    }

    private String checkpoint() throws Exception {
        return Files.readString(dir.resolve("state/contoso.checkpoint")).trim();
    }

    @Test
    void theFirstPollComesOneIntervalAfterStartUnlessOnStart() throws Exception {
        emulator.putAlert(TENANT, AlertJson.alert("a1", Emulated.ago(Duration.ofHours(1)), "New", "High", "Malware"));
        try (Bundle bundle = Bundle.start(settings)) {
            var trigger = bundle.context().getComponent("quartz", org.apache.camel.component.quartz.QuartzComponent.class)
                    .getScheduler().getTrigger(org.quartz.TriggerKey.triggerKey("poll-contoso", "defender"));
            long wait = trigger.getNextFireTime().getTime() - System.currentTimeMillis();
            assertTrue(wait > Duration.ofMinutes(4).toMillis() && wait <= Duration.ofMinutes(5).toMillis(),
                    "next poll in " + wait + " ms");
            assertEquals(0, emulator.apiRequests(TENANT));
        }
        settings.put("defender.poll.on-start", "true");
        try (Bundle bundle = Bundle.start(settings)) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> delivered().equals(List.of("a1")));
        }
    }

    @Test
    void eachAlertFiresOnceAndUpdatesOnlyWhenAskedFor() throws Exception {
        emulator.putAlert(TENANT, AlertJson.alert("a1", Emulated.ago(Duration.ofMinutes(30)), "New", "High", "Malware"));
        try (Bundle bundle = Bundle.start(settings)) {
            bundle.pollNow();
            assertEquals(List.of("a1"), delivered());
            emulator.putAlert(TENANT, AlertJson.alert("a1", Emulated.ago(Duration.ofMinutes(1)), "InProgress", "High", "Malware"));
            bundle.pollNow();
            bundle.pollNow();
            assertEquals(List.of("a1"), delivered(), "updates off: the update does not fire");
        }

        settings.put("defender.trigger.updates", "true");
        settings.put("defender.state-dir", dir.resolve("state2").toString());
        settings.put("defender.sink.file.dir", dir.resolve("alerts2").toString());
        try (Bundle bundle = Bundle.start(settings)) {
            bundle.pollNow();
            String resolvedAt = Emulated.ago(Duration.ZERO);
            emulator.putAlert(TENANT, AlertJson.alert("a1", resolvedAt, "Resolved", "High", "Malware"));
            bundle.pollNow();
            bundle.pollNow();
            List<JsonNode> envelopes = AlertFiles.envelopes(dir.resolve("alerts2"));
            assertEquals(2, envelopes.size(), "updates on: each version fires once");
            assertEquals(List.of("InProgress/new", "Resolved/update"), envelopes.stream()
                    .map(e -> e.get("status").asText() + "/" + e.get("change").asText()).sorted().toList());
        }
    }

    @Test
    void nothingFiresAgainAfterARestartEvenWithoutTheCheckpoint() throws Exception {
        emulator.putAlert(TENANT, AlertJson.alert("a1", Emulated.ago(Duration.ofDays(3)), "New", "Low", "Malware"));
        emulator.putAlert(TENANT, AlertJson.alert("a2", Emulated.ago(Duration.ofMinutes(2)), "New", "Low", "Malware"));
        try (Bundle bundle = Bundle.start(settings)) {
            bundle.pollNow();
        }
        assertEquals(List.of("a1", "a2"), delivered());
        Files.delete(dir.resolve("state/contoso.checkpoint"));
        emulator.putAlert(TENANT, AlertJson.alert("a3", Emulated.ago(Duration.ofMinutes(1)), "New", "Low", "Malware"));
        try (Bundle bundle = Bundle.start(settings)) {
            bundle.pollNow();
        }
        assertEquals(List.of("a1", "a2", "a3"), delivered(), "a1 and a2 were fetched again but not delivered again");
    }

    @Test
    void pagesByTimeAcrossAlertsSharingOneTimestamp() throws Exception {
        // 11 alerts, page size 3; five share one instant written with different precision, across a page boundary
        Instant base = Instant.now().minus(Duration.ofHours(5)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        List<String> expected = new ArrayList<>();
        String[] shared = {base.plusSeconds(10) + "", Timestamps.format(base.plusSeconds(10)),
                base.plusSeconds(10).toString().replace("Z", ".0Z"), base.plusSeconds(10) + "", Timestamps.format(base.plusSeconds(10))};
        for (int i = 0; i < 11; i++) {
            String time = i >= 2 && i < 7 ? shared[i - 2] : Timestamps.format(base.plusSeconds(i * 60L).plusNanos(1234500));
            String id = "p" + (char) ('a' + i);
            emulator.putAlert(TENANT, AlertJson.alert(id, time, "New", "Medium", "Execution"));
            expected.add(id);
        }
        settings.put("defender.poll.page-size", "3");
        try (Bundle bundle = Bundle.start(settings)) {
            bundle.pollNow();
            assertEquals(expected, delivered());
            int calls = emulator.apiRequests(TENANT);
            assertTrue(calls <= 8, "paged in " + calls + " calls");
            emulator.setNextLinkMode(NextLinkMode.STUCK);
            bundle.pollNow();
            assertEquals(expected, delivered(), "a stuck nextLink neither loops nor re-delivers");
        }
    }

    @Test
    void aPageFullOfOneInstantIsSkippedThroughNotLoopedOn() throws Exception {
        String instant = Emulated.ago(Duration.ofHours(1));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            emulator.putAlert(TENANT, AlertJson.alert("same" + i, instant, "New", "Low", "Malware"));
            expected.add("same" + i);
        }
        settings.put("defender.poll.page-size", "2");
        try (Bundle bundle = Bundle.start(settings)) {
            bundle.pollNow();
        }
        assertEquals(expected, delivered());
        assertTrue(emulator.requestQueries(TENANT).stream().anyMatch(q -> q.contains("$skip=6")),
                () -> String.join("\n", emulator.requestQueries(TENANT)));
    }

    @Test
    void checkpointKeepsSevenAndTwoDigitPrecision() throws Exception {
        Instant base = Instant.now().minus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String seven = base.toString().replace("Z", ".7220239Z");
        String two = base.plusSeconds(2).toString().replace("Z", ".19Z");
        emulator.putAlert(TENANT, AlertJson.alert("seven", seven, "New", "Low", "Malware"));
        try (Bundle bundle = Bundle.start(settings)) {
            bundle.pollNow();
            assertEquals(seven, checkpoint());
            emulator.putAlert(TENANT, AlertJson.alert("two", two, "New", "Low", "Malware"));
            bundle.pollNow();
            assertEquals(two, checkpoint());
            bundle.pollNow();
            List<String> queries = emulator.requestQueries(TENANT);
            String last = queries.get(queries.size() - 1);
            String from = Timestamps.format(Instant.parse(two).minus(Duration.ofMinutes(5)));
            assertTrue(last.contains("lastUpdateTime ge " + from), last);
        }
        assertEquals(List.of("seven", "two"), delivered());
    }

    @Test
    void theHistoricalStartBoundsFirstPollAndCatchUp() throws Exception {
        emulator.putAlert(TENANT, AlertJson.alert("old", Emulated.ago(Duration.ofDays(40)), "New", "Low", "Malware"));
        emulator.putAlert(TENANT, AlertJson.alert("weekold", Emulated.ago(Duration.ofDays(7)), "New", "Low", "Malware"));
        emulator.putAlert(TENANT, AlertJson.alert("fresh", Emulated.ago(Duration.ofHours(3)), "New", "Low", "Malware"));
        try (Bundle bundle = Bundle.start(settings)) {
            bundle.pollNow();
        }
        assertEquals(List.of("fresh", "weekold"), delivered(), "default: 30 days ago");

        // downtime: the checkpoint is older than the horizon, so the catch-up stops at the horizon
        Files.writeString(dir.resolve("state/contoso.checkpoint"), Emulated.ago(Duration.ofDays(60)));
        settings.put("defender.state-dir", dir.resolve("state").toString());
        settings.put("defender.dedup", "memory");
        settings.put("defender.sink.file.dir", dir.resolve("catchup").toString());
        settings.put("defender.poll.max-historical-start", "2 days ago");
        try (Bundle bundle = Bundle.start(settings)) {
            bundle.pollNow();
        }
        assertEquals(List.of("fresh"), AlertFiles.alertIds(dir.resolve("catchup")));
    }

    @Test
    void anEmptyAnswerIsNormalAndOneTokenServesManyPolls() throws Exception {
        try (Bundle bundle = Bundle.start(settings)) {
            for (int i = 0; i < 5; i++) {
                bundle.pollNow();
            }
            assertEquals(5, emulator.apiRequests(TENANT));
            assertEquals(1, emulator.tokenRequests(TENANT));
            assertFalse(Files.exists(dir.resolve("state/contoso.checkpoint")), "no alert, no checkpoint");
            assertTrue(delivered().isEmpty());
            emulator.putAlert(TENANT, AlertJson.alert("late", Emulated.ago(Duration.ofMinutes(1)), "New", "Low", "Malware"));
            bundle.pollNow();
            assertEquals(List.of("late"), delivered());
        }
    }

    @Test
    void aTimerFiredOutOfScheduleIsSkippedLoggedAndCounted() throws Exception {
        emulator.putAlert(TENANT, AlertJson.alert("a1", Emulated.ago(Duration.ofMinutes(30)), "New", "High", "Malware"));
        settings.put("defender.poll.interval-minutes", "1");
        Management management = Management.on(settings);
        try (Bundle bundle = Bundle.start(settings)) {
            org.quartz.Scheduler scheduler = bundle.context()
                    .getComponent("quartz", org.apache.camel.component.quartz.QuartzComponent.class).getScheduler();
            // six fires of the tenant's timer in a row, none of them the schedule's nor asked for
            for (int i = 0; i < 6; i++) {
                scheduler.triggerJob(org.quartz.JobKey.jobKey("poll-contoso", "defender"));
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Management.sample(
                    management.metrics(), "defender_polls_total", "outcome=\"skipped\"").orElse(0) == 5);
            assertEquals(1.0, Management.sample(management.metrics(), "defender_polls_total", "outcome=\"succeeded\"")
                    .orElseThrow());
            assertEquals(1, emulator.apiRequests(TENANT), "one poll reached the API");
            assertEquals(List.of("a1"), delivered());
            // an operator's poll now still runs
            bundle.pollNow();
            assertEquals(2, emulator.apiRequests(TENANT));
        }
    }
}
