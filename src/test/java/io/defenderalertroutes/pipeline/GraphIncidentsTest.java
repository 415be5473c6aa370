package io.defenderalertroutes.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.emulator.IncidentJson;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.EmulatedTenant;
import io.defenderalertroutes.testsupport.PlaybookHandler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Graph incidents as a tenant's source ({@code defender.source=graph-incidents}): one event per incident, its body
 * the incident as Graph served it with its alerts, the criteria on the incident (category: any of its alerts), and
 * an incident that gains alerts or changes status delivered again only when updates are asked for.
 */
class GraphIncidentsTest {

    private static final String TENANT = Bundle.TENANT_ID;

    @RegisterExtension
    final EmulatedTenant tenant = new EmulatedTenant();

    private PlaybookHandler handler;

    @BeforeEach
    void graphIncidents() throws Exception {
        tenant.settings().put("defender.source", "graph-incidents");
        handler = new PlaybookHandler();
        tenant.settings().put("defender.sinks", "http");
        tenant.settings().put("defender.sink.http.urls", handler.url("/incidents"));
    }

    @org.junit.jupiter.api.AfterEach
    void stopHandler() {
        handler.close();
    }

    private static String alert(String id, String category, Duration ago) {
        return AlertJson.graphAlert(id, Emulated.ago(ago), "new", "high", category, "microsoftDefenderForEndpoint");
    }

    private void put(String id, Duration ago, String status, String severity, String... alerts) {
        tenant.emulator().putIncident(TENANT, IncidentJson.graphIncident(id, Emulated.ago(ago), status, severity, List.of(alerts)));
    }

