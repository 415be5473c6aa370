package io.defenderalertroutes.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.defenderalertroutes.defender.Timestamps;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.schedule.PollTimers;
import io.defenderalertroutes.testsupport.AlertFiles;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.EmulatedTenant;
import io.defenderalertroutes.testsupport.PlaybookHandler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Microsoft Graph security alerts_v2 as a tenant's source: same criteria vocabulary, same headers, Graph's body. */
class GraphSourceTest {

    private static final String TENANT = Bundle.TENANT_ID;

    @RegisterExtension
    final EmulatedTenant tenant = new EmulatedTenant();

    @BeforeEach
    void start() {
        tenant.settings().put("defender.source", "graph");
    }

    @Test
    void handlersGetGraphsJsonAndTheSameHeadersInTheSeedVocabulary() throws Exception {
        tenant.emulator().putAlert(TENANT, AlertJson.alert("g1", Emulated.ago(Duration.ofHours(1)), "InProgress", "UnSpecified", "Malware"));
        tenant.emulator().putAlert(TENANT, AlertJson.alert("g2", Emulated.ago(Duration.ofMinutes(50)), "Escalated", "Critical", "Malware"));
        try (PlaybookHandler handler = new PlaybookHandler()) {
            tenant.settings().put("defender.sinks", "http");
            tenant.settings().put("defender.sink.http.urls", handler.url("/graph"));
            try (Bundle bundle = tenant.start()) {
                bundle.pollNow();
            }
            assertEquals(2, handler.requests().size());
            Map<String, PlaybookHandler.Request> byId = new HashMap<>();
            handler.requests().forEach(r -> byId.put(r.header("Defender-Alert-Id"), r));
            PlaybookHandler.Request g1 = byId.get("g1");
            assertEquals(tenant.emulator().servedGraphJson(TENANT, "g1", true), new String(g1.body(), StandardCharsets.UTF_8));
            assertTrue(new String(g1.body(), StandardCharsets.UTF_8).contains("\"status\": \"inProgress\""));
            assertEquals("InProgress", g1.header("Defender-Status"), "Graph's inProgress in the seed's words");
            assertEquals("UnSpecified", g1.header("Defender-Severity"), "Graph's unknown severity is UnSpecified");
            assertEquals("graph", g1.header("Defender-Source"));
            assertEquals("escalated", byId.get("g2").header("Defender-Status"), "an unknown member is carried as Graph sent it");
            assertEquals("critical", byId.get("g2").header("Defender-Severity"));
        }
        assertTrue(tenant.emulator().graphPreferHeaders(TENANT).stream().allMatch(h -> h.contains("include-unknown-enum-members")));
        assertEquals(0, tenant.emulator().apiRequests(TENANT), "the Defender API was not called");
    }

    @Test
    void unknownMembersMatchOnlyAll() throws Exception {
        tenant.emulator().putAlert(TENANT, AlertJson.alert("odd", Emulated.ago(Duration.ofHours(1)), "Escalated", "Critical", "Malware"));
        tenant.emulator().putAlert(TENANT, AlertJson.alert("plain", Emulated.ago(Duration.ofHours(1)), "New", "High", "Malware"));
        tenant.settings().put("defender.trigger.status", "New,InProgress,Resolved,Unknown");
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
        }
        assertEquals(List.of("plain"), AlertFiles.alertIds(tenant.dir().resolve("alerts")));
    }

    @Test
    void onlyDefenderForEndpointAlertsUnlessAskedForMore() throws Exception {
        tenant.emulator().putAlert(TENANT, AlertJson.alert("mde", Emulated.ago(Duration.ofHours(1)), "New", "High", "Malware"));
        tenant.emulator().putGraphAlert(TENANT, AlertJson.graphAlert("office", Emulated.ago(Duration.ofHours(1)), "new", "high",
                "InitialAccess", "microsoftDefenderForOffice365"));
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
        }
        assertEquals(List.of("mde"), AlertFiles.alertIds(tenant.dir().resolve("alerts")));

        tenant.settings().put("defender.graph.service-source", "All");
        tenant.settings().put("defender.state-dir", tenant.dir().resolve("state-all").toString());
        tenant.settings().put("defender.sink.file.dir", tenant.dir().resolve("alerts-all").toString());
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
        }
        assertEquals(List.of("mde", "office"), AlertFiles.alertIds(tenant.dir().resolve("alerts-all")));
    }

    @Test
    void pagesByTimeAcrossAlertsSharingOneLastUpdateDateTime() throws Exception {
        Instant base = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.SECONDS);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            // five alerts share one instant, written with 7 and with 2 fractional digits, across page boundaries
            String time = i >= 2 && i < 7
                    ? (i % 2 == 0 ? Timestamps.format(base.plusSeconds(30)) : base.plusSeconds(30).toString().replace("Z", ".00Z"))
                    : Timestamps.format(base.plusSeconds(i * 60L).plusNanos(123_400));
            String id = "gp" + i;
            tenant.emulator().putAlert(TENANT, AlertJson.alert(id, time, "New", "Medium", "Execution"));
            expected.add(id);
        }
        tenant.settings().put("defender.poll.page-size", "3");
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
            bundle.pollNow();
        }
        assertEquals(expected, AlertFiles.alertIds(tenant.dir().resolve("alerts")), "each alert once, none lost at a boundary");
        assertTrue(tenant.emulator().graphRequestQueries(TENANT).stream().allMatch(q -> q.contains("lastUpdateDateTime ge ")
                && q.contains("$orderby=lastUpdateDateTime asc") && !q.contains("category")));
    }

    @Test
    void aTenantOnEachSourceInOneProcess() throws Exception {
        String other = "44444444-4444-4444-8444-444444444444";
        tenant.emulator().registerClient(other, Bundle.CLIENT_ID, "other-secret");
        tenant.emulator().putAlert(TENANT, AlertJson.alert("via-api", Emulated.ago(Duration.ofHours(1)), "New", "High", "Malware"));
        tenant.emulator().putAlert(other, AlertJson.alert("via-graph", Emulated.ago(Duration.ofHours(1)), "New", "High", "Malware"));
        Map<String, String> both = new HashMap<>(tenant.settings());
        both.remove("defender.source");
        both.put("defender.tenants", "api,graphed");
        both.put("defender.tenant.api.tenant-id", TENANT);
        both.put("defender.tenant.graphed.tenant-id", other);
        both.put("defender.tenant.graphed.client-secret", "other-secret");
        both.put("defender.tenant.graphed.source", "graph");
        try (Bundle bundle = Bundle.start(both)) {
            PollTimers.pollNow(bundle.context(), "api", Duration.ofSeconds(30));
            PollTimers.pollNow(bundle.context(), "graphed", Duration.ofSeconds(30));
        }
        assertEquals(List.of("via-api"), AlertFiles.alertIds(tenant.dir().resolve("alerts/api")));
        assertEquals(List.of("via-graph"), AlertFiles.alertIds(tenant.dir().resolve("alerts/graphed")));
        assertEquals(1, tenant.emulator().apiRequests(TENANT));
        assertEquals(0, tenant.emulator().graphRequests(TENANT));
        assertEquals(1, tenant.emulator().graphRequests(other));
        assertEquals(0, tenant.emulator().apiRequests(other));
    }
}
