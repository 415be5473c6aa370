package io.defenderalertroutes.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.EmulatedTenant;
import io.defenderalertroutes.testsupport.IncidentSource;
import io.defenderalertroutes.testsupport.PlaybookHandler;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Incidents as a tenant's source, Graph's ({@code defender.source=graph-incidents}) and Defender XDR's
 * ({@code defender-incidents}), put through the same tests: one event per incident, its body the incident as the API
 * served it with its alerts, the criteria on the incident (category: any of its alerts), an incident that gains
 * alerts or changes status delivered again only when updates are asked for, paging, restart, faults and the budget.
 */
class IncidentSourcesTest {

    private static final String TENANT = Bundle.TENANT_ID;

    @RegisterExtension
    final EmulatedTenant tenant = new EmulatedTenant();

    private PlaybookHandler handler;
    private IncidentSource source;

    @BeforeEach
    void playbookHandler() throws java.io.IOException {
        handler = new PlaybookHandler();
        tenant.settings().put("defender.sinks", "http");
        tenant.settings().put("defender.sink.http.urls", handler.url("/incidents"));
    }

    @AfterEach
    void stopHandler() {
        handler.close();
    }

    private void use(IncidentSource incidents) {
        this.source = incidents;
        tenant.settings().put("defender.source", incidents.key());
    }

    private String alert(String id, String category, Duration ago) {
        return source.alert(id, category, ago);
    }

    private void put(String id, Duration ago, String status, String severity, String... alerts) {
        source.put(tenant.emulator(), TENANT, id, Emulated.ago(ago), status, severity, List.of(alerts));
    }

