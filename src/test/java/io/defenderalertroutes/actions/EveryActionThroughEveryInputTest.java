package io.defenderalertroutes.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.EmulatedTenant;
import io.defenderalertroutes.testsupport.KafkaBroker;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each of the 14 actions, sent once through each input (a Kafka record, POST /actions, direct:), succeeds; the table is printed. */
class EveryActionThroughEveryInputTest {

    private static final String TOKEN = "every-input-token";

    @RegisterExtension
    final EmulatedTenant tenant = new EmulatedTenant();

    /** The same requests as ResponseActionsTest's, each under a requestId of its input. */
    private static List<String> requests(String input) throws Exception {
        List<String> requests = new ArrayList<>();
        for (String request : ResponseActionsTest.everyAction().values()) {
            ObjectNode json = (ObjectNode) ResponseActionsTest.JSON.readTree(request);
            json.put("requestId", input + "-" + json.get("requestId").asText());
            requests.add(json.toString());
        }
        return requests;
    }

    @Test
    void everyActionSucceedsThroughKafkaHttpAndDirect() throws Exception {
        tenant.emulator().putAlert(Bundle.TENANT_ID, AlertJson.alert("da1", Emulated.ago(Duration.ofHours(1)), "New", "High", "Malware"));
        tenant.emulator().putAlert(Bundle.TENANT_ID, AlertJson.alert("da2", Emulated.ago(Duration.ofHours(1)), "New", "Low", "Malware"));
        tenant.emulator().putMachine(Bundle.TENANT_ID, ResponseActionsTest.MACHINE);
        tenant.emulator().setMachineActionLife(Bundle.TENANT_ID, Duration.ofMillis(200), "Succeeded");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String topic = KafkaBroker.uniqueTopic("every-action");
        KafkaBroker.createTopic(topic, 1);
        Path results = tenant.dir().resolve("results");
        var settings = tenant.settings();
        settings.put("camel.component.kafka.brokers", KafkaBroker.bootstrapServers());
        settings.put("defender.actions.allowed", "all");
        settings.put("defender.actions.topic", topic);
        settings.put("defender.actions.group-id", topic);
        settings.put("defender.actions.http.port", Integer.toString(port));
        settings.put("defender.actions.http.bearer-token", TOKEN);
        settings.put("defender.actions.results", "file");
        settings.put("defender.actions.results.dir", results.toString());
        settings.put("defender.actions.check-after", "PT0.05S");
        HttpClient http = HttpClient.newHttpClient();
        try (Bundle bundle = tenant.start()) {
            for (String request : requests("direct")) {
                ResponseActionsTest.act(bundle, request);
            }
            for (String request : requests("http")) {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actions"))
                        .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString(request)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(202, answer.statusCode(), answer.body());
                // one at a time, as a playbook would: the next waits for this one's result
                String requestId = ResponseActionsTest.JSON.readTree(request).path("requestId").asText();
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(results.resolve(requestId + ".json")));
            }
            KafkaBroker.produce(topic, requests("kafka").toArray(String[]::new));
            int made = 3 * ResponseActionsTest.everyAction().size();
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                try (var files = Files.list(results)) {
                    return files.count() == made;
                }
            });
            // and delete-indicator, once there are indicators to delete: one through each input
            List<String> ids = new ArrayList<>(tenant.emulator().indicators(Bundle.TENANT_ID).keySet());
            ResponseActionsTest.act(bundle, ResponseActionsTest.request("direct-r-delete", "delete-indicator", ids.get(0), "{}"));
            assertEquals(202, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actions"))
                    .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString(
                            ResponseActionsTest.request("http-r-delete", "delete-indicator", ids.get(1), "{}"))).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            KafkaBroker.produce(topic, ResponseActionsTest.request("kafka-r-delete", "delete-indicator", ids.get(2), "{}"));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                try (var files = Files.list(results)) {
                    return files.count() == made + 3;
                }
            });
        }
        Map<String, String> outcomes = new TreeMap<>();
        try (var files = Files.list(results)) {
            for (Path file : files.toList()) {
                JsonNode result = ResponseActionsTest.JSON.readTree(Files.readString(file));
                outcomes.merge(result.path("action").asText(), result.path("requestId").asText().split("-")[0] + " "
                        + result.path("outcome").asText(), (a, b) -> a + ", " + b);
            }
        }
        outcomes.forEach((action, byInput) -> System.out.printf("%-30s %s%n", action,
                String.join(", ", List.of(byInput.split(", ")).stream().sorted().toList())));
        for (Map.Entry<String, String> each : outcomes.entrySet()) {
            assertEquals(List.of("direct succeeded", "http succeeded", "kafka succeeded"),
                    List.of(each.getValue().split(", ")).stream().sorted().toList(), each.getKey());
        }
        assertEquals(ResponseActionsTest.everyAction().size() + 1, outcomes.size(), "every action, delete-indicator too");
    }
}
