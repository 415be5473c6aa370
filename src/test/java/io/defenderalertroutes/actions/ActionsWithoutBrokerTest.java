package io.defenderalertroutes.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.EmulatedTenant;
import io.defenderalertroutes.testsupport.KafkaProcess;
import io.defenderalertroutes.testsupport.LogCapture;
import io.defenderalertroutes.testsupport.Management;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The HTTP intake of a deployment that keeps the Kafka defaults (request topic, Kafka results) without a broker that
 * answers: rejections answered at once, valid requests refused with 503 and the reason rather than accepted to never
 * run, readiness and the status page saying so; and requests accepted before a broker went away running once it is
 * back (a broker process of the test's own, stopped and started again).
 */
class ActionsWithoutBrokerTest {

    private static final String TOKEN = "actions-token-no-broker";

    @RegisterExtension
    final EmulatedTenant tenant = new EmulatedTenant();

    private final HttpClient http = HttpClient.newHttpClient();
    private int port;
    private Management management;

    @BeforeEach
    void httpIntakeWithKafkaDefaults() throws Exception {
        port = Management.freePort();
        management = Management.on(tenant.settings());
        tenant.emulator().putMachine(Bundle.TENANT_ID, ResponseActionsTest.MACHINE);
        tenant.emulator().setMachineActionLife(Bundle.TENANT_ID, Duration.ofMillis(200), "Succeeded");
        Map<String, String> settings = tenant.settings();
        // as docs/actions.md says to turn the HTTP intake on; defender.actions.topic and .results keep their defaults
        settings.put("defender.actions.allowed", "isolate-machine,run-av-scan");
        settings.put("defender.actions.http.port", Integer.toString(port));
        settings.put("defender.actions.http.bearer-token", TOKEN);
        settings.put("defender.actions.check-after", "PT0.05S");
        // the status page open without a token, as on a loopback management port
        settings.put("camel.management.host", "localhost");
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actions"))
                .timeout(Duration.ofSeconds(15)).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> result(String requestId) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actions/" + requestId))
                .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String isolate(String requestId) {
        return ResponseActionsTest.request(requestId, "isolate-machine", ResponseActionsTest.MACHINE,
                "{\"Comment\":\"c\",\"IsolationType\":\"Full\"}");
    }

    /** The answer and how long it took, in milliseconds. */
    private record Timed(HttpResponse<String> answer, long millis) {
    }

    private Timed timed(String body) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> answer = post(body);
        return new Timed(answer, (System.nanoTime() - start) / 1_000_000);
    }

    private JsonNode check(String id) throws Exception {
        JsonNode health = ResponseActionsTest.JSON.readTree(management.get("/observe/health/ready?data=true").body());
        for (JsonNode check : health.path("checks")) {
            if (id.equals(check.path("name").asText())) {
                return check;
            }
        }
        throw new AssertionError(id + " is not in " + health);
    }

    private List<Path> outbox() throws Exception {
        Path dir = tenant.dir().resolve("state/actions/outbox");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json") && !f.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
    }

    @Test
    void rejectionsAreAnsweredAtOnceAndAValidRequestIs503WithTheReason() throws Exception {
        tenant.settings().put("camel.component.kafka.brokers", "localhost:" + Management.freePort());
        try (LogCapture log = new LogCapture(); Bundle bundle = tenant.start()) {
            Map<String, String> rejections = Map.of(
                    "{not json", "the request is not valid JSON",
                    isolate("n-1").replace("contoso", "fabrikam"), "unknown tenant 'fabrikam'",
                    "{\"requestId\":\"n-2\",\"tenant\":\"contoso\",\"target\":\"m\"}", "action is missing",
                    ResponseActionsTest.request("n-3", "reboot-machine", ResponseActionsTest.MACHINE, "{}"),
                    "unknown action 'reboot-machine'");
            long slowest = 0;
            List<Long> times = new java.util.ArrayList<>();
            for (Map.Entry<String, String> each : rejections.entrySet()) {
                Timed rejected = timed(each.getKey());
                times.add(rejected.millis());
                assertEquals(400, rejected.answer().statusCode(), rejected.answer().body());
                assertTrue(rejected.answer().body().contains(each.getValue()), rejected.answer().body());
                slowest = Math.max(slowest, rejected.millis());
            }
            System.out.println("FIGURE no broker: 4 rejections answered 400 in " + times + " ms (the first request of the "
                    + "process's HTTP intake included)");
            assertTrue(slowest < 2000, "a rejection does not wait for the result sinks: " + slowest + " ms");

            Timed refused = timed(isolate("n-4"));
            System.out.println("FIGURE no broker: a valid request answered 503 in " + refused.millis() + " ms: "
                    + refused.answer().body());
            assertEquals(503, refused.answer().statusCode(), refused.answer().body());
            String reason = ResponseActionsTest.JSON.readTree(refused.answer().body()).path("error").asText();
            assertTrue(reason.contains("do not answer") && reason.contains("defender.actions.topic=none")
                    && reason.contains("defender.actions.results=file"), reason);
            assertTrue(refused.millis() < 2000, refused.millis() + " ms");
            assertEquals(404, result("n-4").statusCode(), "refused: nothing accepted, nothing kept");

            JsonNode consumer = check("consumer:defender-actions-kafka");
            assertEquals("DOWN", consumer.path("status").asText(), consumer.toString());
            assertTrue(consumer.path("message").asText().contains("defender.actions.topic=none"), consumer.toString());
            assertEquals(503, management.get("/observe/health/ready").statusCode());
            JsonNode status = ResponseActionsTest.JSON.readTree(management.get("/observe/status.json").body());
            assertEquals("Response actions", status.path("notices").path(0).path("what").asText(), status.toString());
            assertTrue(status.path("notices").path(0).path("fix").asText().contains("defender.actions.results=file"));
            assertTrue(management.get("/observe/status").body().contains("defender.actions.topic=none"));

            // the rejections' results wait in the outbox for the result topic, and nothing ran
            assertEquals(4, outbox().size(), outbox().toString());
            assertEquals(0, tenant.emulator().apiRequests(Bundle.TENANT_ID));
            // the clients' own connection warnings (twice a second) give way to one line a minute per client
            List<String> lines = log.lines();
            assertEquals(List.of(), lines.stream().filter(l -> l.startsWith("org.apache.kafka.clients.NetworkClient")
                    && (l.contains("could not be established") || l.contains("disconnected"))).toList());
            assertTrue(lines.stream().anyMatch(l -> l.contains("clientId=defender-actions-requests")),
                    "the request consumer is the named client whose own lines are dropped");
            Map<String, Long> said = lines.stream().filter(l -> l.contains(": cannot reach"))
                    .collect(Collectors.groupingBy(l -> l.replaceAll(".*Kafka client (\\S+) .*", "$1"), Collectors.counting()));
            System.out.println("FIGURE no broker: unreachable-broker lines per Kafka client during the test: " + said);
            assertEquals(Map.of("defender-actions-requests", 1L, "defender-actions-request-producer", 1L,
                    "defender-actions-result-producer", 1L), said);
        }
    }

    @Test
    void requestsAcceptedBeforeTheBrokerWentAwayRunOnceItIsBack() throws Exception {
        try (KafkaProcess broker = new KafkaProcess(tenant.dir().resolve("kafka"))) {
            broker.start();
            Map<String, String> settings = tenant.settings();
            settings.put("camel.component.kafka.brokers", broker.bootstrapServers());
            settings.put("defender.actions.results", "kafka,file");
            settings.put("defender.actions.results.dir", tenant.dir().resolve("results").toString());
            // a machine action takes a while: the broker goes while requests are in the topic or running
            tenant.emulator().setResponseDelay(Bundle.TENANT_ID, Duration.ofSeconds(2));
            try (Bundle bundle = tenant.start()) {
                List<String> before = List.of("o-1", "o-2", "o-3");
                for (String id : before) {
                    assertEquals(202, post(isolate(id)).statusCode());
                }
                Awaitility.await().atMost(Duration.ofSeconds(30))
                        .until(() -> tenant.emulator().apiRequests(Bundle.TENANT_ID) > 0);
                long stopped = System.nanoTime();
                broker.stop();
                Timed refused = Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                        .until(() -> timed(isolate("o-4")), t -> t.answer().statusCode() == 503);
                System.out.println("FIGURE outage: first 503 " + (System.nanoTime() - stopped) / 1_000_000
                        + " ms after the broker stopped, answered in " + refused.millis() + " ms");
                assertEquals("DOWN", check("consumer:defender-actions-kafka").path("status").asText());
                Timed rejected = timed(ResponseActionsTest.request("o-bad", "reboot-machine", ResponseActionsTest.MACHINE, "{}"));
                System.out.println("FIGURE outage: a rejection answered 400 in " + rejected.millis() + " ms");
                assertEquals(400, rejected.answer().statusCode());
                List<String> waiting = new java.util.ArrayList<>();
                for (Path record : outbox()) {
                    waiting.add(Files.readString(record));
                }
                assertTrue(waiting.stream().anyMatch(r -> r.contains("\"requestId\":\"o-bad\"")), "its result waits in the outbox: " + waiting);
                Map<String, String> whileAway = outcomes(before);
                System.out.println("FIGURE outage: while the broker was away: " + whileAway);
                assertTrue(whileAway.values().stream().allMatch(o -> o.equals("succeeded") || o.equals("HTTP 202")),
                        "each accepted request is still known as accepted, or done: " + whileAway);

                broker.start();
                long restarted = System.nanoTime();
                Awaitility.await().atMost(Duration.ofSeconds(90))
                        .until(() -> outcomes(before).values().stream().allMatch("succeeded"::equals));
                System.out.println("FIGURE outage: every request accepted before the outage succeeded "
                        + (System.nanoTime() - restarted) / 1_000_000 + " ms after the broker was back");
                Awaitility.await().atMost(Duration.ofSeconds(30))
                        .until(() -> "UP".equals(check("consumer:defender-actions-kafka").path("status").asText()));
                assertEquals(202, post(isolate("o-4")).statusCode(), "accepted again");
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "succeeded".equals(outcomes(List.of("o-4")).get("o-4")));
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> outbox().isEmpty());
            }
            Map<String, String> isolations = tenant.emulator().machineActionTypes(Bundle.TENANT_ID);
            System.out.println("FIGURE outage: machine actions executed " + isolations.size() + " for 4 requests");
            assertEquals(4, isolations.size(), "each request ran once: " + isolations);
            Map<String, Integer> onTopic = broker.countByKey("defender-action-results", 5, Duration.ofSeconds(30));
            System.out.println("FIGURE outage: results on the topic by requestId " + onTopic);
            for (String id : List.of("o-1", "o-2", "o-3", "o-4", "o-bad")) {
                assertTrue(onTopic.getOrDefault(id, 0) >= 1, id + " has its result on the topic: " + onTopic);
            }
        }
    }

    /** Requests run here (defender.actions.topic=none); only the results go to Kafka, and to files. */
    private void resultsOnlyOnKafka(String brokers) {
        Map<String, String> settings = tenant.settings();
        settings.put("camel.component.kafka.brokers", brokers);
        settings.put("defender.actions.topic", "none");
        settings.put("defender.actions.results", "kafka,file");
        settings.put("defender.actions.results.dir", tenant.dir().resolve("results").toString());
        settings.put("camel.component.kafka.max-block-ms", "2000");
        settings.put("defender.sink.retries", "0");
    }

    private void ranAndItsKafkaResultWaits(String requestId) throws Exception {
        assertEquals(202, post(isolate(requestId)).statusCode());
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "succeeded".equals(outcomes(List.of(requestId)).get(requestId)));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(tenant.dir().resolve("results/" + requestId + ".json")));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (Path record : outbox()) {
                String text = Files.readString(record);
                if (text.startsWith("direct:defender-action-result-kafka\n") && text.contains("\"requestId\":\"" + requestId + "\"")) {
                    return true;
                }
            }
            return false;
        });
    }

    @Test
    void withResultsOnlyOnKafkaRequestsRunAndTheirKafkaResultsWaitInTheOutbox() throws Exception {
        resultsOnlyOnKafka("localhost:" + Management.freePort());
        try (Bundle bundle = tenant.start()) {
            JsonNode results = check("consumer:defender-action-result-kafka");
            assertEquals("DOWN", results.path("status").asText(), results.toString());
            assertTrue(results.path("message").asText().contains("defender.actions.results=file"), results.toString());
            ranAndItsKafkaResultWaits("r-1");
        }
    }

    @Test
    void aResultTheTopicDidNotTakeGoesToTheOutbox() throws Exception {
        // something listens at the brokers' address, so the check sees it answer, but it never speaks Kafka: the send
        // fails after camel.component.kafka.max-block-ms, as when the brokers go before the check sees it
        try (java.net.ServerSocket notKafka = new java.net.ServerSocket(0)) {
            resultsOnlyOnKafka("localhost:" + notKafka.getLocalPort());
            try (Bundle bundle = tenant.start()) {
                ranAndItsKafkaResultWaits("r-2");
            }
        }
    }

    private Map<String, String> outcomes(List<String> ids) throws Exception {
        Map<String, String> outcomes = new java.util.TreeMap<>();
        for (String id : ids) {
            HttpResponse<String> answer = result(id);
            outcomes.put(id, answer.statusCode() == 200
                    ? ResponseActionsTest.JSON.readTree(answer.body()).path("outcome").asText() : "HTTP " + answer.statusCode());
        }
        return outcomes;
    }
}