    @ParameterizedTest
    @EnumSource(IncidentSource.class)
    void oneEventPerIncidentWithItsAlertsAndTheSeedsWords(IncidentSource incidents) throws Exception {
        use(incidents);
        put("101", Duration.ofHours(2), "active", "high",
                alert("a1", "Malware", Duration.ofHours(3)), alert("a2", "CommandAndControl", Duration.ofHours(2)));
        put("102", Duration.ofHours(1), "inProgress", "medium", alert("a3", "Execution", Duration.ofHours(1)));
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
        }
        assertEquals(2, handler.requests().size(), "one event per incident, not per alert");
        PlaybookHandler.Request first = event("101");
        String body = new String(first.body(), StandardCharsets.UTF_8);
        assertEquals(incidents.served(tenant.emulator(), TENANT, "101"), body, "the incident as the API served it");
        assertTrue(body.contains("\"a1\"") && body.contains("\"a2\""), "the incident's alerts are in its body");
        assertEquals("101", first.header("Defender-Incident-Id"));
        assertEquals("101", first.header("Defender-Alert-Id"), "the id every sink keys by is the incident's");
        assertEquals("2", first.header("Defender-Alert-Count"));
        assertEquals("New", first.header("Defender-Status"), "an active incident is New in the seed's words");
        assertEquals("High", first.header("Defender-Severity"));
        assertEquals("Malware,CommandAndControl", first.header("Defender-Category"));
        assertEquals(incidents.key(), first.header("Defender-Source"));
        assertEquals("InProgress", event("102").header("Defender-Status"));
        assertTrue(incidents.requests(tenant.emulator(), TENANT) >= 1);
        assertEquals(0, tenant.emulator().apiRequests(TENANT), "the Defender for Endpoint API was not called");
        IncidentSource other = incidents == IncidentSource.GRAPH ? IncidentSource.DEFENDER_XDR : IncidentSource.GRAPH;
        assertEquals(0, other.requests(tenant.emulator(), TENANT), "nor the other incidents API");
        if (incidents == IncidentSource.GRAPH) {
            assertTrue(tenant.emulator().graphPreferHeaders(TENANT).stream()
                    .allMatch(p -> p.contains("include-unknown-enum-members")), "Graph is asked for its newer enum members");
        }
    }

    @ParameterizedTest
    @EnumSource(IncidentSource.class)
    void criteriaApplyToTheIncidentAndCategoryToAnyOfItsAlerts(IncidentSource incidents) throws Exception {
        use(incidents);
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
        assertEquals(List.of("201"), ids(), "active (New), High, and one of its alerts Malware; a status without a "
                + "seed word (awaitingAction, Redirected) matches only All");
        String query = incidents.queries(tenant.emulator(), TENANT).get(0);
        if (incidents == IncidentSource.GRAPH) {
            assertTrue(query.contains("severity eq 'high'") && query.contains("status eq 'active'"), query);
        } else {
            assertTrue(query.contains("status eq 'Active'") && query.contains("status eq 'InProgress'"), query);
            assertFalse(query.contains("severity"), "Defender XDR cannot filter on severity: " + query);
        }
    }

    @ParameterizedTest
    @EnumSource(IncidentSource.class)
    void anIncidentThatGainsAlertsOrChangesStatusComesAgainOnlyWithUpdates(IncidentSource incidents) throws Exception {
        use(incidents);
        tenant.settings().put("defender.trigger.updates", "true");
        String c1 = alert("c1", "Malware", Duration.ofMinutes(50));
        put("301", Duration.ofMinutes(50), "active", "high", c1);
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
            // the incident gains an alert, later it is resolved; the poll in between finds nothing new
            String c2 = alert("c2", "Execution", Duration.ofMinutes(20));
            put("301", Duration.ofMinutes(20), "active", "high", c1, c2);
            bundle.pollNow();
            bundle.pollNow();
            put("301", Duration.ofMinutes(5), "resolved", "high", c1, c2);
            bundle.pollNow();
        }
        List<String> counts = new ArrayList<>();
        handler.requests().forEach(r -> counts.add(r.header("Defender-Alert-Count") + " " + r.header("Defender-Status")
                + " " + r.header("Defender-Change")));
        assertEquals(List.of("1 New new", "2 New update", "2 Resolved update"), counts,
                "each version of the incident once, in order");
    }

    @ParameterizedTest
    @EnumSource(IncidentSource.class)
    void withoutUpdatesAnIncidentFiresOnceHoweverItChanges(IncidentSource incidents) throws Exception {
        use(incidents);
        String g1 = alert("g1", "Malware", Duration.ofMinutes(50));
        put("351", Duration.ofMinutes(50), "active", "high", g1);
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
            put("351", Duration.ofMinutes(20), "inProgress", "high", g1, alert("g2", "Execution", Duration.ofMinutes(20)));
            bundle.pollNow();
        }
        assertEquals(List.of("351"), ids(), "the seed's default: each incident fires once");
    }

    @ParameterizedTest
    @EnumSource(IncidentSource.class)
    void incidentsSharingOneTimestampAcrossAPageBoundaryEachArriveOnce(IncidentSource incidents) throws Exception {
        use(incidents);
        String at = Emulated.ago(Duration.ofHours(1));
        for (int i = 0; i < 7; i++) {
            incidents.put(tenant.emulator(), TENANT, "40" + i, at, "active", "high",
                    List.of(alert("d" + i, "Malware", Duration.ofHours(1))));
        }
        tenant.settings().put("defender.poll.page-size", "3");
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
            bundle.pollNow();
        }
        assertEquals(List.of("400", "401", "402", "403", "404", "405", "406"), ids().stream().sorted().toList());
        assertTrue(incidents.queries(tenant.emulator(), TENANT).stream().anyMatch(q -> q.contains("$skip=3")),
                "the second page went on within the shared timestamp");
    }

    @ParameterizedTest
    @EnumSource(IncidentSource.class)
    void withSplitAlertsEachAlertAlsoGoesOutOnceHoweverOftenItsIncidentChanges(IncidentSource incidents) throws Exception {
        use(incidents);
        tenant.settings().put("defender.incidents.split-alerts", "true");
        tenant.settings().put("defender.trigger.updates", "true");
        tenant.settings().put("defender.sinks", "http,file");
        tenant.settings().put("defender.sink.file.dir", tenant.dir().resolve("events").toString());
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
        assertEquals("High", e2.header("Defender-Severity"));
        assertEquals("Execution", e2.header("Defender-Category"));
        assertEquals("new", e2.header("Defender-Change"));
        assertEquals(null, e2.header("Defender-Alert-Count"), "an alert event has no alert count");

        // a file has no headers: its envelope names the incident, and an incident's count of alerts
        List<com.fasterxml.jackson.databind.JsonNode> files = new ArrayList<>();
        try (var paths = java.nio.file.Files.list(tenant.dir().resolve("events/contoso"))) {
            for (java.nio.file.Path file : paths.sorted().toList()) {
                files.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile()));
            }
        }
        List<String> envelopes = files.stream().map(f -> f.path("alertId").asText() + "/" + f.path("incidentId").asText()
                + "/" + (f.has("alertCount") ? f.path("alertCount").asText() : "-")).sorted().toList();
        assertEquals(List.of("501/501/1", "501/501/2", "e1/501/-", "e2/501/-"), envelopes);
    }

    @ParameterizedTest
    @EnumSource(IncidentSource.class)
    void aThrottledCallIsRetriedAndARestartGoesOnFromTheCheckpoint(IncidentSource incidents) throws Exception {
        use(incidents);
        put("601", Duration.ofHours(2), "active", "high", alert("f1", "Malware", Duration.ofHours(2)));
        tenant.settings().put("defender.api.retry-delay", "PT0.05S");
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

    @ParameterizedTest
    @EnumSource(IncidentSource.class)
    void aRevokedTokenIsReplacedOnceAndThePollGoesOn(IncidentSource incidents) throws Exception {
        use(incidents);
        put("621", Duration.ofHours(2), "active", "high", alert("t1", "Malware", Duration.ofHours(2)));
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
            tenant.emulator().revokeTokens(TENANT);
            put("622", Duration.ofMinutes(1), "active", "high", alert("t2", "Malware", Duration.ofMinutes(1)));
            bundle.pollNow();
        }
        assertEquals(List.of("621", "622"), ids());
        assertEquals(2, tenant.emulator().tokenRequests(TENANT), "one new token, for the same API, after the 401");
    }

    @ParameterizedTest
    @EnumSource(IncidentSource.class)
    void aServerErrorIsRetriedWithBackoff(IncidentSource incidents) throws Exception {
        use(incidents);
        put("631", Duration.ofHours(2), "active", "high", alert("s1", "Malware", Duration.ofHours(2)));
        tenant.settings().put("defender.api.retry-delay", "PT0.05S");
        tenant.emulator().enqueueFault(TENANT, 502, "", java.util.Map.of());
        tenant.emulator().enqueueFault(TENANT, 500, "{\"error\":{\"code\":\"InternalServerError\",\"message\":\"x\"}}",
                java.util.Map.of());
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
        }
        assertEquals(List.of("631"), ids(), "delivered on the third attempt");
        assertEquals(3, incidents.requests(tenant.emulator(), TENANT));
    }

    @ParameterizedTest
    @EnumSource(IncidentSource.class)
    void aTruncatedPageFailsThePollAndTheNextDeliversEverything(IncidentSource incidents) throws Exception {
        use(incidents);
        put("651", Duration.ofHours(2), "active", "high", alert("k1", "Malware", Duration.ofHours(2)));
        put("652", Duration.ofHours(1), "active", "high", alert("k2", "Malware", Duration.ofHours(1)));
        tenant.emulator().enqueueMalformed(TENANT);
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
            assertFalse(java.nio.file.Files.exists(tenant.dir().resolve("state/contoso.checkpoint")),
                    "a page cut off halfway fails the poll: no checkpoint");
            bundle.pollNow();
            bundle.pollNow();
        }
        assertEquals(List.of("651", "652"), ids().stream().sorted().toList(),
                "each once, after the failed poll left the checkpoint where it was");
    }

    @ParameterizedTest
    @EnumSource(IncidentSource.class)
    void theTenantsCallBudgetHoldsAnIncidentsPoll(IncidentSource incidents) throws Exception {
        use(incidents);
        for (int i = 0; i < 3; i++) {
            put("70" + i, Duration.ofMinutes(50 - i), "active", "high", alert("h" + i, "Malware", Duration.ofMinutes(50 - i)));
        }
        // one incident a page: the poll needs four calls, the budget allows two a minute
        tenant.settings().put("defender.poll.page-size", "1");
        tenant.settings().put("defender.api.calls-per-minute", "2");
        assertBudgetHolds(incidents, 2);
    }

    /** Without a budget set, Defender XDR's own limit holds: 50 calls a minute, not the Defender API's 100. */
    @Test
    void defenderIncidentsKeepToDefenderXdrsFiftyCallsAMinuteByDefault() throws Exception {
        use(IncidentSource.DEFENDER_XDR);
        for (int i = 0; i < 52; i++) {
            put(Integer.toString(800 + i), Duration.ofMinutes(59 - i), "active", "high",
                    alert("m" + i, "Malware", Duration.ofMinutes(59 - i)));
        }
        tenant.settings().put("defender.poll.page-size", "1");
        assertBudgetHolds(IncidentSource.DEFENDER_XDR, 50);
    }

    private void assertBudgetHolds(IncidentSource incidents, int perMinute) throws Exception {
        tenant.settings().put("camel.main.shutdown-timeout", "3");
        try (Bundle bundle = tenant.start()) {
            CompletableFuture<Void> poll = CompletableFuture.runAsync(() -> {
                try {
                    bundle.pollNow();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> incidents.requests(tenant.emulator(), TENANT) == perMinute);
            // the next call waits for the budget instead of being made (and throttled) now
            Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                    .until(() -> incidents.requests(tenant.emulator(), TENANT) == perMinute);
            assertFalse(poll.isDone(), "the poll waits for the budget");
        }
    }

    /** The one event of the incident (Defender XDR's answers, and so its events, come in no particular order). */
    private PlaybookHandler.Request event(String incidentId) {
        List<PlaybookHandler.Request> events = handler.requests().stream()
                .filter(r -> incidentId.equals(r.header("Defender-Incident-Id"))).toList();
        assertEquals(1, events.size(), "events of incident " + incidentId);
        return events.get(0);
    }

    private List<String> ids() {
        return handler.requests().stream().map(r -> r.header("Defender-Incident-Id")).toList();
    }
}
