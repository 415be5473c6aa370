package io.defenderalertroutes.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.testsupport.AlertFiles;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.EmulatedTenant;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.KafkaBroker;
import io.defenderalertroutes.testsupport.PlaybookHandler;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.awaitility.Awaitility.await;

/**
 * The whole pipeline against the emulator, a real Kafka broker, a real HTTP handler and real files: every
 * alert reaches every sink once, body byte for byte as the API served it, with its metadata.
 */
class PipelineEndToEndTest {

    private static final String TENANT = Bundle.TENANT_ID;

    @RegisterExtension
    final EmulatedTenant tenant = new EmulatedTenant();

    private PlaybookHandler handler;
    private PlaybookHandler secondHandler;

    @BeforeEach
    void start() throws Exception {
        handler = tenant.handler();
        secondHandler = tenant.handler();
    }

    @Test
    void everyAlertReachesKafkaFilesAndHandlersByteForByte() throws Exception {
        String fixture = new String(getClass().getResourceAsStream("/fixtures/mde-list-alerts.json").readAllBytes(),
                StandardCharsets.UTF_8);
        String fixtureAlert = com.fasterxml.jackson.databind.json.JsonMapper.builder().build().readTree(fixture)
                .get("value").get(0).toPrettyString();
        String recent = java.time.Instant.now().minus(Duration.ofHours(2)).toString();
        tenant.emulator().putAlert(TENANT, fixtureAlert.replace("2020-07-20T10:53:50.19Z", recent));
        // relative to now, inside the 2-day historical start, with all seven of Defender's fractional digits
        String highUpdated = java.time.Instant.now().minus(Duration.ofHours(30)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                .toString().replace("Z", ".1234567Z");
        tenant.emulator().putAlert(TENANT, AlertJson.alert("a-high", highUpdated, "New", "High", "Malware"));
        tenant.emulator().putAlert(TENANT, AlertJson.alert("a-resolved", Emulated.ago(Duration.ofHours(29)), "Resolved", "Medium",
                "CredentialAccess"));

        String topic = KafkaBroker.uniqueTopic("alerts");
        tenant.settings().put("defender.sinks", "kafka,file,http");
        tenant.settings().put("defender.sink.kafka.topic", topic);
        tenant.settings().put("camel.component.kafka.brokers", KafkaBroker.bootstrapServers());
        tenant.settings().put("defender.sink.http.urls", handler.url("/playbook") + "," + secondHandler.url("/other"));
        tenant.settings().put("defender.poll.on-start", "true");
        tenant.settings().put("defender.poll.max-historical-start", "2 days ago");

        try (Bundle bundle = tenant.start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> AlertFiles.list(tenant.dir().resolve("alerts")).size() == 3
                    && handler.requests().size() == 3 && secondHandler.requests().size() == 3);

            List<ConsumerRecord<String, byte[]>> records = KafkaBroker.consume(topic, 3, Duration.ofSeconds(20));
            assertEquals(3, records.size());
            for (ConsumerRecord<String, byte[]> record : records) {
                String id = record.key();
                assertArrayEquals(tenant.emulator().servedJson(TENANT, id, false).getBytes(StandardCharsets.UTF_8), record.value(),
                        "the Kafka record is the alert exactly as the API served it");
                Map<String, String> headers = headers(record);
                assertEquals("contoso", headers.get("Defender-Tenant"));
                assertEquals(id, headers.get("Defender-Alert-Id"));
                assertEquals("new", headers.get("Defender-Change"));
                assertEquals("contoso:" + id + ":" + headers.get("Defender-Last-Update-Time"),
                        headers.get("Defender-Idempotency-Key"));
                assertFalse(headers.containsKey("Authorization"), "the API token never travels on");
                assertFalse(headers.keySet().stream().anyMatch(h -> h.startsWith("Camel") || h.startsWith("DefenderDedup")),
                        headers.keySet()::toString);
            }
            Map<String, String> high = headers(records.stream().filter(r -> r.key().equals("a-high")).findFirst().orElseThrow());
            assertEquals(highUpdated, high.get("Defender-Last-Update-Time"));
            assertEquals("New", high.get("Defender-Status"));
            assertEquals("High", high.get("Defender-Severity"));
            assertEquals("Malware", high.get("Defender-Category"));

            for (PlaybookHandler h : List.of(handler, secondHandler)) {
                for (PlaybookHandler.Request request : h.requests()) {
                    String id = request.header("Defender-Alert-Id");
                    assertEquals("POST", request.method());
                    assertTrue(request.header("Content-Type").startsWith("application/json"));
                    assertArrayEquals(tenant.emulator().servedJson(TENANT, id, false).getBytes(StandardCharsets.UTF_8), request.body());
                    assertNull(request.header("Authorization"), "the API token is never sent to a handler");
                    assertEquals("contoso:" + id + ":" + request.header("Defender-Last-Update-Time"),
                            request.header("Defender-Idempotency-Key"));
                }
            }

            List<Path> files = AlertFiles.list(tenant.dir().resolve("alerts"));
            for (Path file : files) {
                assertEquals(tenant.dir().resolve("alerts/contoso"), file.getParent(), "one folder per tenant");
                String text = AlertFiles.text(file);
                JsonNode envelope = com.fasterxml.jackson.databind.json.JsonMapper.builder().build().readTree(text);
                String id = envelope.get("alertId").asText();
                assertTrue(text.contains("\"alert\":" + tenant.emulator().servedJson(TENANT, id, false) + "}"),
                        "the envelope holds the alert's JSON verbatim");
                assertEquals("new", envelope.get("change").asText());
                assertEquals("contoso", envelope.get("tenant").asText());
            }
            assertEquals(newestOf(records), Files.readString(tenant.dir().resolve("state/contoso.checkpoint")).trim());
        }
    }

    private static String newestOf(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(r -> headers(r).get("Defender-Last-Update-Time"))
                .max(Comparator.comparing(java.time.Instant::parse)).orElseThrow();
    }

    private static Map<String, String> headers(ConsumerRecord<String, byte[]> record) {
        return java.util.stream.StreamSupport.stream(record.headers().spliterator(), false)
                .collect(Collectors.toMap(Header::key, h -> new String(h.value(), StandardCharsets.UTF_8), (a, b) -> b));
    }
}
