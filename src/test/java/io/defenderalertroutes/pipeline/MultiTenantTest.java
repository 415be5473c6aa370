package io.defenderalertroutes.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.defenderalertroutes.app.Application;
import io.defenderalertroutes.defender.Timestamps;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.emulator.DefenderEmulator;
import io.defenderalertroutes.schedule.PollTimers;
import io.defenderalertroutes.testsupport.AlertFiles;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.KafkaBroker;
import io.defenderalertroutes.testsupport.PlaybookHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One deployment, several tenants: each with its own credentials, criteria, state and output, none in another's way. */
class MultiTenantTest {

    private static final String CONTOSO = "11111111-1111-4111-8111-111111111111";
    private static final String FABRIKAM = "22222222-2222-4222-8222-222222222222";
    private static final String BROKEN = "33333333-3333-4333-8333-333333333333";

    @TempDir
    Path dir;

    private DefenderEmulator emulator;
    private Map<String, String> settings;

    @BeforeEach
    void start() {
        emulator = DefenderEmulator.start(0);
        emulator.registerClient(CONTOSO, Bundle.CLIENT_ID, "contoso-secret");
        emulator.registerClient(FABRIKAM, Bundle.CLIENT_ID, "fabrikam-secret");
        emulator.registerClient(BROKEN, Bundle.CLIENT_ID, "the-real-secret");
        String recent = Timestamps.format(Instant.now().minus(Duration.ofHours(1)));
        for (String tenant : List.of(CONTOSO, FABRIKAM, BROKEN)) {
            emulator.putAlert(tenant, AlertJson.alert(tenant.substring(0, 4) + "-high", recent, "New", "High", "Malware"));
            emulator.putAlert(tenant, AlertJson.alert(tenant.substring(0, 4) + "-low", recent, "New", "Low", "Malware"));
        }

        settings = new HashMap<>();
        settings.put("defender.tenants", "contoso,fabrikam,broken");
        settings.put("defender.client-id", Bundle.CLIENT_ID);
        settings.put("defender.authority-url", emulator.baseUrl());
        settings.put("defender.api-url", emulator.baseUrl());
        settings.put("defender.state-dir", dir.resolve("state").toString());
        settings.put("defender.sink.file.dir", dir.resolve("alerts").toString());
        settings.put("defender.sinks", "file");
        settings.put("defender.trigger.severity", "High");
        settings.put("defender.tenant.contoso.tenant-id", CONTOSO);
        settings.put("defender.tenant.contoso.client-secret", "contoso-secret");
        settings.put("defender.tenant.fabrikam.tenant-id", FABRIKAM);
        settings.put("defender.tenant.fabrikam.client-secret", "fabrikam-secret");
        settings.put("defender.tenant.fabrikam.trigger.severity", "All");
        settings.put("defender.tenant.broken.tenant-id", BROKEN);
        settings.put("defender.tenant.broken.client-secret", "a-wrong-secret");
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private void pollAll(Bundle bundle) throws Exception {
        for (String tenant : List.of("broken", "contoso", "fabrikam")) {
            PollTimers.pollNow(bundle.context(), tenant, Duration.ofSeconds(30));
        }
    }

    @Test
    void eachTenantHasItsOwnCriteriaStateAndOutputAndABrokenOneHarmsNoOther() throws Exception {
        try (Bundle bundle = Bundle.start(settings)) {
            // a poller per tenant; one alert flow for all
            assertEquals(List.of("defender-alert-flow",
                    "defender-poll-broken", "defender-poll-contoso", "defender-poll-fabrikam"),
                    bundle.context().getRoutes().stream().map(r -> r.getRouteId()).filter(id -> id.startsWith("defender-poll-") || id.startsWith("defender-alert-"))
                            .sorted().toList());
            pollAll(bundle);
            pollAll(bundle);

            assertEquals(List.of("1111-high"), AlertFiles.alertIds(dir.resolve("alerts/contoso")), "shared criteria: High");
            assertEquals(List.of("2222-high", "2222-low"), AlertFiles.alertIds(dir.resolve("alerts/fabrikam")),
                    "fabrikam's own criteria: All");
            assertFalse(Files.exists(dir.resolve("alerts/broken")));
            for (JsonNode envelope : AlertFiles.envelopes(dir.resolve("alerts/fabrikam"))) {
                assertEquals("fabrikam", envelope.get("tenant").asText());
                assertTrue(envelope.get("idempotencyKey").asText().startsWith("fabrikam:"));
            }
            assertTrue(Files.exists(dir.resolve("state/contoso.checkpoint")));
            assertTrue(Files.exists(dir.resolve("state/fabrikam.checkpoint")));
            assertFalse(Files.exists(dir.resolve("state/broken.checkpoint")), "the broken tenant moved no checkpoint");
            assertEquals(1, emulator.tokenRequests(CONTOSO), "each tenant has its own cached token");
            assertEquals(1, emulator.tokenRequests(FABRIKAM));
            assertEquals(2, emulator.tokenRequests(BROKEN), "the broken tenant asks again each poll");
            assertEquals(0, emulator.apiRequests(BROKEN));
        }
    }

    @Test
    void aSlowTenantDoesNotDelayTheOthers() throws Exception {
        emulator.setResponseDelay(CONTOSO, Duration.ofSeconds(8));
        settings.put("defender.tenant.broken.client-secret", "the-real-secret");
        try (Bundle bundle = Bundle.start(settings)) {
            var scheduler = bundle.context().getComponent("quartz", org.apache.camel.component.quartz.QuartzComponent.class)
                    .getScheduler();
            scheduler.triggerJob(org.quartz.JobKey.jobKey("poll-contoso", "defender"));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> emulator.apiRequests(CONTOSO) == 1);

            long started = System.nanoTime();
            PollTimers.pollNow(bundle.context(), "fabrikam", Duration.ofSeconds(30));
            PollTimers.pollNow(bundle.context(), "broken", Duration.ofSeconds(30));
            long tookMillis = (System.nanoTime() - started) / 1_000_000;

            assertTrue(tookMillis < 4_000, "two polls took " + tookMillis + " ms while contoso's API hangs for 8 s");
            assertFalse(Files.exists(dir.resolve("alerts/contoso")), "contoso's poll is still waiting");
            assertEquals(List.of("2222-high", "2222-low"), AlertFiles.alertIds(dir.resolve("alerts/fabrikam")));
            assertEquals(List.of("3333-high"), AlertFiles.alertIds(dir.resolve("alerts/broken")));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> AlertFiles.alertIds(dir.resolve("alerts/contoso")).equals(List.of("1111-high")));
        }
    }

    @Test
    void aKafkaTopicPerTenantIsOneProperty() throws Exception {
        String prefix = KafkaBroker.uniqueTopic("per-tenant");
        settings.put("defender.sinks", "kafka");
        settings.put("camel.component.kafka.brokers", KafkaBroker.bootstrapServers());
        settings.put("defender.sink.kafka.topic", prefix + "-${header.Defender-Tenant}");
        try (Bundle bundle = Bundle.start(settings)) {
            pollAll(bundle);
        }
        assertEquals(List.of("1111-high"), KafkaBroker.consume(prefix + "-contoso", 1, Duration.ofSeconds(20)).stream()
                .map(r -> r.key()).toList());
        assertEquals(List.of("2222-high", "2222-low"), KafkaBroker.consume(prefix + "-fabrikam", 2, Duration.ofSeconds(20))
                .stream().map(r -> r.key()).sorted().toList());
    }

    @Test
    void eachTenantCanHaveItsOwnTopicDirectoryHandlersAndRetries() throws Exception {
        String shared = KafkaBroker.uniqueTopic("shared");
        String own = KafkaBroker.uniqueTopic("contoso-own");
        try (PlaybookHandler handlers = new PlaybookHandler()) {
            settings.put("defender.sinks", "kafka,file,http");
            settings.put("camel.component.kafka.brokers", KafkaBroker.bootstrapServers());
            settings.put("defender.sink.kafka.topic", shared);
            settings.put("defender.sink.http.urls", handlers.url("/shared"));
            settings.put("defender.sink.http.bearer-token", "shared-token");
            settings.put("defender.sink.retry-delay", "PT0.01S");
            settings.put("defender.tenant.contoso.sink.kafka.topic", own);
            settings.put("defender.tenant.contoso.sink.file.dir", dir.resolve("contoso-alerts").toString());
            settings.put("defender.tenant.contoso.sink.http.urls", handlers.url("/contoso") + "," + handlers.url("/down"));
            settings.put("defender.tenant.contoso.sink.http.handler.1.bearer-token", "contoso-token");
            // /down answers 500 to every request: contoso retries it once, then dead-letters
            settings.put("defender.tenant.contoso.sink.retries", "1");
            handlers.answerWith(path -> path.equals("/down") ? 500 : 200);
            try (Bundle bundle = Bundle.start(settings)) {
                pollAll(bundle);
            }
            assertEquals(List.of("1111-high"), KafkaBroker.consume(own, 1, Duration.ofSeconds(20)).stream()
                    .map(r -> r.key()).toList());
            assertEquals(List.of("2222-high", "2222-low"), KafkaBroker.consume(shared, 2, Duration.ofSeconds(20)).stream()
                    .map(r -> r.key()).sorted().toList(), "contoso's alerts are not in the shared topic");
            assertEquals(List.of("1111-high"), AlertFiles.alertIds(dir.resolve("contoso-alerts/contoso")));
            assertFalse(Files.exists(dir.resolve("alerts/contoso")));
            assertEquals(List.of("2222-high", "2222-low"), AlertFiles.alertIds(dir.resolve("alerts/fabrikam")));

            Map<String, List<String>> tokensByPath = new java.util.TreeMap<>();
            handlers.requests().forEach(r -> tokensByPath.computeIfAbsent(r.path(), p -> new java.util.ArrayList<>())
                    .add(String.valueOf(r.header("Authorization"))));
            assertEquals(Map.of("/contoso", List.of("Bearer contoso-token"),
                    "/down", List.of("null", "null"),
                    "/shared", List.of("Bearer shared-token", "Bearer shared-token")), tokensByPath,
                    "a tenant's own handlers never get the shared token; contoso's 1 retry of /down, not the default 3");
            assertEquals(List.of("1111-high"), AlertFiles.alertIds(dir.resolve("state/dead-letter/contoso")));
        }
    }

    @Test
    void aMistakeInOneTenantsKeysNamesThatTenantsKey() {
        settings.put("defender.tenant.fabrikam.poll.page-size", "0");
        Exception failure = assertThrows(Exception.class, () -> Bundle.start(settings).close());
        assertEquals("Invalid configuration: defender.tenant.fabrikam.poll.page-size: must be between 1 and 10000, was 0",
                Application.configurationMistake(failure).getMessage());

        settings.remove("defender.tenant.fabrikam.poll.page-size");
        settings.remove("defender.tenant.broken.tenant-id");
        failure = assertThrows(Exception.class, () -> Bundle.start(settings).close());
        assertEquals("Invalid configuration: defender.tenant.broken.tenant-id: is required but not set",
                Application.configurationMistake(failure).getMessage());

        settings.put("defender.tenants", "contoso,contoso");
        failure = assertThrows(Exception.class, () -> Bundle.start(settings).close());
        assertTrue(Application.configurationMistake(failure).getMessage().startsWith("Invalid configuration: defender.tenants:"));
    }

    @Test
    void eachTenantHasItsOwnSourceInOneProcess() throws Exception {
        // contoso's incidents (Graph), fabrikam's alerts (the Defender API) and the third tenant's incidents (Defender
        // XDR, its secret put right), from the same emulator
        String recent = Timestamps.format(Instant.now().minus(Duration.ofMinutes(30)));
        emulator.putIncident(CONTOSO, io.defenderalertroutes.emulator.IncidentJson.graphIncident("9001", recent, "active",
                "high", List.of(AlertJson.graphAlert("in-incident", recent, "new", "high", "Malware",
                        "microsoftDefenderForEndpoint"))));
        settings.put("defender.tenants", "contoso,fabrikam");
        emulator.putDefenderIncident(BROKEN, io.defenderalertroutes.emulator.IncidentJson.defenderIncident(7001, recent,
                "Active", "High", List.of(io.defenderalertroutes.emulator.IncidentJson.defenderIncidentAlert("da-in-xdr",
                        recent, "New", "High", "Malware"))));
        settings.put("defender.tenants", "contoso,fabrikam,broken");
        settings.put("defender.tenant.contoso.source", "graph-incidents");
        settings.put("defender.tenant.broken.source", "defender-incidents");
        settings.put("defender.tenant.broken.client-secret", "the-real-secret");
        try (Bundle bundle = Bundle.start(settings)) {
            PollTimers.pollNow(bundle.context(), "contoso", Duration.ofSeconds(30));
            PollTimers.pollNow(bundle.context(), "fabrikam", Duration.ofSeconds(30));
            PollTimers.pollNow(bundle.context(), "broken", Duration.ofSeconds(30));
        }
        assertEquals(List.of("7001"), AlertFiles.alertIds(dir.resolve("alerts/broken")), "the third: one Defender XDR incident");
        assertEquals(1, emulator.defenderIncidentRequests(BROKEN));
        assertEquals(0, emulator.defenderIncidentRequests(CONTOSO) + emulator.defenderIncidentRequests(FABRIKAM),
                "only the third tenant called Defender XDR");
        assertEquals(List.of("9001"), AlertFiles.alertIds(dir.resolve("alerts/contoso")), "contoso: one incident");
        assertEquals(List.of("2222-high", "2222-low"), AlertFiles.alertIds(dir.resolve("alerts/fabrikam")).stream().sorted().toList(),
                "fabrikam: its alerts");
        assertEquals(0, emulator.apiRequests(CONTOSO), "contoso never called the Defender API");
        assertTrue(emulator.graphPreferHeaders(FABRIKAM).isEmpty(), "fabrikam never called Graph");
    }
}
