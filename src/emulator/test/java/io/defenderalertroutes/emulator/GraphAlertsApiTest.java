package io.defenderalertroutes.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.defenderalertroutes.emulator.EmulatorHttp.TENANT;
import static io.defenderalertroutes.emulator.EmulatorHttp.encode;
import static io.defenderalertroutes.emulator.EmulatorHttp.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Microsoft Graph's {@code GET /v1.0/security/alerts_v2} over the emulator's alerts. */
class GraphAlertsApiTest extends EmulatorTest {

    private static final String CONTEXT = "https://graph.microsoft.com/v1.0/$metadata#security/alerts_v2";
    private static final String PREFER_UNKNOWN = "include-unknown-enum-members";
    private static final String OFFICE = "microsoftDefenderForOffice365";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private String graphToken;

    @BeforeEach
    void start() {
        graphToken = http.graphToken();
    }

    // --- tokens -----------------------------------------------------------------------------------------------

    @Test
    void aGraphTokenWorksOnGraphOnlyAndAnMdeTokenOnMdeOnly() {
        String mdeToken = http.token();

        HttpResponse<String> graphOnGraph = http.graphAlerts(graphToken, "");
        HttpResponse<String> graphOnMde = http.alerts(graphToken, "");
        HttpResponse<String> mdeOnGraph = http.graphAlerts(mdeToken, "");
        HttpResponse<String> mdeOnMde = http.alerts(mdeToken, "");

        assertEquals(200, graphOnGraph.statusCode(), graphOnGraph.body());
        assertEquals("{\"@odata.context\":\"" + CONTEXT + "\",\"value\":[]}", graphOnGraph.body());
        assertEquals(200, mdeOnMde.statusCode());
        assertEquals(401, graphOnMde.statusCode());
        assertEquals("Unauthorized", json(graphOnMde).get("error").get("code").asText(), "MDE's error shape on MDE");
        assertTrue(json(graphOnMde).get("error").has("target"));
        assertEquals(401, mdeOnGraph.statusCode());
        JsonNode error = json(mdeOnGraph).get("error");
        assertEquals("InvalidAuthenticationToken", error.get("code").asText());
        assertEquals("Access token validation failure. Invalid audience.", error.get("message").asText());
        assertGraphInnerError(mdeOnGraph);
        assertTrue(mdeOnGraph.headers().firstValue("WWW-Authenticate").orElseThrow().startsWith("Bearer"));
        assertEquals(1, emulator.graphRequests(TENANT), "refused calls are not counted");
        assertEquals(1, emulator.apiRequests(TENANT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://graph.microsoft.us/.default", "https://dod-graph.microsoft.us/.default",
            "https://graph.microsoft.com/.default openid profile offline_access"})
    void governmentGraphScopesAreGraphTokensToo(String scope) {
        String token = http.tokenFor(scope);

        assertEquals(200, http.graphAlerts(token, "").statusCode());
        assertEquals(401, http.alerts(token, "").statusCode());
    }

    @Test
    void otherScopesGiveMdeTokens() {
        String token = http.tokenFor("https://api-gcc.securitycenter.microsoft.us/.default");

        assertEquals(200, http.alerts(token, "").statusCode());
        assertEquals(401, http.graphAlerts(token, "").statusCode());
        assertEquals(401, http.defenderIncidents(token, "").statusCode());
    }

    /** Defender XDR's resource is its own app (not the Defender for Endpoint API's): its tokens open only its API. */
    @ParameterizedTest
    @ValueSource(strings = {"https://api.security.microsoft.com/.default", "https://api-gcc.security.microsoft.us/.default",
            "https://api-gov.security.microsoft.us/.default"})
    void defenderXdrScopesGiveDefenderXdrTokens(String scope) {
        String token = http.tokenFor(scope);

        assertEquals(200, http.defenderIncidents(token, "").statusCode());
        assertEquals(401, http.alerts(token, "").statusCode());
        assertEquals(401, http.graphAlerts(token, "").statusCode());
    }

    @Test
    void missingRevokedAndForgedTokensAre401InGraphShape() {
        emulator.revokeTokens(TENANT);
        for (String token : new String[] {null, graphToken, "forged"}) {
            HttpResponse<String> response = http.graphAlerts(token, "");
            assertEquals(401, response.statusCode());
            assertEquals("InvalidAuthenticationToken", json(response).get("error").get("code").asText());
        }
        assertEquals(0, emulator.graphRequests(TENANT));
    }

    // --- the Graph view of MDE alerts -------------------------------------------------------------------------

    @Test
    void anMdeAlertIsServedInGraphsShape() throws IOException {
        String mde = Fixtures.firstAlert("mde-list-alerts.json");
        emulator.putAlert(TENANT, mde);
        String id = "da637308392288907382_-880718168";

        HttpResponse<String> response = http.graphAlerts(graphToken, "");
        String served = emulator.servedGraphJson(TENANT, id, false);
        JsonNode alert = MAPPER.readTree(served);

        assertEquals("{\"@odata.context\":\"" + CONTEXT + "\",\"value\":[" + served + "]}", response.body());
        List<String> documented = names(MAPPER.readTree(Fixtures.firstAlert("graph-list-alerts-v2.json")));
        documented.remove("systemTags");
        assertEquals(documented, names(alert), "the properties of Microsoft's example, in its order");
        assertTrue(served.startsWith("{\n  \"@odata.type\": \"#microsoft.graph.security.alert\",\n  \"id\": \""),
                served);
        assertEquals(id, alert.get("id").asText());
        assertEquals(id, alert.get("providerAlertId").asText());
        assertEquals("7587", alert.get("incidentId").asText());
        assertTrue(alert.get("incidentId").isTextual(), "Graph's incidentId is a string");
        assertEquals("new", alert.get("status").asText());
        assertEquals("low", alert.get("severity").asText());
        assertEquals("truePositive", alert.get("classification").asText());
        assertEquals("unknown", alert.get("determination").asText());
        assertEquals("microsoftDefenderForEndpoint", alert.get("serviceSource").asText());
        assertEquals("antivirus", alert.get("detectionSource").asText());
        assertEquals("a839b112-1253-6432-9bf6-94542403f21c", alert.get("tenantId").asText());
        assertEquals("SuspiciousActivity", alert.get("category").asText());
        assertEquals("secop123@contoso.com", alert.get("assignedTo").asText());
        assertEquals("2020-07-20T10:53:50.19Z", alert.get("lastUpdateDateTime").asText(), "lastUpdateTime text");
        assertTrue(served.contains("\"lastUpdateDateTime\": \"2020-07-20T10:53:50.19Z\""));
        assertEquals("2020-07-20T10:53:48.7657932Z", alert.get("createdDateTime").asText());
        assertEquals("2020-07-20T10:52:17.6654369Z", alert.get("firstActivityDateTime").asText());
        assertEquals("Meterpreter", alert.get("threatFamilyName").asText());
        assertEquals(3, alert.get("mitreTechniques").size());
        assertEquals("https://security.microsoft.com/alerts/" + id + "?tid=a839b112-1253-6432-9bf6-94542403f21c",
                alert.get("alertWebUrl").asText());
        assertEquals("secop123@contoso.com", alert.get("comments").get(0).get("createdByDisplayName").asText());
        assertEquals(served, emulator.servedGraphJson(TENANT, id, true), "no newer enum members, one text");

        emulator.putAlert(TENANT, mde);
        assertEquals(served, emulator.servedGraphJson(TENANT, id, false), "generated once per put, the same text");
    }

    @Test
    void evidenceIsMappedToGraphEvidenceTypes() throws IOException {
        emulator.putAlert(TENANT, Fixtures.firstAlert("mde-list-alerts-with-evidence.json"));

        JsonNode evidence = json(http.graphAlerts(graphToken, "")).get("value").get(0).get("evidence");

        List<String> types = new ArrayList<>();
        evidence.forEach(entry -> types.add(entry.get("@odata.type").asText()));
        assertEquals(List.of("#microsoft.graph.security.userEvidence", "#microsoft.graph.security.processEvidence",
                "#microsoft.graph.security.fileEvidence"), types);
        assertEquals("detected", evidence.get(2).get("detectionStatus").asText());
        assertTrue(evidence.get(2).get("fileDetails").has("sha256"));
    }

    @Test
    void enumsMapToGraphsCamelCase() throws IOException {
        String[][] statuses = {{"New", "new"}, {"InProgress", "inProgress"}, {"Resolved", "resolved"},
                {"Unknown", "unknown"}};
        String[][] severities = {{"UnSpecified", "unknown"}, {"Informational", "informational"}, {"Low", "low"},
                {"Medium", "medium"}, {"High", "high"}};
        for (String[] status : statuses) {
            for (String[] severity : severities) {
                String id = status[0] + "-" + severity[0];
                emulator.putAlert(TENANT, AlertJson.alert(id, "2021-01-26T20:00:00Z", status[0], severity[0],
                        "Malware"));
                for (boolean prefer : new boolean[] {false, true}) {
                    JsonNode alert = MAPPER.readTree(emulator.servedGraphJson(TENANT, id, prefer));
                    assertEquals(status[1], alert.get("status").asText(), id);
                    assertEquals(severity[1], alert.get("severity").asText(), id);
                }
            }
        }
    }

    @Test
    void valuesGraphDoesNotKnowAreUnknownFutureValueUnlessPreferred() throws IOException {
        emulator.putAlert(TENANT, AlertJson.alert("odd", "2021-01-26T20:00:00Z", "Escalated", "Critical", "Malware"));
        emulator.putAlert(TENANT, AlertJson.alert("plain", "2021-01-26T21:00:00Z", "New", "High", "Malware"));

        JsonNode without = alertById(json(http.graphAlerts(graphToken, "")), "odd");
        JsonNode with = alertById(json(http.graphAlerts(graphToken, "", PREFER_UNKNOWN)), "odd");
        JsonNode withOthers = alertById(json(http.graphAlerts(graphToken, "",
                "odata.maxpagesize=10, " + PREFER_UNKNOWN)), "odd");

        assertEquals("unknownFutureValue", without.get("status").asText());
        assertEquals("unknownFutureValue", without.get("severity").asText());
        assertEquals("escalated", with.get("status").asText());
        assertEquals("critical", with.get("severity").asText());
        assertEquals("escalated", withOthers.get("status").asText());
        assertEquals(without, MAPPER.readTree(emulator.servedGraphJson(TENANT, "odd", false)));
        assertEquals(with, MAPPER.readTree(emulator.servedGraphJson(TENANT, "odd", true)));
        // The filter sees what the client is served.
        assertEquals(List.of("odd"), graphIds("status eq 'unknownFutureValue'", null));
        assertEquals(List.of(), graphIds("status eq 'escalated'", null));
        assertEquals(List.of("odd"), graphIds("status eq 'escalated'", PREFER_UNKNOWN));
        assertEquals(List.of("odd"), graphIds("severity eq 'critical'", PREFER_UNKNOWN));
        assertEquals(List.of("", PREFER_UNKNOWN, "odata.maxpagesize=10, " + PREFER_UNKNOWN, "",
                        "", PREFER_UNKNOWN, PREFER_UNKNOWN),
                emulator.graphPreferHeaders(TENANT));
    }

    // --- other service sources --------------------------------------------------------------------------------

    @Test
    void theDocumentedGraphAlertIsServedByteForByte() {
        String fixture = Fixtures.firstAlert("graph-list-alerts-v2.json");
        emulator.putGraphAlert(TENANT, fixture);

        HttpResponse<byte[]> response = http.get(emulator.graphBaseUrl() + DefenderEmulator.GRAPH_ALERTS_PATH,
                graphToken, HttpResponse.BodyHandlers.ofByteArray());

        String expected = "{\"@odata.context\":\"" + CONTEXT + "\",\"value\":[" + fixture + "]}";
        assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), response.body());
        assertEquals(fixture, emulator.servedGraphJson(TENANT, "da637551227677560813_-961444813", false));
        assertEquals(fixture, emulator.servedGraphJson(TENANT, "da637551227677560813_-961444813", true));
        assertEquals(0, emulator.alertCount(TENANT), "a Graph alert is not an MDE alert");
        assertEquals(List.of("da637551227677560813_-961444813"),
                graphIds("lastUpdateDateTime eq 2021-05-02T14:19:01.3266667Z and status eq 'new'", null));
    }

    @Test
    void generatedGraphAlertsHaveTheDocumentedShape() throws IOException {
        String text = AlertJson.graphAlert("fa1", "2021-01-26T20:33:59.1234567Z", "inProgress", "medium",
                "InitialAccess", OFFICE);
        JsonNode alert = MAPPER.readTree(text);

        List<String> documented = names(MAPPER.readTree(Fixtures.firstAlert("graph-list-alerts-v2.json")));
        documented.remove("systemTags");
        assertEquals(documented, names(alert));
        assertEquals(OFFICE, alert.get("serviceSource").asText());
        assertEquals(OFFICE, alert.get("detectionSource").asText());
        assertEquals("inProgress", alert.get("status").asText());
        assertEquals("medium", alert.get("severity").asText());
        assertEquals("InitialAccess", alert.get("category").asText());
        assertEquals("2021-01-26T20:33:59.1234567Z", alert.get("lastUpdateDateTime").asText());
        assertEquals(text, AlertJson.graphAlert("fa1", "2021-01-26T20:33:59.1234567Z", "inProgress", "medium",
                "InitialAccess", OFFICE), "same arguments, same text");
        assertThrows(IllegalArgumentException.class, () -> emulator.putGraphAlert(TENANT, "{\"title\":\"no id\"}"));
    }

    @Test
    void removeAlertRemovesBothViews() {
        emulator.putAlert(TENANT, AlertJson.alert("a1", "2021-01-26T20:00:00Z", "New", "Low", "Malware"));
        emulator.putGraphAlert(TENANT, AlertJson.graphAlert("g1", "2021-01-26T20:00:00Z", "new", "low", "Malware",
                OFFICE));

        assertTrue(emulator.removeAlert(TENANT, "a1"));
        assertTrue(emulator.removeAlert(TENANT, "g1"));
        assertFalse(emulator.removeAlert(TENANT, "a1"));
        assertEquals(List.of(), idsOf(http.graphAlerts(graphToken, "")));
    }

    // --- query options ----------------------------------------------------------------------------------------

    @Test
    void filtersOnServiceSourceStatusAndSeverityCombine() {
        putMde("m1", "2021-01-26T20:00:00Z", "New", "High");
        putMde("m2", "2021-01-26T21:00:00Z", "InProgress", "Low");
        putMde("m3", "2021-01-26T22:00:00Z", "Resolved", "High");
        emulator.putGraphAlert(TENANT, AlertJson.graphAlert("o1", "2021-01-26T20:30:00Z", "new", "high", "Phish",
                OFFICE));
        emulator.putGraphAlert(TENANT, AlertJson.graphAlert("o2", "2021-01-26T21:30:00Z", "resolved", "low", "Phish",
                OFFICE));

        assertEquals(List.of("m1", "m2", "m3"), graphIds("serviceSource eq 'microsoftDefenderForEndpoint'", null));
        assertEquals(List.of("o1", "o2"), graphIds("serviceSource eq '" + OFFICE + "'", null));
        assertEquals(List.of("m1", "o1"), graphIds("status eq 'new'", null));
        assertEquals(List.of(), graphIds("status eq 'New'", null), "enum members are case-sensitive camelCase");
        assertEquals(List.of("m1"),
                graphIds("serviceSource eq 'microsoftDefenderForEndpoint' and status eq 'new'", null));
        assertEquals(List.of("m1", "o1", "m3"), graphIds("severity eq 'high' or status eq 'resolved' and "
                + "serviceSource eq 'microsoftDefenderForEndpoint'", null));
        assertEquals(List.of("m2", "m3"), graphIds("serviceSource eq 'microsoftDefenderForEndpoint' and "
                + "(status eq 'inProgress' or status eq 'resolved')", null));
        assertEquals(List.of("m1", "o1", "m2"), graphIds("status in ('new', 'inProgress')", null));
        assertEquals(List.of("o1", "o2", "m3"),
                graphIds("not (serviceSource eq 'microsoftDefenderForEndpoint' and status ne 'resolved')", null));
        assertEquals(List.of("m2", "m3"),
                graphIds("lastUpdateDateTime gt 2021-01-26T20:30:00Z and serviceSource ne '" + OFFICE + "'", null));
        assertEquals(List.of("m3"), graphIds("id eq 'm3'", null));
    }

    @Test
    void instantsCompareAtFullPrecisionWhateverTheirDigits() {
        putMde("two-digits", "2021-01-26T20:33:59.2Z", "New", "Low");
        putMde("seven-digits", "2021-01-26T20:33:59.2000001Z", "New", "Low");

        assertEquals("2021-01-26T20:33:59.2000001Z", lastUpdate("seven-digits"));
        assertEquals("2021-01-26T20:33:59.2Z", lastUpdate("two-digits"));
        assertEquals(List.of("two-digits"), graphIds("lastUpdateDateTime eq 2021-01-26T20:33:59.2000000Z", null));
        assertEquals(List.of("seven-digits"), graphIds("lastUpdateDateTime gt 2021-01-26T20:33:59.2Z", null));
        assertEquals(List.of("seven-digits"), graphIds("lastUpdateDateTime gt 2021-01-26T20:33:59.20Z", null));
        assertEquals(List.of("two-digits", "seven-digits"),
                graphIds("lastUpdateDateTime ge 2021-01-26T20:33:59.2Z", null));
        assertEquals(List.of(), graphIds("lastUpdateDateTime gt 2021-01-26T20:33:59.2000001Z", null));
        assertEquals(List.of("two-digits", "seven-digits"),
                graphIds("createdDateTime lt 2021-01-26T20:33:59.2Z", null));
    }

    @Test
    void filteringOnCategoryIs400WithGraphsErrorBody() {
        HttpResponse<String> response = http.graphAlerts(graphToken, "$filter=" + encode("category eq 'Malware'"));

        assertEquals(400, response.statusCode());
        JsonNode error = json(response).get("error");
        assertEquals("BadRequest", error.get("code").asText());
        assertTrue(error.get("message").asText().startsWith("Invalid filter clause: "), error.toString());
        assertTrue(error.get("message").asText().contains("category"), error.toString());
        assertGraphInnerError(response);
    }

    @ParameterizedTest
    @ValueSource(strings = {"title eq 'x'", "status eq", "status eq new", "lastUpdateDateTime gt 2021-01-26",
            "lastUpdateDateTime gt 2021-01-26T20:33:59.12345678Z", "lastUpdateTime gt 2021-01-26T20:33:59Z",
            "contains(title,'x')"})
    void otherBadFiltersAre400(String filter) {
        HttpResponse<String> response = http.graphAlerts(graphToken, "$filter=" + encode(filter));

        assertEquals(400, response.statusCode(), filter);
        assertEquals("BadRequest", json(response).get("error").get("code").asText());
    }

    @Test
    void topIsCappedAt1000AndSkipAt500() {
        putMde("a1", "2021-01-26T20:00:00Z", "New", "Low");

        assertEquals(200, http.graphAlerts(graphToken, "$top=1000").statusCode());
        assertEquals(200, http.graphAlerts(graphToken, "$top=1").statusCode());
        assertEquals(200, http.graphAlerts(graphToken, "$skip=500").statusCode());
        assertEquals(200, http.graphAlerts(graphToken, "$skip=0").statusCode());
        for (String bad : List.of("$top=1001", "$top=0", "$top=x", "$skip=501", "$skip=-1", "$select=id",
                "$expand=evidence", "$count=yes", "$top=1&$top=2")) {
            HttpResponse<String> response = http.graphAlerts(graphToken, bad);
            assertEquals(400, response.statusCode(), bad);
            assertEquals("BadRequest", json(response).get("error").get("code").asText(), bad);
            assertGraphInnerError(response);
        }
    }

    @Test
    void ordersByTheRequestedTimeAndBreaksTiesById() {
        putMde("c", "2021-01-26T20:00:00.5Z", "New", "Low");
        putMde("b", "2021-01-26T20:00:00.5000000Z", "New", "Low");
        putMde("a", "2021-01-26T21:00:00Z", "New", "Low");

        assertEquals(List.of("b", "c", "a"),
                idsOf(http.graphAlerts(graphToken, "$orderby=" + encode("lastUpdateDateTime asc"))));
        assertEquals(List.of("a", "b", "c"),
                idsOf(http.graphAlerts(graphToken, "$orderby=" + encode("lastUpdateDateTime desc"))));
        assertEquals(List.of("b", "c", "a"), idsOf(http.graphAlerts(graphToken, "$orderby=lastUpdateDateTime")));
        assertEquals(400, http.graphAlerts(graphToken, "$orderby=" + encode("severity asc")).statusCode());
    }

    @Test
    void defaultOrderIsNewestCreationFirst() {
        emulator.putAlert(TENANT, "{\"id\":\"old\",\"alertCreationTime\":\"2021-01-01T00:00:00Z\"}");
        emulator.putAlert(TENANT, "{\"id\":\"new\",\"alertCreationTime\":\"2021-01-02T00:00:00Z\"}");
        emulator.putAlert(TENANT, "{\"id\":\"also-new\",\"alertCreationTime\":\"2021-01-02T00:00:00.0Z\"}");

        assertEquals(List.of("also-new", "new", "old"), idsOf(http.graphAlerts(graphToken, "")));
    }

    @Test
    void countAndPagingWithTopAndSkip() {
        for (int i = 1; i <= 5; i++) {
            putMde("a" + i, "2021-01-26T20:00:0" + i + "Z", "New", "Low");
        }
        String asc = "$orderby=" + encode("lastUpdateDateTime asc");

        JsonNode counted = json(http.graphAlerts(graphToken, asc + "&$top=2&$count=true"));
        assertEquals(5, counted.get("@odata.count").asInt());
        assertEquals(List.of("a1", "a2"), idsOf(counted));
        assertEquals(List.of("a3", "a4"), idsOf(http.graphAlerts(graphToken, asc + "&$top=2&$skip=2")));
        assertFalse(json(http.graphAlerts(graphToken, asc + "&$top=2")).has("@odata.nextLink"),
                "no nextLink by default");
    }

    @Test
    void properNextLinksStopWhereSkipWouldPass500() {
        for (int i = 0; i < 700; i++) {
            putMde(String.format("a%03d", i), "2021-01-26T20:00:00Z", "New", "Low");
        }
        emulator.setNextLinkMode(NextLinkMode.PROPER);
        String url = emulator.graphBaseUrl() + DefenderEmulator.GRAPH_ALERTS_PATH + "?$orderby="
                + encode("lastUpdateDateTime asc") + "&$top=300";
        List<String> collected = new ArrayList<>();
        List<String> links = new ArrayList<>();
        while (url != null) {
            JsonNode page = json(http.get(url, graphToken, HttpResponse.BodyHandlers.ofString()));
            page.get("value").forEach(alert -> collected.add(alert.get("id").asText()));
            url = page.has("@odata.nextLink") ? page.get("@odata.nextLink").asText() : null;
            if (url != null) {
                links.add(url);
            }
        }

        assertEquals(1, links.size(), links.toString());
        assertTrue(links.get(0).startsWith(emulator.graphBaseUrl() + "/v1.0/security/alerts_v2?"), links.get(0));
        assertTrue(links.get(0).endsWith("$skip=300"), links.get(0));
        assertEquals(600, collected.size(), "the next skip (600) would pass Graph's cap of 500");
        assertEquals("a000", collected.get(0));
        assertEquals("a599", collected.get(599));
    }

    // --- throttling, faults, delays and counters --------------------------------------------------------------

    @Test
    void pastTheGraphLimitCallsGet429WithRetryAfter() {
        emulator.setGraphRateLimit(3);
        for (int i = 0; i < 3; i++) {
            assertEquals(200, http.graphAlerts(graphToken, "").statusCode());
        }

        HttpResponse<String> throttled = http.graphAlerts(graphToken, "");
        HttpResponse<String> tooSoon = http.graphAlerts(graphToken, "");

        assertEquals(429, throttled.statusCode());
        long retryAfter = Long.parseLong(throttled.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 55 && retryAfter <= 60, "Retry-After " + retryAfter);
        assertEquals("TooManyRequests", json(throttled).get("error").get("code").asText());
        assertGraphInnerError(throttled);
        assertEquals(429, tooSoon.statusCode(), "retrying before Retry-After is refused again");
        assertEquals(5, emulator.graphRequests(TENANT));
        assertEquals(200, http.alerts(http.token(), "").statusCode(), "MDE has its own window");

        emulator.resetCounters();
        assertEquals(200, http.graphAlerts(graphToken, "").statusCode());
    }

    @Test
    void faultsAndDelaysApplyToGraphCalls() {
        emulator.enqueueFault(TENANT, 503, "", Map.of("Retry-After", "7"));
        emulator.enqueueMalformed(TENANT);
        putMde("a1", "2021-01-26T20:00:00Z", "New", "Low");

        HttpResponse<String> faulted = http.graphAlerts(graphToken, "");
        HttpResponse<String> malformed = http.graphAlerts(graphToken, "");
        emulator.setResponseDelay(TENANT, Duration.ofMillis(300));
        long start = System.nanoTime();
        HttpResponse<String> slow = http.graphAlerts(graphToken, "");
        long elapsed = System.nanoTime() - start;

        assertEquals(503, faulted.statusCode());
        assertEquals("7", faulted.headers().firstValue("Retry-After").orElseThrow());
        assertEquals(200, malformed.statusCode());
        assertTrue(malformed.body().startsWith("{\"@odata.context\":"), malformed.body());
        assertThrows(IOException.class, () -> MAPPER.readTree(malformed.body()));
        assertEquals(200, slow.statusCode());
        assertEquals(List.of("a1"), idsOf(slow));
        assertTrue(elapsed >= Duration.ofMillis(300).toNanos());
    }

    @Test
    void recordsEachGraphRequestsDecodedQueryAndPreferHeader() {
        http.graphAlerts(graphToken, "$filter=" + encode("status eq 'new'") + "&$top=5");
        http.graphAlerts(graphToken, "$filter=status%20eq%20'resolved'", PREFER_UNKNOWN);
        http.alerts(http.token(), "$top=1");

        assertEquals(List.of("$filter=status eq 'new'&$top=5", "$filter=status eq 'resolved'"),
                emulator.graphRequestQueries(TENANT));
        assertEquals(List.of("", PREFER_UNKNOWN), emulator.graphPreferHeaders(TENANT));
        assertEquals(2, emulator.graphRequests(TENANT));
        assertEquals(List.of("$top=1"), emulator.requestQueries(TENANT), "MDE's log holds only MDE calls");
        emulator.resetCounters();
        assertEquals(0, emulator.graphRequests(TENANT));
        assertEquals(List.of(), emulator.graphRequestQueries(TENANT));
        assertEquals(List.of(), emulator.graphPreferHeaders(TENANT));
    }

    @Test
    void theAdminEndpointTakesGraphAlertsAndShowsGraphCounters() {
        String alert = AlertJson.graphAlert("posted", "2021-01-26T20:33:59.2Z", "new", "high", "Phish", OFFICE);
        String admin = emulator.baseUrl() + "/emulator/tenants/" + TENANT + "/";

        HttpResponse<String> created = http.send(HttpRequest.newBuilder(
                URI.create(admin + "graph-alerts")).POST(
                HttpRequest.BodyPublishers.ofString(alert)).build());
        http.graphAlerts(graphToken, "$top=1", PREFER_UNKNOWN);
        JsonNode stats = json(http.send(HttpRequest.newBuilder(URI.create(admin + "stats"))
                .GET().build()));

        assertEquals(201, created.statusCode());
        assertEquals(alert, emulator.servedGraphJson(TENANT, "posted", false));
        assertEquals(1, stats.get("graphAlerts").asInt());
        assertEquals(1, stats.get("graphRequests").asInt());
        assertEquals("$top=1", stats.get("graphRequestQueries").get(0).asText());
        assertEquals(PREFER_UNKNOWN, stats.get("graphPreferHeaders").get(0).asText());
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    private void putMde(String id, String lastUpdateTime, String status, String severity) {
        emulator.putAlert(TENANT, AlertJson.alert(id, lastUpdateTime, status, severity, "Malware"));
    }

    private String lastUpdate(String id) {
        return alertById(json(http.graphAlerts(graphToken, "")), id).get("lastUpdateDateTime").asText();
    }

    /** Ids matching the filter, in lastUpdateDateTime order. */
    private List<String> graphIds(String filter, String prefer) {
        HttpResponse<String> response = http.graphAlerts(graphToken,
                "$filter=" + encode(filter) + "&$orderby=" + encode("lastUpdateDateTime asc"), prefer);
        assertEquals(200, response.statusCode(), filter + " -> " + response.body());
        return idsOf(response);
    }

    private static void assertGraphInnerError(HttpResponse<String> response) {
        JsonNode inner = json(response).get("error").get("innerError");
        assertTrue(inner.get("date").asText().matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}"), inner.toString());
        assertEquals(response.headers().firstValue("request-id").orElseThrow(), inner.get("request-id").asText());
        assertEquals(response.headers().firstValue("client-request-id").orElseThrow(),
                inner.get("client-request-id").asText());
    }

    private static JsonNode alertById(JsonNode page, String id) {
        for (JsonNode alert : page.get("value")) {
            if (alert.get("id").asText().equals(id)) {
                return alert;
            }
        }
        throw new AssertionError("No alert " + id + " in " + page);
    }

    private static List<String> idsOf(HttpResponse<String> response) {
        return idsOf(json(response));
    }

    private static List<String> idsOf(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("value").forEach(alert -> ids.add(alert.get("id").asText()));
        return ids;
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