    @Test
    void oneEventPerIncidentWithItsAlertsAndTheSeedsWords() throws Exception {
        put("101", Duration.ofHours(2), "active", "high",
                alert("a1", "Malware", Duration.ofHours(3)), alert("a2", "CommandAndControl", Duration.ofHours(2)));
        put("102", Duration.ofHours(1), "inProgress", "medium", alert("a3", "Execution", Duration.ofHours(1)));
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
        }
        assertEquals(2, handler.requests().size(), "one event per incident, not per alert");
        PlaybookHandler.Request first = handler.requests().get(0);
        String body = new String(first.body(), StandardCharsets.UTF_8);
        assertEquals(tenant.emulator().servedIncidentJson(TENANT, "101"), body, "the incident as Graph served it");
        assertTrue(body.contains("\"a1\"") && body.contains("\"a2\""), "the incident's alerts are in its body");
        assertEquals("101", first.header("Defender-Incident-Id"));
        assertEquals("101", first.header("Defender-Alert-Id"), "the id every sink keys by is the incident's");
        assertEquals("2", first.header("Defender-Alert-Count"));
        assertEquals("New", first.header("Defender-Status"), "an active incident is New in the seed's words");
        assertEquals("High", first.header("Defender-Severity"));
        assertEquals("Malware,CommandAndControl", first.header("Defender-Category"));
        assertEquals("graph-incidents", first.header("Defender-Source"));
        assertEquals("InProgress", handler.requests().get(1).header("Defender-Status"));
        assertTrue(tenant.emulator().graphPreferHeaders(TENANT).size() >= 1);
        assertEquals(0, tenant.emulator().apiRequests(TENANT), "the Defender API was not called");
    }

    @Test
    void criteriaApplyToTheIncidentAndCategoryToAnyOfItsAlerts() throws Exception {
        put("201", Duration.ofHours(3), "active", "high", alert("b1", "Execution", Duration.ofHours(3)),
                alert("b2", "Malware", Duration.ofHours(3)));
        put("202", Duration.ofHours(3), "active", "high", alert("b3", "Execution", Duration.ofHours(3)));
        put("203", Duration.ofHours(3), "resolved", "high", alert("b4", "Malware", Duration.ofHours(3)));
        put("204", Duration.ofHours(3), "active", "low", alert("b5", "Malware", Duration.ofHours(3)));
        put("205", Duration.ofHours(3), "awaitingAction", "high", alert("b6", "Malware", Duration.ofHours(3)));
        tenant.settings().put("defender.trigger.status", "New,InProgress");
        tenant.settings().put("defender.trigger.severity", "High");
        tenant.settings().put("defender.trigger.category", "Malware");
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
        }
        assertEquals(List.of("201"), ids(), "active (New), High, and one of its alerts Malware; awaitingAction has no "
                + "seed word and matches only All");
    }

    @Test
    void anIncidentThatGainsAlertsOrChangesStatusComesAgainOnlyWithUpdates() throws Exception {
        tenant.settings().put("defender.trigger.updates", "true");
        put("301", Duration.ofMinutes(50), "active", "high", alert("c1", "Malware", Duration.ofMinutes(50)));
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
            // the incident gains an alert, later it is resolved; the poll in between finds nothing new
            put("301", Duration.ofMinutes(20), "active", "high", alert("c1", "Malware", Duration.ofMinutes(50)),
                    alert("c2", "Execution", Duration.ofMinutes(20)));
            bundle.pollNow();
            bundle.pollNow();
            put("301", Duration.ofMinutes(5), "resolved", "high", alert("c1", "Malware", Duration.ofMinutes(50)),
                    alert("c2", "Execution", Duration.ofMinutes(20)));
            bundle.pollNow();
        }
        List<String> counts = new ArrayList<>();
        handler.requests().forEach(r -> counts.add(r.header("Defender-Alert-Count") + " " + r.header("Defender-Status")
                + " " + r.header("Defender-Change")));
        assertEquals(List.of("1 New new", "2 New update", "2 Resolved update"), counts,
                "each version of the incident once, in order");
    }

    @Test
    void incidentsSharingOneTimestampAcrossAPageBoundaryEachArriveOnce() throws Exception {
        String at = Emulated.ago(Duration.ofHours(1));
        for (int i = 0; i < 7; i++) {
            tenant.emulator().putIncident(TENANT, IncidentJson.graphIncident("40" + i, at, "active", "high",
                    List.of(alert("d" + i, "Malware", Duration.ofHours(1)))));
        }
        tenant.settings().put("defender.poll.page-size", "3");
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
            bundle.pollNow();
        }
        assertEquals(List.of("400", "401", "402", "403", "404", "405", "406"), ids().stream().sorted().toList());
    }

    @Test
    void withSplitAlertsEachAlertAlsoGoesOutOnceHoweverOftenItsIncidentChanges() throws Exception {
        tenant.settings().put("defender.incidents.split-alerts", "true");
        tenant.settings().put("defender.trigger.updates", "true");
        String e1 = alert("e1", "Malware", Duration.ofMinutes(50));
        put("501", Duration.ofMinutes(50), "active", "high", e1);
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
            // the same e1 (unchanged), and a new alert
            put("501", Duration.ofMinutes(20), "active", "high", e1, alert("e2", "Execution", Duration.ofMinutes(20)));
            bundle.pollNow();
        }
        List<String> events = new ArrayList<>();
        handler.requests().forEach(r -> events.add(r.header("Defender-Alert-Id") + "/" + r.header("Defender-Incident-Id")));
        assertEquals(List.of("501/501", "e1/501", "501/501", "e2/501"), events,
                "the incident in each version, each alert once: e1 did not go again when its incident gained e2");
        PlaybookHandler.Request e2 = handler.requests().get(3);
        String incident = new String(handler.requests().get(2).body(), StandardCharsets.UTF_8);
        String body = new String(e2.body(), StandardCharsets.UTF_8);
        assertTrue(body.startsWith("{") && incident.contains(body), "the alert's JSON as it stands in its incident");
        assertEquals("New", e2.header("Defender-Status"), "the alert's own status, in the seed's words");
        assertEquals("Execution", e2.header("Defender-Category"));
        assertEquals("new", e2.header("Defender-Change"));
        assertEquals(null, e2.header("Defender-Alert-Count"), "an alert event has no alert count");
    }

    @Test
    void aThrottledCallIsRetriedAndARestartGoesOnFromTheCheckpoint() throws Exception {
        put("601", Duration.ofHours(2), "active", "high", alert("f1", "Malware", Duration.ofHours(2)));
        tenant.settings().put("defender.api.retry-delay-ms", "50");
        tenant.emulator().enqueueFault(TENANT, 429, "{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"Too many "
                + "requests.\"}}", java.util.Map.of("Retry-After", "1"));
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
        }
        assertEquals(List.of("601"), ids(), "delivered after the throttled call was retried");
        put("602", Duration.ofMinutes(10), "active", "high", alert("f2", "Malware", Duration.ofMinutes(10)));
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
        }
        assertEquals(List.of("601", "602"), ids(), "after a restart only what is new since the checkpoint");
    }

    @Test
    void theTenantsCallBudgetHoldsAnIncidentsPoll() throws Exception {
        for (int i = 0; i < 3; i++) {
            put("70" + i, Duration.ofMinutes(50 - i), "active", "high", alert("h" + i, "Malware", Duration.ofMinutes(50 - i)));
        }
        // one incident a page: the poll needs four calls, the budget allows two a minute
        tenant.settings().put("defender.poll.page-size", "1");
        tenant.settings().put("defender.api.calls-per-minute", "2");
        tenant.settings().put("camel.main.shutdown-timeout", "3");
        try (Bundle bundle = tenant.start()) {
            java.util.concurrent.CompletableFuture<Void> poll = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    bundle.pollNow();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> tenant.emulator().graphRequests(TENANT) == 2);
            assertTrue(!poll.isDone(), "the third call waits for the budget");
            assertEquals(2, tenant.emulator().graphRequests(TENANT));
        }
    }

    private List<String> ids() {
        return handler.requests().stream().map(r -> r.header("Defender-Incident-Id")).toList();
    }
}
