package io.defenderalertroutes.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.defenderalertroutes.defender.Timestamps;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.emulator.NextLinkMode;
import io.defenderalertroutes.testsupport.AlertFiles;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.EmulatedTenant;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.Management;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How polls page, remember and move on, seen from the alerts directory, the checkpoint and the emulator's log. */
class PollingTest {

    private static final String TENANT = Bundle.TENANT_ID;

    @RegisterExtension
    final EmulatedTenant tenant = new EmulatedTenant();

    private List<String> delivered() {
        return AlertFiles.alertIds(tenant.dir().resolve("alerts"));
    }

    private String checkpoint() throws Exception {
        return Files.readString(tenant.dir().resolve("state/contoso.checkpoint")).trim();
    }

    @Test
    void theFirstPollComesOneIntervalAfterStartUnlessOnStart() throws Exception {
        tenant.emulator().putAlert(TENANT, AlertJson.alert("a1", Emulated.ago(Duration.ofHours(1)), "New", "High", "Malware"));
        try (Bundle bundle = tenant.start()) {
            var trigger = bundle.context().getComponent("quartz", org.apache.camel.component.quartz.QuartzComponent.class)
                    .getScheduler().getTrigger(org.quartz.TriggerKey.triggerKey("poll-contoso", "defender"));
            long wait = trigger.getNextFireTime().getTime() - System.currentTimeMillis();
            assertTrue(wait > Duration.ofMinutes(4).toMillis() && wait <= Duration.ofMinutes(5).toMillis(),
                    "next poll in " + wait + " ms");
            assertEquals(0, tenant.emulator().apiRequests(TENANT));
        }
        tenant.settings().put("defender.poll.on-start", "true");
        try (Bundle bundle = tenant.start()) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> delivered().equals(List.of("a1")));
        }
    }

    @Test
    void eachAlertFiresOnceAndUpdatesOnlyWhenAskedFor() throws Exception {
        tenant.emulator().putAlert(TENANT, AlertJson.alert("a1", Emulated.ago(Duration.ofMinutes(30)), "New", "High", "Malware"));
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
            assertEquals(List.of("a1"), delivered());
            tenant.emulator().putAlert(TENANT, AlertJson.alert("a1", Emulated.ago(Duration.ofMinutes(1)), "InProgress", "High", "Malware"));
            bundle.pollNow();
            bundle.pollNow();
            assertEquals(List.of("a1"), delivered(), "updates off: the update does not fire");
        }

        tenant.settings().put("defender.trigger.updates", "true");
        tenant.settings().put("defender.state-dir", tenant.dir().resolve("state2").toString());
        tenant.settings().put("defender.sink.file.dir", tenant.dir().resolve("alerts2").toString());
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
            String resolvedAt = Emulated.ago(Duration.ZERO);
            tenant.emulator().putAlert(TENANT, AlertJson.alert("a1", resolvedAt, "Resolved", "High", "Malware"));
            bundle.pollNow();
            bundle.pollNow();
            List<JsonNode> envelopes = AlertFiles.envelopes(tenant.dir().resolve("alerts2"));
            assertEquals(2, envelopes.size(), "updates on: each version fires once");
            assertEquals(List.of("InProgress/new", "Resolved/update"), envelopes.stream()
                    .map(e -> e.get("status").asText() + "/" + e.get("change").asText()).sorted().toList());
        }
    }

    @Test
    void nothingFiresAgainAfterARestartEvenWithoutTheCheckpoint() throws Exception {
        tenant.emulator().putAlert(TENANT, AlertJson.alert("a1", Emulated.ago(Duration.ofDays(3)), "New", "Low", "Malware"));
        tenant.emulator().putAlert(TENANT, AlertJson.alert("a2", Emulated.ago(Duration.ofMinutes(2)), "New", "Low", "Malware"));
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
        }
        assertEquals(List.of("a1", "a2"), delivered());
        Files.delete(tenant.dir().resolve("state/contoso.checkpoint"));
        tenant.emulator().putAlert(TENANT, AlertJson.alert("a3", Emulated.ago(Duration.ofMinutes(1)), "New", "Low", "Malware"));
        try (Bundle bundle = tenant.start()) {
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
            tenant.emulator().putAlert(TENANT, AlertJson.alert(id, time, "New", "Medium", "Execution"));
            expected.add(id);
        }
        tenant.settings().put("defender.poll.page-size", "3");
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
            assertEquals(expected, delivered());
            int calls = tenant.emulator().apiRequests(TENANT);
            assertTrue(calls <= 8, "paged in " + calls + " calls");
            tenant.emulator().setNextLinkMode(NextLinkMode.STUCK);
            bundle.pollNow();
            assertEquals(expected, delivered(), "a stuck nextLink neither loops nor re-delivers");
        }
    }

    @Test
    void aPageFullOfOneInstantIsSkippedThroughNotLoopedOn() throws Exception {
        String instant = Emulated.ago(Duration.ofHours(1));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            tenant.emulator().putAlert(TENANT, AlertJson.alert("same" + i, instant, "New", "Low", "Malware"));
            expected.add("same" + i);
        }
        tenant.settings().put("defender.poll.page-size", "2");
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
        }
        assertEquals(expected, delivered());
        assertTrue(tenant.emulator().requestQueries(TENANT).stream().anyMatch(q -> q.contains("$skip=6")),
                () -> String.join("\n", tenant.emulator().requestQueries(TENANT)));
    }

    @Test
    void checkpointKeepsSevenAndTwoDigitPrecision() throws Exception {
        Instant base = Instant.now().minus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String seven = base.toString().replace("Z", ".7220239Z");
        String two = base.plusSeconds(2).toString().replace("Z", ".19Z");
        tenant.emulator().putAlert(TENANT, AlertJson.alert("seven", seven, "New", "Low", "Malware"));
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
            assertEquals(seven, checkpoint());
            tenant.emulator().putAlert(TENANT, AlertJson.alert("two", two, "New", "Low", "Malware"));
            bundle.pollNow();
            assertEquals(two, checkpoint());
            bundle.pollNow();
            List<String> queries = tenant.emulator().requestQueries(TENANT);
            String last = queries.get(queries.size() - 1);
            String from = Timestamps.format(Instant.parse(two).minus(Duration.ofMinutes(5)));
            assertTrue(last.contains("lastUpdateTime ge " + from), last);
        }
        assertEquals(List.of("seven", "two"), delivered());
    }

    @Test
    void theHistoricalStartBoundsFirstPollAndCatchUp() throws Exception {
        tenant.emulator().putAlert(TENANT, AlertJson.alert("old", Emulated.ago(Duration.ofDays(40)), "New", "Low", "Malware"));
        tenant.emulator().putAlert(TENANT, AlertJson.alert("weekold", Emulated.ago(Duration.ofDays(7)), "New", "Low", "Malware"));
        tenant.emulator().putAlert(TENANT, AlertJson.alert("fresh", Emulated.ago(Duration.ofHours(3)), "New", "Low", "Malware"));
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
        }
        assertEquals(List.of("fresh", "weekold"), delivered(), "default: 30 days ago");

        // downtime: the checkpoint is older than the horizon, so the catch-up stops at the horizon
        Files.writeString(tenant.dir().resolve("state/contoso.checkpoint"), Emulated.ago(Duration.ofDays(60)));
        tenant.settings().put("defender.state-dir", tenant.dir().resolve("state").toString());
        tenant.settings().put("defender.dedup", "memory");
        tenant.settings().put("defender.sink.file.dir", tenant.dir().resolve("catchup").toString());
        tenant.settings().put("defender.poll.max-historical-start", "2 days ago");
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
        }
        assertEquals(List.of("fresh"), AlertFiles.alertIds(tenant.dir().resolve("catchup")));
    }

    @Test
    void anEmptyAnswerIsNormalAndOneTokenServesManyPolls() throws Exception {
        try (Bundle bundle = tenant.start()) {
            for (int i = 0; i < 5; i++) {
                bundle.pollNow();
            }
            assertEquals(5, tenant.emulator().apiRequests(TENANT));
            assertEquals(1, tenant.emulator().tokenRequests(TENANT));
            assertFalse(Files.exists(tenant.dir().resolve("state/contoso.checkpoint")), "no alert, no checkpoint");
            assertTrue(delivered().isEmpty());
            tenant.emulator().putAlert(TENANT, AlertJson.alert("late", Emulated.ago(Duration.ofMinutes(1)), "New", "Low", "Malware"));
            bundle.pollNow();
            assertEquals(List.of("late"), delivered());
        }
    }

    @Test
    void aTimerFiredOutOfScheduleIsSkippedLoggedAndCounted() throws Exception {
        tenant.emulator().putAlert(TENANT, AlertJson.alert("a1", Emulated.ago(Duration.ofMinutes(30)), "New", "High", "Malware"));
        tenant.settings().put("defender.poll.interval", "PT1M");
        Management management = Management.on(tenant.settings());
        try (Bundle bundle = tenant.start()) {
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
            assertEquals(1, tenant.emulator().apiRequests(TENANT), "one poll reached the API");
            assertEquals(List.of("a1"), delivered());
            // an operator's poll now still runs
            bundle.pollNow();
            assertEquals(2, tenant.emulator().apiRequests(TENANT));
        }
    }
}
