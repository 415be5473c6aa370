package io.defenderalertroutes.sinks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.testsupport.AlertFiles;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.EmulatedTenant;
import io.defenderalertroutes.testsupport.KafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Kafka sink sends a page's records together (defender.sink.kafka.batch) or each on its own: either way every
 * alert reaches the topic once, in order, with its key and headers, and a record Kafka refuses is dead-lettered
 * without taking its page's other records with it. A formatted record (here a CloudEvent, in the Kafka binding's
 * structured mode) is formatted once from the raw alert, also when it goes again on its own, and its dead letter keeps
 * the raw alert.
 */
class KafkaBatchTest {

    private static final int ALERTS = 23;
    private static final int TOO_LARGE = 12;

    @RegisterExtension
    final EmulatedTenant tenant = new EmulatedTenant();

    @ParameterizedTest(name = "batch={0}, format={1}")
    // a formatted record refused in its page goes again on its own: the batch case covers both paths
    @CsvSource({"true, raw", "false, raw", "true, cloudevents"})
    void everyRecordOnceInOrderAndOnlyTheRefusedOneDeadLettered(boolean batch, String format) throws Exception {
        List<String> served = new ArrayList<>();
        for (int i = 0; i < ALERTS; i++) {
            // one alert with a long evidence list, larger than the producer takes
            String alert = AlertJson.alert("a" + i, Emulated.ago(Duration.ofMinutes(90 - i)), "New", "High", "Malware",
                    i == TOO_LARGE ? Collections.nCopies(300, "File") : List.of());
            tenant.emulator().putAlert(Bundle.TENANT_ID, alert);
            served.add(alert);
        }
        assertTrue(served.get(TOO_LARGE).length() > 20_000 && served.get(0).length() < 10_000, "sizes as the test means");
        String topic = KafkaBroker.uniqueTopic("batch");
        tenant.settings().put("defender.sinks", "kafka");
        tenant.settings().put("defender.sink.kafka.topic", topic);
        tenant.settings().put("defender.sink.kafka.batch", String.valueOf(batch));
        tenant.settings().put("defender.sink.kafka.format", format);
        tenant.settings().put("camel.component.kafka.brokers", KafkaBroker.bootstrapServers());
        tenant.settings().put("camel.component.kafka.max-request-size", "20000");
        tenant.settings().put("defender.sink.retries", "0");
        tenant.settings().put("defender.poll.page-size", "5");
        tenant.settings().put("defender.poll.expand-evidence", "true");
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
            // the dedup keys were kept once Kafka had the records: nothing goes again
            bundle.pollNow();
        }

        List<ConsumerRecord<String, byte[]>> records = KafkaBroker.all(topic);
        List<String> keys = records.stream().map(ConsumerRecord::key).toList();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < ALERTS; i++) {
            if (i != TOO_LARGE) {
                expected.add("a" + i);
            }
        }
        assertEquals(expected, keys, "each alert once, in the order served, but the refused one");
        for (ConsumerRecord<String, byte[]> record : records) {
            int i = Integer.parseInt(record.key().substring(1));
            String value = new String(record.value(), StandardCharsets.UTF_8);
            if (format.equals("raw")) {
                assertEquals(served.get(i), value, "the raw alert, byte for byte");
                assertNull(header(record, "content-type"));
            } else {
                assertEquals(List.of(), CloudEventsSchema.violations(value), value);
                JsonNode event = CloudEventsSchema.JSON.readTree(value);
                assertEquals(CloudEventsSchema.JSON.readTree(served.get(i)), event.get("data"), "the raw alert is the data, once");
                assertEquals(CloudEventsTransformer.MEDIA_TYPE, header(record, "content-type"), "the Kafka binding's header");
                assertNull(record.headers().lastHeader("Content-Type"), "one spelling only");
            }
            assertEquals(record.key(), header(record, "Defender-Alert-Id"), "the alert's own headers on its record");
            assertEquals("contoso", header(record, "Defender-Tenant"));
        }
        List<JsonNode> dead = AlertFiles.envelopes(tenant.dir().resolve("state/dead-letter"));
        assertEquals(1, dead.size(), "the refused record dead-lettered, alone");
        assertEquals("a" + TOO_LARGE, dead.get(0).get("alertId").asText());
        assertTrue(dead.get(0).get("failure").asText().contains("RecordTooLarge"), dead.get(0).get("failure").asText());
        assertEquals(CloudEventsSchema.JSON.readTree(served.get(TOO_LARGE)),
                dead.get(0).get("alert"), "the dead letter keeps the raw alert");
        assertTrue(Files.exists(tenant.dir().resolve("state/contoso.checkpoint")), "the poll went through");
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
