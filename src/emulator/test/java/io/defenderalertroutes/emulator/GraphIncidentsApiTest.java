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

/** Graph's {@code GET /v1.0/security/incidents} as the emulator serves it: filter, order, pages, alerts expanded. */
class GraphIncidentsApiTest extends EmulatorTest {

    private String graphToken;

    @BeforeEach
    void incidents() {
        graphToken = http.graphToken();
        for (int i = 0; i < 5; i++) {
            String at = "2026-11-0" + (i + 1) + "T10:00:00.000Z";
            emulator.putIncident(TENANT, IncidentJson.graphIncident("i" + i, at, i == 4 ? "resolved" : "active", "high",
                    List.of(AlertJson.graphAlert("a" + i, at, "new", "high", "Malware", "microsoftDefenderForEndpoint"))));
        }
    }

    @Test
    void filteredOrderedAndPagedWithAlertsOnlyWhenExpanded() {
        emulator.setNextLinkMode(NextLinkMode.PROPER);
        String query = "$filter=" + encode("lastUpdateDateTime ge 2026-11-02T00:00:00Z and status eq 'active'")
                + "&$orderby=" + encode("lastUpdateDateTime asc") + "&$top=2&$expand=alerts";
        HttpResponse<String> first = http.graphIncidents(graphToken, query);
        assertEquals(200, first.statusCode(), first.body());
        JsonNode page = json(first);
        assertEquals(List.of("i1", "i2"), ids(page));
        assertEquals("i1", page.get("value").get(0).get("alerts").get(0).get("incidentId").asText());
        assertTrue(page.get("@odata.nextLink").asText().contains("skip=2"), "more follow, at $skip=2");

        JsonNode bare = json(http.graphIncidents(graphToken, "$orderby=" + encode("lastUpdateDateTime asc")));
        assertEquals(List.of("i0", "i1", "i2", "i3", "i4"), ids(bare));
        assertFalse(bare.get("value").get(0).has("alerts"), "alerts only with $expand=alerts");
    }

    @Test
    void aTopOverFiftyAndAnUnknownExpansionAreRefused() {
        HttpResponse<String> top = http.graphIncidents(graphToken, "$top=51");
        assertEquals(400, top.statusCode());
        assertTrue(json(top).get("error").get("message").asText().contains("The limit of '50' for Top query has been exceeded"));
        assertEquals(400, http.graphIncidents(graphToken, "$expand=evidence").statusCode());
        assertEquals(400, http.graphIncidents(graphToken, "$filter=" + encode("category eq 'Malware'")).statusCode(),
                "category is an alert's, not an incident's");
    }

    @Test
    void awaitingActionReachesOnlyAClientThatAsksForNewerEnumMembers() {
        String at = "2026-11-07T10:00:00.000Z";
        emulator.putIncident(TENANT, IncidentJson.graphIncident("i9", at, "awaitingAction", "high",
                List.of(AlertJson.graphAlert("a9", at, "new", "high", "Malware", "microsoftDefenderForEndpoint"))));
        String query = "$filter=" + encode("lastUpdateDateTime ge 2026-11-07T00:00:00Z") + "&$expand=alerts";
        JsonNode plain = json(http.graphIncidents(graphToken, query));
        assertEquals("unknownFutureValue", plain.get("value").get(0).get("status").asText());
        JsonNode asked = json(http.graph(GraphAlertsEndpoint.INCIDENTS_PATH, graphToken, query,
                "include-unknown-enum-members"));
        assertEquals("awaitingAction", asked.get("value").get(0).get("status").asText());
        assertEquals("a9", asked.get("value").get(0).get("alerts").get(0).get("id").asText());
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("value").forEach(i -> ids.add(i.get("id").asText()));
        return ids;
    }
}
