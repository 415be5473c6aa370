package io.defenderalertroutes.emulator;

import static io.defenderalertroutes.emulator.EmulatorHttp.TENANT;
import static io.defenderalertroutes.emulator.EmulatorHttp.encode;
import static io.defenderalertroutes.emulator.EmulatorHttp.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Defender XDR's {@code GET /api/incidents} as the emulator serves it: its own token audience and budget, the
 * filterable fields, order, the page cap of 100, and alerts always inside their incident.
 */
class DefenderIncidentsApiTest extends EmulatorTest {

    private String token;

    @BeforeEach
    void incidents() {
        token = http.defenderXdrToken();
        for (int i = 0; i < 5; i++) {
            String at = "2026-11-0" + (i + 1) + "T10:00:00.000Z";
            emulator.putDefenderIncident(TENANT, IncidentJson.defenderIncident(900 + i, at, i == 4 ? "Resolved" : "Active",
                    "High", List.of(IncidentJson.defenderIncidentAlert("da" + i, at, "New", "High", "Malware"))));
        }
    }

    @Test
    void filteredAndPagedMostRecentFirstEachWithItsAlerts() {
        String query = "$filter=" + encode("lastUpdateTime ge 2026-11-02T00:00:00Z and lastUpdateTime lt "
                + "2026-11-05T00:00:00Z and status eq 'Active'") + "&$top=2";
        HttpResponse<String> first = http.defenderIncidents(token, query);
        assertEquals(200, first.statusCode(), first.body());
        JsonNode page = json(first);
        assertEquals(List.of("903", "902"), ids(page), "the most recently updated first, as documented");
        assertFalse(page.has("@odata.nextLink"), "no nextLink, as in Microsoft's example");
        JsonNode alert = page.get("value").get(0).get("alerts").get(0);
        assertEquals("da3", alert.get("alertId").asText());
        assertEquals(903, alert.get("incidentId").asLong(), "the alert names its incident, a number");
        assertTrue(alert.has("lastUpdatedTime"), "an alert's time is lastUpdatedTime, the incident's lastUpdateTime");

        assertEquals(List.of("901"), ids(json(http.defenderIncidents(token, query + "&$skip=2"))));
    }

    @Test
    void severityOrderATopOverAHundredAndOtherAudiencesAreRefused() {
        assertEquals(400, http.defenderIncidents(token, "$filter=" + encode("severity eq 'High'")).statusCode(),
                "severity cannot be filtered");
        HttpResponse<String> top = http.defenderIncidents(token, "$top=101");
        assertEquals(400, top.statusCode());
        assertTrue(top.body().contains("The limit of '100'"), top.body());
        assertEquals(200, http.defenderIncidents(token, "$top=100").statusCode());
        assertEquals(400, http.defenderIncidents(token, "$orderby=" + encode("lastUpdateTime asc")).statusCode(),
                "no $orderby: Microsoft documents none");
        assertEquals(401, http.defenderIncidents(http.token(), "").statusCode(), "a Defender for Endpoint token");
        assertEquals(401, http.defenderIncidents(http.graphToken(), "").statusCode(), "a Graph token");
        assertEquals(401, http.alerts(token, "").statusCode(), "nor does the XDR token open /api/alerts");
    }

    @Test
    void itsBudgetIsFiftyAMinuteApartFromTheOtherApis() {
        for (int i = 0; i < 50; i++) {
            assertEquals(200, http.defenderIncidents(token, "$top=1").statusCode(), "call " + (i + 1));
        }
        HttpResponse<String> throttled = http.defenderIncidents(token, "$top=1");
        assertEquals(429, throttled.statusCode());
        assertTrue(throttled.headers().firstValue("Retry-After").isPresent());
        assertEquals(200, http.alerts(http.token(), "$top=1").statusCode(), "the Defender for Endpoint API's budget is its own");
        assertEquals(51, emulator.defenderIncidentRequests(TENANT));
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("value").forEach(i -> ids.add(i.get("incidentId").asText()));
        return ids;
    }
}
