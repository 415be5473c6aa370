package io.defenderalertroutes.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.defenderalertroutes.emulator.EmulatorHttp.CLIENT_ID;
import static io.defenderalertroutes.emulator.EmulatorHttp.CLIENT_SECRET;
import static io.defenderalertroutes.emulator.EmulatorHttp.TENANT;
import static io.defenderalertroutes.emulator.EmulatorHttp.encode;
import static io.defenderalertroutes.emulator.EmulatorHttp.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AlertsApiTest extends EmulatorTest {

    private static final String CONTEXT = "https://api.securitycenter.microsoft.com/api/$metadata#Alerts";

    private String token;

    @BeforeEach
    void start() {
        token = http.token();
    }

    @Test
    void withoutATokenTheApiAnswers401InMdeShape() {
        HttpResponse<String> none = http.alerts(null, "");
        HttpResponse<String> forged = http.alerts("forged", "");

        assertEquals(401, none.statusCode());
        assertEquals(401, forged.statusCode());
        JsonNode error = json(none).get("error");
        assertEquals("Unauthorized", error.get("code").asText());
        assertFalse(error.get("message").asText().isEmpty());
        assertTrue(error.get("target").asText().matches("[0-9a-f-]{36}"));
    }

    @Test
    void anEmptyStoreGivesAnEmptyValueArray() {
        HttpResponse<String> response = http.alerts(token, "");

        assertEquals(200, response.statusCode());
        assertEquals("{\"@odata.context\":\"" + CONTEXT + "\",\"value\":[]}", response.body());
        assertEquals(1, emulator.apiRequests(TENANT));
    }

    @Test
    void servesTheStoredAlertTextByteForByte() {
        String fixture = Fixtures.firstAlert("mde-list-alerts.json");
        String unusual = "{\"id\":\"x-1\", \"lastUpdateTime\" : \"2021-01-26T20:33:59.2Z\",\n"
                + "  \"title\": \"Caf\u00e9 \u2713 \\u00e9 \\/ 1.0E2\", \"incidentId\": 1.0e2,\"evidence\":[]}";
        emulator.putAlert(TENANT, fixture);
        emulator.putAlert(TENANT, unusual);

        HttpResponse<byte[]> response = http.alertsBytes(token, "$orderby=" + encode("lastUpdateTime asc"));

        String expected = "{\"@odata.context\":\"" + CONTEXT + "\",\"value\":[" + fixture + "," + unusual + "]}";
        assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), response.body());
        assertEquals(fixture, emulator.servedJson(TENANT, "da637308392288907382_-880718168", false));
        assertEquals(unusual, emulator.servedJson(TENANT, "x-1", true));
    }

    @Test
    void evidenceIsServedOnlyWhenExpanded() {
        String fixture = Fixtures.firstAlert("mde-list-alerts-with-evidence.json");
        emulator.putAlert(TENANT, fixture);
        String id = "da637472900382838869_1364969609";
        // Evidence is the last property of the documented alert; only its array may change.
        String withoutEvidence = fixture.substring(0, fixture.indexOf("\"evidence\": [")) + "\"evidence\": []"
                + fixture.substring(fixture.lastIndexOf(']') + 1);

        String plain = http.alerts(token, "").body();
        String expanded = http.alerts(token, "$expand=evidence").body();

        assertEquals("{\"@odata.context\":\"" + CONTEXT + "\",\"value\":[" + withoutEvidence + "]}", plain);
        assertEquals("{\"@odata.context\":\"" + CONTEXT + "\",\"value\":[" + fixture + "]}", expanded);
        assertEquals(withoutEvidence, emulator.servedJson(TENANT, id, false));
        assertEquals(fixture, emulator.servedJson(TENANT, id, true));
        assertEquals(3, json(http.alerts(token, "$expand=evidence")).get("value").get(0).get("evidence").size());
    }

    @Test
    void aSecondPutWithTheSameIdIsAnUpdate() {
        emulator.putAlert(TENANT, AlertJson.alert("a1", "2021-01-26T20:00:00Z", "New", "Low", "Malware"));
        emulator.putAlert(TENANT, AlertJson.alert("a1", "2021-01-26T21:00:00Z", "Resolved", "Low", "Malware"));

        JsonNode value = json(http.alerts(token, "")).get("value");

        assertEquals(1, value.size());
        assertEquals("Resolved", value.get(0).get("status").asText());
    }

    @Test
    void filtersCombineAndOrParenthesesAndIn() {
        put("a1", "2021-01-26T20:00:00Z", "New", "High", "Malware");
        put("a2", "2021-01-26T21:00:00Z", "InProgress", "Low", "Execution");
        put("a3", "2021-01-26T22:00:00Z", "Resolved", "High", "Execution");
        put("a4", "2021-01-26T23:00:00Z", "New", "Medium", "Ransomware");

        assertEquals(List.of("a1", "a4"), ids("status eq 'New'"));
        assertEquals(List.of("a1", "a4"), ids("status eq 'new'"), "status compares without case as on MDE");
        assertEquals(List.of("a3"), ids("severity eq 'High' and category eq 'Execution'"));
        assertEquals(List.of("a1", "a2", "a3"), ids("severity eq 'High' or status eq 'InProgress'"));
        assertEquals(List.of("a2", "a3"),
                ids("(severity eq 'High' or status eq 'InProgress') and lastUpdateTime gt 2021-01-26T20:30:00Z"));
        assertEquals(List.of("a1", "a2"), ids("status in ('New','InProgress') and lastUpdateTime lt 2021-01-26T22:00:00Z"));
        assertEquals(List.of("a2", "a3"), ids("not (category in ('Malware', 'Ransomware'))"));
        assertEquals(List.of(), ids("status eq 'Unknown'"));
    }

    @Test
    void timestampsCompareAsInstantsWhateverTheirDigits() {
        put("two-digits", "2021-01-26T20:33:59.2Z", "New", "Low", "Malware");
        put("seven-digits", "2021-01-26T20:33:59.2000001Z", "New", "Low", "Malware");

        assertEquals(List.of("two-digits"), ids("lastUpdateTime eq 2021-01-26T20:33:59.2000000Z"));
        assertEquals(List.of("seven-digits"), ids("lastUpdateTime gt 2021-01-26T20:33:59.2Z"));
        assertEquals(List.of("seven-digits"), ids("lastUpdateTime gt 2021-01-26T20:33:59.20Z"));
        assertEquals(List.of("two-digits", "seven-digits"), ids("lastUpdateTime gt 2021-01-26T20:33:59.1999999Z"));
        assertEquals(List.of("two-digits", "seven-digits"), ids("lastUpdateTime ge '2021-01-26T20:33:59.2Z'"));
        assertEquals(List.of("two-digits"), ids("lastUpdateTime le 2021-01-26T20:33:59.2Z"));
        assertEquals(List.of(), ids("lastUpdateTime gt 2021-01-26T20:33:59.2000001Z"));
    }

    @Test
    void ordersByTheRequestedTimeAndBreaksTiesById() {
        put("c", "2021-01-26T20:00:00.5Z", "New", "Low", "Malware");
        put("b", "2021-01-26T20:00:00.5Z", "New", "Low", "Malware");
        put("a", "2021-01-26T21:00:00Z", "New", "Low", "Malware");

        assertEquals(List.of("b", "c", "a"), idsOf(http.alerts(token, "$orderby=" + encode("lastUpdateTime asc"))));
        assertEquals(List.of("a", "b", "c"), idsOf(http.alerts(token, "$orderby=" + encode("lastUpdateTime desc"))));
        assertEquals(List.of("b", "c", "a"), idsOf(http.alerts(token, "$orderby=lastUpdateTime")));
    }

    @Test
    void defaultOrderIsNewestCreationFirst() {
        emulator.putAlert(TENANT, "{\"id\":\"old\",\"alertCreationTime\":\"2021-01-01T00:00:00Z\"}");
        emulator.putAlert(TENANT, "{\"id\":\"new\",\"alertCreationTime\":\"2021-01-02T00:00:00Z\"}");

        assertEquals(List.of("new", "old"), idsOf(http.alerts(token, "")));
    }

    @Test
    void topAndSkipPage() {
        for (int i = 1; i <= 5; i++) {
            put("a" + i, "2021-01-26T20:00:0" + i + "Z", "New", "Low", "Malware");
        }
        String asc = "$orderby=" + encode("lastUpdateTime asc");

        assertEquals(List.of("a1", "a2"), idsOf(http.alerts(token, asc + "&$top=2")));
        assertEquals(List.of("a3", "a4"), idsOf(http.alerts(token, asc + "&$top=2&$skip=2")));
        assertEquals(List.of("a5"), idsOf(http.alerts(token, asc + "&$top=2&$skip=4")));
        assertEquals(List.of(), idsOf(http.alerts(token, asc + "&$top=2&$skip=9")));
        assertEquals(200, http.alerts(token, "$top=10000").statusCode());
        assertEquals(400, http.alerts(token, "$top=10001").statusCode());
        assertEquals(400, http.alerts(token, "$skip=-1").statusCode());
    }

    @Test
    void badQueriesAre400InMdeShape() {
        HttpResponse<String> badFilter = http.alerts(token, "$filter=" + encode("lastUpdateTime gt"));
        HttpResponse<String> unknownField = http.alerts(token, "$filter=" + encode("title eq 'x'"));
        HttpResponse<String> eightDigits = http.alerts(token, "$filter=" + encode("lastUpdateTime gt 2021-01-26T20:33:59.12345678Z"));
        HttpResponse<String> function = http.alerts(token, "$filter=" + encode("startswith(title,'x')"));
        HttpResponse<String> unknownOption = http.alerts(token, "$select=id");
        HttpResponse<String> twice = http.alerts(token, "$top=1&$top=2");

        for (HttpResponse<String> response : List.of(badFilter, unknownField, eightDigits, function, unknownOption, twice)) {
            assertEquals(400, response.statusCode(), response.body());
            assertEquals("BadRequest", json(response).get("error").get("code").asText());
        }
        assertTrue(json(badFilter).get("error").get("message").asText().startsWith("Invalid filter clause: "));
    }

    @Test
    void recordsEachRequestsDecodedQuery() {
        http.alerts(token, "$filter=" + encode("status eq 'New'") + "&$top=5");
        http.alerts(token, "$filter=status%20eq%20'Resolved'");

        assertEquals(List.of("$filter=status eq 'New'&$top=5", "$filter=status eq 'Resolved'"),
                emulator.requestQueries(TENANT));
        assertEquals(2, emulator.apiRequests(TENANT));
        emulator.resetCounters();
        assertEquals(0, emulator.apiRequests(TENANT));
        assertEquals(List.of(), emulator.requestQueries(TENANT));
    }

    @Test
    void nextLinksFollowTheChosenMode() {
        for (int i = 1; i <= 5; i++) {
            put("a" + i, "2021-01-26T20:00:0" + i + "Z", "New", "Low", "Malware");
        }
        String query = "$orderby=" + encode("lastUpdateTime asc") + "&$top=2";
        assertFalse(json(http.alerts(token, query)).has("@odata.nextLink"), "no nextLink by default");

        emulator.setNextLinkMode(NextLinkMode.PROPER);
        List<String> collected = new ArrayList<>();
        String url = emulator.baseUrl() + "/api/alerts?" + query;
        List<String> links = new ArrayList<>();
        while (url != null) {
            JsonNode page = json(http.get(url, token, HttpResponse.BodyHandlers.ofString()));
            page.get("value").forEach(alert -> collected.add(alert.get("id").asText()));
            url = page.has("@odata.nextLink") ? page.get("@odata.nextLink").asText() : null;
            if (url != null) {
                links.add(url);
            }
        }
        assertEquals(List.of("a1", "a2", "a3", "a4", "a5"), collected);
        assertTrue(links.get(0).endsWith("$skip=2") && links.get(1).endsWith("$skip=4"), links.toString());

        emulator.setNextLinkMode(NextLinkMode.STUCK);
        String stuck = json(http.alerts(token, query)).get("@odata.nextLink").asText();
        JsonNode followed = json(http.get(stuck, token, HttpResponse.BodyHandlers.ofString()));
        assertEquals(stuck, followed.get("@odata.nextLink").asText(), "a stuck link repeats itself");
        assertEquals(List.of("a3", "a4"), idsOf(followed));
    }

    private void put(String id, String lastUpdateTime, String status, String severity, String category) {
        emulator.putAlert(TENANT, AlertJson.alert(id, lastUpdateTime, status, severity, category));
    }

    /** Ids matching the filter, in lastUpdateTime order. */
    private List<String> ids(String filter) {
        HttpResponse<String> response = http.alerts(token,
                "$filter=" + encode(filter) + "&$orderby=" + encode("lastUpdateTime asc"));
        assertEquals(200, response.statusCode(), filter + " -> " + response.body());
        return idsOf(response);
    }

    private static List<String> idsOf(HttpResponse<String> response) {
        return idsOf(json(response));
    }

    private static List<String> idsOf(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("value").forEach(alert -> ids.add(alert.get("id").asText()));
        return ids;
    }
}
