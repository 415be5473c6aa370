package io.defenderalertroutes.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static io.defenderalertroutes.emulator.EmulatorHttp.CLIENT_ID;
import static io.defenderalertroutes.emulator.EmulatorHttp.CLIENT_SECRET;
import static io.defenderalertroutes.emulator.EmulatorHttp.TENANT;
import static io.defenderalertroutes.emulator.EmulatorHttp.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

class AdminEndpointTest extends EmulatorTest {


    @Test
    void alertsPostedOverHttpAreServedAndCounted() {
        String alert = AlertJson.alert("posted", "2021-01-26T20:33:59.2Z", "New", "High", "Malware");

        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(admin("alerts")))
                .POST(HttpRequest.BodyPublishers.ofString(alert)).build());
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(admin("alerts")))
                .POST(HttpRequest.BodyPublishers.ofString("not json")).build());
        String token = http.token();
        http.alerts(token, "$top=1");

        assertEquals(201, created.statusCode());
        assertEquals("posted", json(created).get("id").asText());
        assertEquals(400, refused.statusCode());
        assertEquals(alert, emulator.servedJson(TENANT, "posted", false));
        JsonNode stats = json(http.send(HttpRequest.newBuilder(URI.create(admin("stats"))).GET().build()));
        assertEquals(1, stats.get("alerts").asInt());
        assertEquals(1, stats.get("tokenRequests").asInt());
        assertEquals(1, stats.get("apiRequests").asInt());
        assertEquals("$top=1", stats.get("requestQueries").get(0).asText());
    }

    private String admin(String resource) {
        return emulator.baseUrl() + "/emulator/tenants/" + TENANT + "/" + resource;
    }
}
