package io.defenderalertroutes.sinks;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.testsupport.AlertFiles;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.EmulatedTenant;
import io.defenderalertroutes.testsupport.Management;
import io.defenderalertroutes.testsupport.PlaybookHandler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Dead letters go back to the sink that failed by themselves, once each, and the versions of an alert in order. */
class DeadLetterReplayTest {

    private static final String TENANT = Bundle.TENANT_ID;

    @RegisterExtension
    final EmulatedTenant tenant = new EmulatedTenant();

    private PlaybookHandler handler;
    private Management management;

    @BeforeEach
    void start() throws Exception {
        handler = tenant.handler();
        management = Management.on(tenant.settings());
        tenant.settings().put("defender.sinks", "file,http");
        tenant.settings().put("defender.sink.http.urls", handler.url("/hook"));
        tenant.settings().put("defender.sink.retries", "1");
        tenant.settings().put("defender.sink.retry-delay", "PT0.05S");
        tenant.settings().put("defender.trigger.updates", "true");
        tenant.settings().put("defender.dead-letter.replay-interval", "PT2S");
        tenant.settings().put("defender.dead-letter.replay-max-interval", "PT8S");
    }

    private static String key(PlaybookHandler.Request request) {
        return request.header("Defender-Alert-Id") + "@" + request.header("Defender-Last-Update-Time");
    }

