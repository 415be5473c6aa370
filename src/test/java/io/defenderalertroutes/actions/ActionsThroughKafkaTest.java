package io.defenderalertroutes.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.EmulatedTenant;
import io.defenderalertroutes.testsupport.KafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Requests from a real Kafka topic, results to another: a malformed record is answered and the consumer goes on. */
class ActionsThroughKafkaTest {

    @RegisterExtension
    final EmulatedTenant tenant = new EmulatedTenant();

    @Test
    void requestsFromATopicGetTheirResultsOnAnotherAndABadRecordStopsNothing() throws Exception {
        String requests = KafkaBroker.uniqueTopic("actions");
        String results = KafkaBroker.uniqueTopic("action-results");
        KafkaBroker.createTopic(requests, 1);
        tenant.emulator().putAlert(Bundle.TENANT_ID, AlertJson.alert("ka1", Emulated.ago(Duration.ofHours(1)), "New", "High", "Malware"));
        tenant.emulator().putMachine(Bundle.TENANT_ID, ResponseActionsTest.MACHINE);
        tenant.emulator().setMachineActionLife(Bundle.TENANT_ID, Duration.ofMillis(200), "Succeeded");
        Map<String, String> settings = tenant.settings();
        settings.put("camel.component.kafka.brokers", KafkaBroker.bootstrapServers());
        settings.put("defender.actions.allowed", "update-alert,isolate-machine");
        settings.put("defender.actions.topic", requests);
        settings.put("defender.actions.group-id", requests + "-group");
        settings.put("defender.actions.results", "kafka");
        settings.put("defender.actions.results.topic", results);
        settings.put("defender.actions.check-after", "PT0.05S");
        KafkaBroker.produce(requests,
                ResponseActionsTest.request("k-1", "update-alert", "ka1", "{\"status\":\"Resolved\",\"comment\":\"fixed\"}"),
                "{this is not json",
                ResponseActionsTest.request("k-2", "isolate-machine", ResponseActionsTest.MACHINE,
                        "{\"Comment\":\"contain\",\"IsolationType\":\"Full\"}"),
                ResponseActionsTest.request("k-1", "update-alert", "ka1", "{\"status\":\"Resolved\",\"comment\":\"fixed\"}"));
        List<ConsumerRecord<String, byte[]>> received;
        io.defenderalertroutes.testsupport.Management management = io.defenderalertroutes.testsupport.Management.on(settings);
        String ready;
        String metrics;
        try (Bundle bundle = tenant.start()) {
            received = KafkaBroker.consume(results, 3, Duration.ofSeconds(60));
            ready = management.get("/observe/health/ready").body();
            metrics = management.metrics();
        }
        System.out.println(ready);
        assertTrue(ready.contains("defender-actions-kafka"), "readiness names the action consumer: " + ready);
        assertEquals(1.0, io.defenderalertroutes.testsupport.Management.sample(metrics, "defender_actions_total",
                "action=\"isolate-machine\"", "outcome=\"succeeded\"").orElse(0), 0.0, metrics);
        assertEquals(1.0, io.defenderalertroutes.testsupport.Management.sample(metrics, "defender_actions_total",
                "action=\"unknown\"", "outcome=\"rejected\"").orElse(0), 0.0);
        List<String> outcomes = new java.util.ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : received) {
            JsonNode result = ResponseActionsTest.JSON.readTree(new String(record.value(), StandardCharsets.UTF_8));
            outcomes.add(record.key() + " " + result.path("outcome").asText());
        }
        assertEquals(List.of("k-1 succeeded", "k-2 succeeded", "null rejected"), outcomes.stream().sorted().toList(),
                "the repeat of k-1 is answered from its kept result, not sent again");

        // the offsets were committed: a restart reads nothing again, executes nothing, audits nothing more
        Path auditDir = tenant.dir().resolve("state/audit");
        try (Bundle bundle = tenant.start()) {
            org.awaitility.Awaitility.await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8))
                    .until(() -> auditLines(auditDir) == 4);
        }
        assertEquals(3, KafkaBroker.all(results).size(), "no result sent again");
        assertEquals("Resolved", ResponseActionsTest.JSON.readTree(
                tenant.emulator().servedJson(Bundle.TENANT_ID, "ka1", false)).path("status").asText());
        assertEquals(1, tenant.emulator().machineActionTypes(Bundle.TENANT_ID).size());

        Path audit = Files.list(tenant.dir().resolve("state/audit")).findFirst().orElseThrow();
        List<String> lines = Files.readAllLines(audit);
        assertEquals(4, lines.size(), lines.toString());
        for (int offset = 0; offset < 4; offset++) {
            // a record not keyed by its requestId ran from its keyed copy, and says where it was first read
            String origin = "\"origin\":\"kafka:" + requests + "/0/" + offset + (offset == 1 ? "\"" : " (then kafka:");
            assertTrue(lines.stream().anyMatch(l -> l.contains(origin)), "who asked, for record " + offset + ": " + lines);
        }
    }

    private static long auditLines(Path dir) throws java.io.IOException {
        try (var files = Files.list(dir)) {
            long lines = 0;
            for (Path file : files.toList()) {
                lines += Files.readAllLines(file).size();
            }
            return lines;
        }
    }
}
