package io.defenderalertroutes.packaged;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.defenderalertroutes.emulator.DefenderEmulator;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.JarInstance;
import io.defenderalertroutes.testsupport.KafkaProcess;
import io.defenderalertroutes.testsupport.Management;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 24, part 3, with the packaged jar: a deployment that turns the HTTP intake on as docs/actions.md says and keeps
 * the Kafka defaults, started while its broker is down (rejections answered at once, valid requests refused with 503
 * and the reason, readiness DOWN with the hint), then the broker started and requests accepted and run.
 */
class ActionsWithoutBrokerIT {

    private static final String TOKEN = "actions-token-packaged-no-broker";
    private static final String MACHINE = "1e5f4a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private static String isolate(String requestId, String tenant) {
        return "{\"requestId\":\"" + requestId + "\",\"tenant\":\"" + tenant + "\",\"action\":\"isolate-machine\","
                + "\"target\":\"" + MACHINE + "\",\"parameters\":{\"Comment\":\"c\",\"IsolationType\":\"Full\"}}";
    }

    private HttpResponse<String> post(int port, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actions"))
                .timeout(Duration.ofSeconds(15)).header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> result(int port, String requestId) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actions/" + requestId))
                .timeout(Duration.ofSeconds(15)).header("Authorization", "Bearer " + TOKEN).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long since(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static JsonNode check(Management management, String id) throws Exception {
        for (JsonNode check : JSON.readTree(management.get("/observe/health/ready?data=true").body()).path("checks")) {
            if (id.equals(check.path("name").asText())) {
                return check;
            }
        }
        return JSON.createObjectNode();
    }

    @Test
    void theHttpIntakeWithoutABrokerAnswersAtOnceThenRunsRequestsOnceABrokerIsStarted() throws Exception {
        try (DefenderEmulator emulator = Emulated.tenant();
                KafkaProcess broker = new KafkaProcess(dir.resolve("kafka"))) {
            emulator.putMachine(Bundle.TENANT_ID, MACHINE);
            emulator.setMachineActionLife(Bundle.TENANT_ID, Duration.ofMillis(200), "Succeeded");
            int port = Management.freePort();
            Map<String, String> env = Emulated.jarEnvironment(emulator, "contoso");
            env.put("DEFENDER_ACTIONS_ALLOWED", "isolate-machine");
            env.put("DEFENDER_ACTIONS_HTTP_PORT", Integer.toString(port));
            env.put("DEFENDER_ACTIONS_HTTP_BEARER_TOKEN", TOKEN);
            env.put("DEFENDER_ACTIONS_CHECK_AFTER", "PT0.1S");
            // the broker's address, nothing listening there yet; every other actions key keeps its default
            try (JarInstance jar = JarInstance.start("actions", dir.resolve("home"), env,
                    "-Dcamel.component.kafka.brokers=" + broker.bootstrapServers())) {
                Management management = jar.management();
                await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> !jar.process().isAlive()
                        || "DOWN".equals(check(management, "consumer:defender-actions-kafka").path("status").asText()));
                JsonNode down = check(management, "consumer:defender-actions-kafka");
                assertTrue(down.path("message").asText().contains("defender.actions.topic=none"), down.toString());
                assertTrue(jar.output().contains("defender.actions.topic=none and defender.actions.results=file"),
                        "said at start-up");

                long start = System.nanoTime();
                HttpResponse<String> malformed = post(port, "{not json");
                long malformedMillis = since(start);
                start = System.nanoTime();
                HttpResponse<String> unknownTenant = post(port, isolate("p-0", "fabrikam"));
                long unknownTenantMillis = since(start);
                start = System.nanoTime();
                HttpResponse<String> refused = post(port, isolate("p-1", "contoso"));
                long refusedMillis = since(start);
                System.out.println("FIGURE packaged, no broker: malformed 400 in " + malformedMillis + " ms, unknown tenant "
                        + "400 in " + unknownTenantMillis + " ms, valid request 503 in " + refusedMillis + " ms: "
                        + refused.body());
                assertEquals(400, malformed.statusCode(), malformed.body());
                assertEquals(400, unknownTenant.statusCode(), unknownTenant.body());
                assertEquals(503, refused.statusCode(), refused.body());
                assertTrue(refused.body().contains("defender.actions.results=file"), refused.body());
                assertTrue(malformedMillis < 5000 && unknownTenantMillis < 5000 && refusedMillis < 5000);

                broker.start();
                long started = System.nanoTime();
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                        .until(() -> post(port, isolate("p-1", "contoso")).statusCode() == 202);
                long acceptedMillis = since(started);
                await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    HttpResponse<String> answer = result(port, "p-1");
                    return answer.statusCode() == 200 && JSON.readTree(answer.body()).path("outcome").asText().equals("succeeded");
                });
                System.out.println("FIGURE packaged, broker started: accepted (202) " + acceptedMillis + " ms and run "
                        + since(started) + " ms after the broker was started");
                await().atMost(Duration.ofSeconds(30)).until(() -> management.get("/observe/health/ready").statusCode() == 200);
                assertEquals(1, emulator.machineActionTypes(Bundle.TENANT_ID).size(), "run once");
                String output = jar.output();
                assertTrue(output.lines().noneMatch(l -> l.contains("NetworkClient") && l.contains("clientId=defender-actions-")
                        && (l.contains("could not be established") || l.contains("disconnected"))), "the clients' own lines give way");
                Map<String, Long> said = output.lines().filter(l -> l.contains(": cannot reach"))
                        .collect(Collectors.groupingBy(l -> l.replaceAll(".*Kafka client (\\S+) .*", "$1"), Collectors.counting()));
                System.out.println("FIGURE packaged: unreachable-broker lines per Kafka client while the broker was down: " + said);
                assertEquals(3, said.size(), said.toString());
                said.forEach((client, n) -> assertTrue(n <= 2, client + ": " + n));

            }
        }
    }
}
