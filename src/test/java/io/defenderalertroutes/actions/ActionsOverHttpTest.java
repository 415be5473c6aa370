package io.defenderalertroutes.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import io.defenderalertroutes.app.Application;
import io.defenderalertroutes.signing.HandlerSigner;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.EmulatedTenant;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** POST /actions and GET /actions/{requestId} on their own port: who may ask, what is answered, what survives. */
class ActionsOverHttpTest {

    private static final String TOKEN = "actions-token-5b1e";
    private static final String SECRET = "actions-signing-secret-77";

    @RegisterExtension
    final EmulatedTenant tenant = new EmulatedTenant();

    private final HttpClient http = HttpClient.newHttpClient();
    private int port;

    @BeforeEach
    void actionsOverHttp() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        tenant.emulator().putMachine(Bundle.TENANT_ID, ResponseActionsTest.MACHINE);
        tenant.emulator().setMachineActionLife(Bundle.TENANT_ID, Duration.ofMillis(200), "Succeeded");
        var settings = tenant.settings();
        settings.put("defender.actions.allowed", "isolate-machine,run-av-scan");
        settings.put("defender.actions.topic", "none");
        settings.put("defender.actions.results", "file");
        settings.put("defender.actions.results.dir", tenant.dir().resolve("results").toString());
        settings.put("defender.actions.check-after", "PT0.05S");
        settings.put("defender.actions.http.port", Integer.toString(port));
        settings.put("defender.actions.http.bearer-token", TOKEN);
        settings.put("defender.actions.http.signing-secret", SECRET);
    }

    private HttpResponse<String> post(String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> result(String requestId) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actions/" + requestId))
                .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode finished(String requestId) {
        return Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            HttpResponse<String> answer = result(requestId);
            return answer.statusCode() == 200 ? ResponseActionsTest.JSON.readTree(answer.body()) : null;
        }, r -> r != null);
    }

    private static String isolate(String requestId) {
        return ResponseActionsTest.request(requestId, "isolate-machine", ResponseActionsTest.MACHINE,
                "{\"Comment\":\"c\",\"IsolationType\":\"Full\"}");
    }

    @Test
    void onlyACallerWithTheTokenOrTheSignatureIsHeardAndNothingElseRuns() throws Exception {
        try (Bundle bundle = tenant.start()) {
            HttpResponse<String> refused = post(isolate("h-0"));
            assertEquals(401, refused.statusCode());
            assertEquals("{\"error\":\"a bearer token or a signature is required (defender.actions.http.bearer-token or "
                    + "defender.actions.http.signing-secret)\"}", refused.body(), "the refusal says which keys open it");
            assertEquals(401, post(isolate("h-0"), "Authorization", "Bearer wrong").statusCode());
            String stale = Long.toString(Instant.now().minusSeconds(3600).getEpochSecond());
            byte[] body = isolate("h-0").getBytes(StandardCharsets.UTF_8);
            assertEquals(401, post(isolate("h-0"), HandlerSigner.TIMESTAMP, stale, HandlerSigner.SIGNATURE,
                    "v1=" + HandlerSigner.sign(SECRET.getBytes(StandardCharsets.UTF_8), stale, body)).statusCode(), "a replay");
            assertEquals(401, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actions/h-0"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(0, tenant.emulator().apiRequests(Bundle.TENANT_ID), "nothing was executed");
            assertEquals(404, result("h-0").statusCode());

            String now = Long.toString(Instant.now().getEpochSecond());
            byte[] signed = isolate("h-1").getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> accepted = post(isolate("h-1"), HandlerSigner.TIMESTAMP, now, HandlerSigner.SIGNATURE,
                    "v1=" + HandlerSigner.sign(SECRET.getBytes(StandardCharsets.UTF_8), now, signed));
            assertEquals(202, accepted.statusCode(), accepted.body());
            assertEquals("{\"requestId\":\"h-1\",\"status\":\"accepted\"}", accepted.body());
            JsonNode result = finished("h-1");
            assertEquals("succeeded", result.path("outcome").asText(), result.toString());
            assertEquals("Succeeded", result.path("machineAction").path("status").asText());

            HttpResponse<String> again = post(isolate("h-1"), "Authorization", "Bearer " + TOKEN);
            assertEquals(200, again.statusCode(), "a repeat is answered with the kept result");
            assertEquals(result, ResponseActionsTest.JSON.readTree(again.body()));
            assertEquals(1, tenant.emulator().machineActionTypes(Bundle.TENANT_ID).size());
        }
        String audit = Files.readString(Files.list(tenant.dir().resolve("state/audit")).findFirst().orElseThrow());
        assertTrue(audit.contains("\"origin\":\"http:signing-secret\""), audit);
        assertTrue(audit.contains("\"origin\":\"http:bearer-token\""), audit);
        assertFalse(audit.contains(TOKEN) || audit.contains(SECRET), "no credential in the audit");
    }

    @Test
    void aBadRequestIsAnswered400WithTheReason() throws Exception {
        try (Bundle bundle = tenant.start()) {
            HttpResponse<String> malformed = post("{not json", "Authorization", "Bearer " + TOKEN);
            assertEquals(400, malformed.statusCode());
            assertTrue(ResponseActionsTest.JSON.readTree(malformed.body()).path("error").asText()
                    .startsWith("the request is not valid JSON"), malformed.body());
            HttpResponse<String> notAllowed = post(ResponseActionsTest.request("h-2", "add-indicator", null,
                    "{\"indicatorValue\":\"x.example\",\"indicatorType\":\"DomainName\",\"action\":\"Block\","
                            + "\"title\":\"t\",\"description\":\"d\"}"), "Authorization", "Bearer " + TOKEN);
            assertEquals(400, notAllowed.statusCode());
            assertEquals("rejected", ResponseActionsTest.JSON.readTree(notAllowed.body()).path("outcome").asText());
        }
        assertEquals(0, tenant.emulator().apiRequests(Bundle.TENANT_ID));
    }

    @Test
    void anAcceptedRequestSurvivesAStopBeforeItRan() throws Exception {
        tenant.settings().put("camel.main.shutdown-timeout", "1");
        tenant.emulator().setResponseDelay(Bundle.TENANT_ID, Duration.ofSeconds(20));
        try (Bundle bundle = tenant.start()) {
            assertEquals(202, post(isolate("h-3"), "Authorization", "Bearer " + TOKEN).statusCode());
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> tenant.emulator().apiRequests(Bundle.TENANT_ID) > 0
                    || tenant.emulator().tokenRequests(Bundle.TENANT_ID) > 0);
        }
        assertTrue(Files.exists(tenant.dir().resolve("state/actions/inbox/h-3.json")), "still in the inbox");
        tenant.emulator().setResponseDelay(Bundle.TENANT_ID, Duration.ZERO);
        try (Bundle bundle = tenant.start()) {
            assertEquals("succeeded", finished("h-3").path("outcome").asText());
        }
        assertFalse(Files.exists(tenant.dir().resolve("state/actions/inbox/h-3.json")), "gone once its result was kept");
    }

    @Test
    void theEndpointDoesNotOpenWithoutACredential() {
        tenant.settings().remove("defender.actions.http.bearer-token");
        tenant.settings().remove("defender.actions.http.signing-secret");
        Exception failure = assertThrows(Exception.class, () -> tenant.start().close());
        assertTrue(Application.configurationMistake(failure).getMessage().startsWith(
                "Invalid configuration: defender.actions.http.port: the actions endpoint executes what it is asked"),
                Application.configurationMistake(failure).getMessage());
    }
}
