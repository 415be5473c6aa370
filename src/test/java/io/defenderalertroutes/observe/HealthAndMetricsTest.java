package io.defenderalertroutes.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalDouble;

import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.testsupport.AlertFiles;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.EmulatedTenant;
import io.defenderalertroutes.testsupport.Management;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** /observe/health and /observe/metrics as an operator reads them, after runs whose outcome the test knows. */
class HealthAndMetricsTest {

    private static final String TENANT = Bundle.TENANT_ID;
    private static final String FORBIDDEN = "{\"error\":{\"code\":\"Forbidden\",\"message\":\"Missing application roles.\"}}";

    @RegisterExtension
    final EmulatedTenant tenant = new EmulatedTenant();

    private Management management;

    @BeforeEach
    void start() throws Exception {
        tenant.settings().put("defender.trigger.severity", "High,Medium");
        management = Management.on(tenant.settings());
    }

    @Test
    void readinessIsDownUntilTheFirstPollThenUpThenDownAfterARunOfFailuresAndUpAgain() throws Exception {
        tenant.settings().put("defender.health.failed-polls", "2");
        tenant.emulator().putAlert(TENANT, AlertJson.alert("h1", Emulated.ago(Duration.ofHours(1)), "New", "High", "Malware"));
        try (Bundle bundle = tenant.start()) {
            HttpResponse<String> before = management.get("/observe/health/ready");
            assertEquals(503, before.statusCode(), before.body());
            assertTrue(before.body().contains("has not completed a poll yet"), before.body());
            assertEquals(200, management.get("/observe/health/live").statusCode(), "a process that has not polled is alive");

            bundle.pollNow();
            HttpResponse<String> afterFirst = management.get("/observe/health/ready");
            assertEquals(200, afterFirst.statusCode(), afterFirst.body());

            tenant.emulator().enqueueFault(TENANT, 403, FORBIDDEN, Map.of());
            bundle.pollNow();
            assertEquals(200, management.get("/observe/health/ready").statusCode(), "one failed poll is not yet an alarm");

            tenant.emulator().enqueueFault(TENANT, 403, FORBIDDEN, Map.of());
            bundle.pollNow();
            HttpResponse<String> alarm = management.get("/observe/health/ready");
            assertEquals(503, alarm.statusCode(), alarm.body());
            assertTrue(alarm.body().contains("the last 2 polls of tenant contoso failed"), alarm.body());
            assertEquals(2.0, value("defender_polls_failed_consecutive", "tenant=\"contoso\""));

            bundle.pollNow();
            assertEquals(200, management.get("/observe/health/ready").statusCode(), "recovered after a good poll");
            assertEquals(0.0, value("defender_polls_failed_consecutive", "tenant=\"contoso\""));
            assertEquals(2.0, value("defender_polls_total", "tenant=\"contoso\"", "outcome=\"succeeded\""));
            assertEquals(2.0, value("defender_polls_total", "tenant=\"contoso\"", "outcome=\"failed\""));
        }
    }

    @Test
    void readinessNamesEveryTenantAndWhyAFirstPollFailed() throws Exception {
        String other = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
        tenant.emulator().registerClient(other, Bundle.CLIENT_ID, Bundle.CLIENT_SECRET);
        tenant.settings().put("defender.tenants", "healthy,refused");
        tenant.settings().put("defender.tenant.healthy.tenant-id", TENANT);
        tenant.settings().put("defender.tenant.refused.tenant-id", other);
        tenant.emulator().enqueueFault(other, 403, FORBIDDEN, Map.of());
        try (Bundle bundle = tenant.start()) {
            io.defenderalertroutes.schedule.PollTimers.pollNow(bundle.context(), "healthy", Duration.ofSeconds(30));
            io.defenderalertroutes.schedule.PollTimers.pollNow(bundle.context(), "refused", Duration.ofSeconds(30));
            HttpResponse<String> ready = management.get("/observe/health/ready");
            assertEquals(503, ready.statusCode(), ready.body());
            com.fasterxml.jackson.databind.JsonNode checks = com.fasterxml.jackson.databind.json.JsonMapper.builder().build()
                    .readTree(ready.body()).path("checks");
            Map<String, com.fasterxml.jackson.databind.JsonNode> byName = new java.util.HashMap<>();
            checks.forEach(c -> byName.put(c.path("name").asText(), c));
            assertEquals("UP", byName.get("defender-poll-healthy").path("status").asText(), ready.body());
            com.fasterxml.jackson.databind.JsonNode refused = byName.get("defender-poll-refused");
            assertEquals("DOWN", refused.path("status").asText(), ready.body());
            assertTrue(refused.path("message").asText().contains("HTTP 403")
                    && refused.path("message").asText().contains("Alert.Read.All"), ready.body());
            assertFalse(ready.body().contains(Bundle.CLIENT_SECRET));
        }
    }

