package io.defenderalertroutes.emulator;

import static io.defenderalertroutes.emulator.EmulatorHttp.CLIENT_ID;
import static io.defenderalertroutes.emulator.EmulatorHttp.CLIENT_SECRET;
import static io.defenderalertroutes.emulator.EmulatorHttp.TENANT;
import static io.defenderalertroutes.emulator.EmulatorHttp.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The response actions as Microsoft answers them: shapes, the MachineAction lifecycle, refusals and limits. */
class ResponseActionsApiTest extends EmulatorTest {

    private static final String MACHINE = "m-1";

    private String token;

    @BeforeEach
    void start() {
        emulator.putMachine(TENANT, MACHINE);
        token = http.token();
    }

    private HttpResponse<String> call(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build());
    }

    @Test
    void aMachineActionGoesFromPendingThroughInProgressToItsEnd() {
        emulator.setMachineActionLife(TENANT, Duration.ofMillis(600), "Succeeded");
        HttpResponse<String> started = call("POST", "/api/machines/" + MACHINE + "/isolate",
                "{\"Comment\":\"c\",\"IsolationType\":\"Full\"}");
        assertEquals(201, started.statusCode());
        assertEquals("Pending", json(started).path("status").asText());
        assertEquals("Isolate", json(started).path("type").asText());
        String id = json(started).path("id").asText();

        HttpResponse<String> again = call("POST", "/api/machines/" + MACHINE + "/isolate",
                "{\"Comment\":\"c\",\"IsolationType\":\"Full\"}");
        assertEquals(400, again.statusCode());
        assertEquals("ActiveRequestAlreadyExists", json(again).path("error").path("code").asText());

        Awaitility.await().atMost(Duration.ofSeconds(2)).until(() ->
                json(call("GET", "/api/machineactions/" + id, null)).path("status").asText().equals("InProgress"));
        Awaitility.await().atMost(Duration.ofSeconds(2)).until(() ->
                json(call("GET", "/api/machineactions/" + id, null)).path("status").asText().equals("Succeeded"));
        assertEquals(201, call("POST", "/api/machines/" + MACHINE + "/isolate",
                "{\"Comment\":\"c\",\"IsolationType\":\"Full\"}").statusCode(), "once it ended, a new one may start");
    }

    @Test
    void refusalsHaveMicrosoftsStatusesAndShape() {
        assertEquals(404, call("POST", "/api/machines/nope/runAntiVirusScan", "{\"Comment\":\"c\"}").statusCode());
        assertEquals(400, call("POST", "/api/machines/" + MACHINE + "/StopAndQuarantineFile", "{\"Comment\":\"c\"}").statusCode(),
                "Sha1 is required");
        assertEquals(404, call("PATCH", "/api/alerts/nope", "{\"status\":\"Resolved\"}").statusCode());
        assertEquals(400, call("POST", "/api/indicators", "{\"indicatorValue\":\"10.0.0.0/8\",\"indicatorType\":\"IpAddress\","
                + "\"action\":\"Block\",\"title\":\"t\",\"description\":\"d\"}").statusCode(), "no CIDR ranges");
        emulator.denyPermission(TENANT, "Machine.Isolate");
        HttpResponse<String> denied = call("POST", "/api/machines/" + MACHINE + "/isolate",
                "{\"Comment\":\"c\",\"IsolationType\":\"Full\"}");
        assertEquals(403, denied.statusCode());
        assertTrue(json(denied).path("error").path("message").asText().contains("Machine.Isolate"));
    }

    @Test
    void batchUpdateHasItsOwnLimitOfTenAMinute() {
        emulator.putAlert(TENANT, AlertJson.alert("a1", "2026-11-01T10:00:00Z", "New", "High", "Malware"));
        for (int i = 0; i < 10; i++) {
            assertEquals(200, call("POST", "/api/alerts/batchUpdate", "{\"alertIds\":[\"a1\"],\"status\":\"InProgress\"}")
                    .statusCode());
        }
        HttpResponse<String> eleventh = call("POST", "/api/alerts/batchUpdate", "{\"alertIds\":[\"a1\"],\"status\":\"InProgress\"}");
        assertEquals(429, eleventh.statusCode());
        assertTrue(eleventh.headers().firstValue("Retry-After").isPresent());
        assertEquals(200, call("PATCH", "/api/alerts/a1", "{\"comment\":\"other endpoints go on\"}").statusCode());
    }
}