    @Test
    void aHandlerDownForAWhileGetsEveryAlertOnceInOrderWhenItIsBack() throws Exception {
        for (int i = 1; i <= 5; i++) {
            tenant.emulator().putAlert(TENANT, AlertJson.alert("a" + i, Emulated.ago(Duration.ofMinutes(60 - i)), "New", "High", "Malware"));
        }
        handler.answerWith(503);
        Instant down = Instant.now();
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
            assertEquals(5, AlertFiles.list(tenant.dir().resolve("state/dead-letter")).size(), "all five wait in the dead letter");
            assertEquals(5.0, Management.sample(management.metrics(), "defender_dead_letters_pending",
                    "tenant=\"contoso\"", "sink=\"defender-sink-http\"").orElse(-1));

            // while the handler is down: a1 changes twice and a6 comes; a1's new versions must not overtake the first
            List<String> a1Versions = new ArrayList<>(List.of(tenant.emulator().servedJson(TENANT, "a1", false)));
            for (int minute = 20; minute >= 10; minute -= 10) {
                tenant.emulator().putAlert(TENANT, AlertJson.alert("a1", Emulated.ago(Duration.ofMinutes(minute)), "InProgress", "High", "Malware"));
                a1Versions.add(tenant.emulator().servedJson(TENANT, "a1", false));
                bundle.pollNow();
            }
            tenant.emulator().putAlert(TENANT, AlertJson.alert("a6", Emulated.ago(Duration.ofMinutes(5)), "New", "High", "Malware"));
            bundle.pollNow();
            String a1First = handler.requests().get(0).header("Defender-Last-Update-Time");
            assertEquals(java.util.Set.of(a1First), handler.requests().stream().filter(r -> r.header("Defender-Alert-Id").equals("a1"))
                    .map(r -> r.header("Defender-Last-Update-Time")).collect(Collectors.toSet()),
                    "a1's later versions were held behind the first: only the first was tried");
            assertEquals(8, AlertFiles.list(tenant.dir().resolve("state/dead-letter")).size());

            // 30 s down, replays backing off meanwhile (2, 4, 8, 8... s); then the handler is back and nobody does anything
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> Duration.between(down, Instant.now()).compareTo(Duration.ofSeconds(30)) >= 0);
            long attemptsWhileDown = handler.requests().size();
            handler.answerWith(200);
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    AlertFiles.list(tenant.dir().resolve("state/dead-letter")).isEmpty());
            await().atMost(Duration.ofSeconds(10)).until(() -> Management.sample(management.metrics(),
                    "defender_dead_letters_pending", "tenant=\"contoso\"", "sink=\"defender-sink-http\"").orElse(-1) == 0.0);

            List<PlaybookHandler.Request> accepted = handler.requests().stream().filter(PlaybookHandler.Request::accepted).toList();
            Map<String, Long> times = accepted.stream().collect(Collectors.groupingBy(DeadLetterReplayTest::key,
                    LinkedHashMap::new, Collectors.counting()));
            System.out.printf("Handler outage: down %d s, %d requests refused while down (first attempts, retries, replays"
                    + " backing off), %d alert versions delivered after it came back, each %s%n",
                    Duration.between(down, Instant.now()).toSeconds(), attemptsWhileDown, accepted.size(), times.values());
            assertEquals(8, times.size(), "every version reached the handler: a1 thrice, a2..a6 once");
            assertTrue(times.values().stream().allMatch(n -> n == 1), "none twice: " + times);
            List<String> a1Delivered = accepted.stream().filter(r -> r.header("Defender-Alert-Id").equals("a1"))
                    .map(r -> new String(r.body(), java.nio.charset.StandardCharsets.UTF_8)).toList();
            assertEquals(a1Versions, a1Delivered, "a1's versions in the order they happened, each as Microsoft served it");
            for (PlaybookHandler.Request request : accepted) {
                assertEquals("contoso:" + key(request).replace('@', ':'), request.header("Defender-Idempotency-Key"),
                        "a replayed alert keeps its headers and idempotency key");
                assertEquals("contoso", request.header("Defender-Tenant"));
            }
            assertEquals(List.of("a1", "a1", "a1", "a2", "a3", "a4", "a5", "a6"), tenant.delivered().stream().sorted().toList(),
                    "the file sink had every version at once");
        }
    }

    private java.net.http.HttpResponse<String> replayNow(String... headers) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + management.port()
                + "/observe/dead-letters/replay")).timeout(Duration.ofSeconds(60))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return java.net.http.HttpClient.newHttpClient().send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aLetterAnotherInstanceWroteHoldsTheNewerVersionAndAReplayOnDemandSendsBothInOrder() throws Exception {
        tenant.settings().put("camel.management.host", "127.0.0.1");
        tenant.settings().put("defender.dead-letter.replay-interval", "PT1H");
        tenant.settings().put("defender.dead-letter.replay-max-interval", "PT1H");
        tenant.emulator().putAlert(TENANT, AlertJson.alert("x1", Emulated.ago(Duration.ofMinutes(30)), "New", "High", "Malware"));
        String firstVersion = tenant.emulator().servedJson(TENANT, "x1", false);
        String firstTime = new com.fasterxml.jackson.databind.ObjectMapper().readTree(firstVersion).get("lastUpdateTime").asText();
        try (Bundle bundle = tenant.start()) {
            // the instance that led before this one dead-lettered x1's first version, after this one started
            java.nio.file.Path letters = java.nio.file.Files.createDirectories(tenant.dir().resolve("state/dead-letter/contoso"));
            java.nio.file.Files.writeString(letters.resolve("x1_first_defender-sink-http.json"), "{\"tenant\":\"contoso\","
                    + "\"alertId\":\"x1\",\"lastUpdateTime\":\"" + firstTime + "\",\"status\":\"New\",\"severity\":\"High\","
                    + "\"category\":\"Malware\",\"change\":\"new\",\"idempotencyKey\":\"contoso:x1:" + firstTime + "\","
                    + "\"source\":\"defender-api\",\"failedSink\":\"defender-sink-http\",\"failure\":\"HTTP 503\","
                    + "\"alert\":" + firstVersion + "}\n");
            tenant.emulator().putAlert(TENANT, AlertJson.alert("x1", Emulated.ago(Duration.ofMinutes(5)), "InProgress", "High", "Malware"));
            String secondVersion = tenant.emulator().servedJson(TENANT, "x1", false);
            bundle.pollNow();
            assertEquals(List.of(), handler.requests(), "the newer version waits behind the letter it did not write");
            assertEquals(2, AlertFiles.list(tenant.dir().resolve("state/dead-letter")).size());

            assertEquals(403, replayNow().statusCode(), "a request that acts needs X-Requested-By, even on localhost");
            var answer = replayNow("X-Requested-By", "test");
            assertEquals(200, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("\"replayed\" : 2") || answer.body().contains("\"replayed\":2"), answer.body());
            assertEquals(List.of(firstVersion, secondVersion), handler.requests().stream()
                    .map(r -> new String(r.body(), java.nio.charset.StandardCharsets.UTF_8)).toList(), "both, in order, once");
            assertEquals(List.of(), AlertFiles.list(tenant.dir().resolve("state/dead-letter")));
        }
    }

    @Test
    void aLetterTheHandlerRefusesForGoodIsSetAsideForAPerson() throws Exception {
        tenant.settings().put("defender.dead-letter.replay-interval", "PT1S");
        tenant.settings().put("defender.dead-letter.replay-max-interval", "PT2S");
        tenant.emulator().putAlert(TENANT, AlertJson.alert("r1", Emulated.ago(Duration.ofMinutes(30)), "New", "High", "Malware"));
        handler.answerWith(503);
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
            assertEquals(1, AlertFiles.list(tenant.dir().resolve("state/dead-letter/contoso")).size());
            // the handler is back, but refuses this alert itself: no replay will ever get it through
            handler.answerWith(422);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    AlertFiles.list(tenant.dir().resolve("state/dead-letter/parked/contoso")).size() == 1);
            assertEquals(List.of(), AlertFiles.list(tenant.dir().resolve("state/dead-letter/contoso")),
                    "set aside, so that it blocks nothing behind it");
            await().atMost(Duration.ofSeconds(10)).until(() -> Management.sample(management.metrics(),
                    "defender_dead_letters_pending", "tenant=\"contoso\"", "sink=\"defender-sink-http\"").orElse(-1) == 0.0);
        }
    }
}