    @Test
    void metricsCountAKnownRun() throws Exception {
        // 5 alerts: 3 match (High or Medium), of which 1 is seen again on the second poll
        tenant.emulator().putAlert(TENANT, AlertJson.alert("m1", Emulated.ago(Duration.ofHours(3)), "New", "High", "Malware"));
        tenant.emulator().putAlert(TENANT, AlertJson.alert("m2", Emulated.ago(Duration.ofHours(2)), "New", "Medium", "Malware"));
        tenant.emulator().putAlert(TENANT, AlertJson.alert("m3", Emulated.ago(Duration.ofHours(2)), "New", "Low", "Malware"));
        tenant.emulator().putAlert(TENANT, AlertJson.alert("m4", Emulated.ago(Duration.ofMinutes(2)), "New", "Informational", "Malware"));
        tenant.emulator().putAlert(TENANT, AlertJson.alert("m5", Emulated.ago(Duration.ofMinutes(2)), "New", "High", "Malware"));
        // the criteria are also in the API's $filter, so only matching alerts are fetched; the overlap of 5
        // minutes brings m5 back on the second poll, where the dedup drops it
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
            bundle.pollNow();
            assertEquals(3, AlertFiles.list(tenant.dir().resolve("alerts")).size());
            assertEquals(4.0, value("defender_alerts_fetched_total", "tenant=\"contoso\""));
            assertEquals(4.0, value("defender_alerts_matched_total", "tenant=\"contoso\""));
            assertEquals(1.0, value("defender_alerts_duplicates_total", "tenant=\"contoso\""));
            assertEquals(3.0, value("defender_alerts_delivered_total", "tenant=\"contoso\"", "sink=\"file\""));
            assertEquals(2.0, value("defender_api_calls_total", "tenant=\"contoso\""));
            assertEquals(1.0, value("defender_token_requests_total", "tenant=\"contoso\""));
            assertEquals(2.0, value("defender_poll_duration_seconds_count", "tenant=\"contoso\""));
            double lag = value("defender_checkpoint_lag_seconds", "tenant=\"contoso\"");
            assertTrue(lag >= 120 && lag < 600, "checkpoint lag " + lag + " s, the newest alert being 2 minutes old");

            String all = management.metrics();
            assertFalse(all.contains(Bundle.CLIENT_SECRET), "the client secret is in the metrics");
            assertFalse(management.get("/observe/health").body().contains(Bundle.CLIENT_SECRET));
        }
    }

    @Test
    void aThrottledCallIsCountedAndWaitedOut() throws Exception {
        tenant.emulator().putAlert(TENANT, AlertJson.alert("t1", Emulated.ago(Duration.ofHours(1)), "New", "High", "Malware"));
        tenant.emulator().enqueueFault(TENANT, 429, "{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"Rate limit is exceeded.\"}}",
                Map.of("Retry-After", "1"));
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
            assertEquals(1, AlertFiles.list(tenant.dir().resolve("alerts")).size());
            assertEquals(1.0, value("defender_api_throttled_total", "tenant=\"contoso\"", "status=\"429\""));
            assertEquals(2.0, value("defender_api_calls_total", "tenant=\"contoso\""), "the retry is a call too");
        }
    }

    /** One alert for the sinks kafka and file, with a broker nobody listens on. */
    private void anAlertForAnUnreachableKafka() {
        tenant.emulator().putAlert(TENANT, AlertJson.alert("k1", Emulated.ago(Duration.ofHours(1)), "New", "High", "Malware"));
        tenant.settings().put("defender.sinks", "kafka,file");
        tenant.settings().put("camel.component.kafka.brokers", "localhost:1");
        tenant.settings().put("camel.component.kafka.max-block-ms", "2000");
        tenant.settings().put("defender.sink.retries", "0");
    }

    @Test
    void anUnreachableKafkaShowsInReadinessAndHoldsThePollSoNothingIsLost() throws Exception {
        anAlertForAnUnreachableKafka();
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
            HttpResponse<String> ready = management.get("/observe/health/ready");
            assertEquals(503, ready.statusCode(), ready.body());
            assertTrue(ready.body().matches("(?s).*\"name\":\"producer:kafka[^\"]*\",\"status\":\"DOWN\".*"), ready.body());
            assertFalse(Files.exists(tenant.dir().resolve("state/dead-letter")), "kafka holds: nothing is dead-lettered");
            assertFalse(Files.exists(tenant.dir().resolve("state/contoso.checkpoint")), "the checkpoint stays for the next poll");
            assertEquals(1.0, value("defender_polls_total", "tenant=\"contoso\"", "outcome=\"failed\""));
            assertTrue(Management.sample(management.metrics(), "defender_alerts_delivered_total", "sink=\"kafka\"").isEmpty(),
                    "nothing counted as delivered to Kafka");
        }
    }

    @Test
    void aKafkaSinkSetToDeadLetterHandsItsAlertsToTheDeadLetterAndTheOthersGoOn() throws Exception {
        tenant.settings().put("defender.sink.kafka.on-failure", "dead-letter");
        anAlertForAnUnreachableKafka();
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
            assertEquals(1, AlertFiles.list(tenant.dir().resolve("state/dead-letter")).size(), "the alert is in the dead letter");
            assertEquals(1.0, value("defender_alerts_dead_lettered_total", "tenant=\"contoso\"", "sink=\"defender-sink-kafka\""));
            assertEquals(1.0, value("defender_alerts_delivered_total", "tenant=\"contoso\"", "sink=\"file\""));
            assertEquals(1.0, value("defender_dead_letters_pending", "tenant=\"contoso\"", "sink=\"defender-sink-kafka\""));
            assertTrue(Files.exists(tenant.dir().resolve("state/contoso.checkpoint")), "delivered or dead-lettered: the poll completes");
        }
    }

    @Test
    void withTheBrokerUpTheKafkaProducerIsReady() throws Exception {
        tenant.emulator().putAlert(TENANT, AlertJson.alert("k2", Emulated.ago(Duration.ofHours(1)), "New", "High", "Malware"));
        tenant.settings().put("defender.sinks", "kafka");
        tenant.settings().put("defender.sink.kafka.topic", io.defenderalertroutes.testsupport.KafkaBroker.uniqueTopic("health"));
        tenant.settings().put("camel.component.kafka.brokers", io.defenderalertroutes.testsupport.KafkaBroker.bootstrapServers());
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> management.get("/observe/health/ready").statusCode() == 200);
            assertEquals(1.0, value("defender_alerts_delivered_total", "tenant=\"contoso\"", "sink=\"kafka\""));
        }
    }

    private double value(String name, String... labels) throws Exception {
        String exposition = management.metrics();
        OptionalDouble found = Management.sample(exposition, name, labels);
        assertTrue(found.isPresent(), name + " " + String.join(",", labels) + " is not in\n" + exposition);
        return found.getAsDouble();
    }
}
