package io.defenderalertroutes.sinks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.defenderalertroutes.sinks.time.DefenderTimes;
import io.defenderalertroutes.defender.AlertHeaders;
import io.defenderalertroutes.emulator.IncidentJson;
import io.defenderalertroutes.sinks.ocsf.AlertShape;
import io.defenderalertroutes.sinks.ocsf.IncidentShape;
import io.defenderalertroutes.testsupport.IncidentSource;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code defender:ocsf} on incidents of both incident sources, in the emulator's shapes of Microsoft's List incidents
 * examples, each finding checked against the OCSF 1.3.0 definitions of Incident Finding ({@link OcsfSchema}); and the
 * alerts split off an incident as Detection Findings.
 */
class OcsfIncidentFindingsTest {

    private static final OcsfSchema SCHEMA = new OcsfSchema();
    private static final String USER_ROUTE = """
            - route:
                from:
                  uri: direct:my-incidents
                  steps:
                    - transformDataType:
                        toType: defender:ocsf
                    - to:
                        uri: mock:lake
            """;

    /** One incident as its API serves it, with the words given in Graph's spelling and turned into the API's. */
    private record Incident(IncidentSource source, ObjectNode json) {

        String id() {
            return json.get(shape().id()).asText();
        }

        IncidentShape shape() {
            return source == IncidentSource.GRAPH ? IncidentShape.GRAPH : IncidentShape.DEFENDER_XDR;
        }

        String updated() {
            return json.get(shape().updated()).asText();
        }

        ArrayNode alerts() {
            return (ArrayNode) json.get("alerts");
        }

        /** Sets a field in the API's spelling: Graph's camelCase, Defender XDR's PascalCase. */
        Incident set(String field, String graphWord) {
            json.put(field, source == IncidentSource.GRAPH ? graphWord
                    : graphWord.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + graphWord.substring(1));
            return this;
        }
    }

    /**
     * Incident 924565 updated at {@code updated} with two alerts (a1, then a2 an hour later), their techniques
     * overlapping; a2 of Graph with the evidence of Microsoft's documented alerts_v2 alert, of Defender XDR with a
     * device and a process entity besides the emulator's user.
     */
    private static Incident incident(IncidentSource source, String updated) throws Exception {
        String a1 = source.alert("a1", "Execution", "2026-01-26T19:33:59.2Z");
        String a2 = source.alert("a2", "Malware", updated);
        String text = source == IncidentSource.GRAPH
                ? IncidentJson.graphIncident("924565", updated, "active", "high", List.of(a1, a2))
                : IncidentJson.defenderIncident(924565, updated, "Active", "High", List.of(a1, a2));
        ObjectNode json = (ObjectNode) CloudEventsSchema.JSON.readTree(text);
        ((ObjectNode) json.get("alerts").get(0)).putArray("mitreTechniques").add("T1059.001").add("T1566");
        ((ObjectNode) json.get("alerts").get(1)).putArray("mitreTechniques").add("T1566").add("T1204");
        if (source == IncidentSource.GRAPH) {
            JsonNode documented = CloudEventsSchema.JSON.readTree(OcsfIncidentFindingsTest.class
                    .getResourceAsStream("/fixtures/graph-list-alerts-v2.json")).at("/value/0/evidence");
            ((ObjectNode) json.get("alerts").get(1)).set("evidence", documented);
        } else {
            ObjectNode alert = (ObjectNode) json.get("alerts").get(1);
            alert.put("detectorId", "7d2b3c6a-0d4b-4a1e-9b1f-9d1cf7a6f0e1");
            // the device as Microsoft's example response writes it: its id as mdatpDeviceId
            ((ArrayNode) alert.get("devices")).addObject().put("mdatpDeviceId", "30a8fa2826abf24d24379472be4b5aa3a2e0b1b5")
                    .put("aadDeviceId", (String) null).put("deviceDnsName", "yonif-lap3.middleeast.corp.microsoft.com")
                    .put("osPlatform", "Windows10").put("osBuild", 19045).put("healthStatus", "Active")
                    .put("riskScore", "High").put("rbacGroupName", "WDATP-Ring0").put("rbacGroupId", 9);
            ((ArrayNode) alert.get("entities")).addObject().put("entityType", "Process").put("processId", 24348)
                    .put("processCommandLine", "\"MsSense.exe\"").put("fileName", "MsSense.exe")
                    .put("filePath", "C:\\Program Files\\Windows Defender Advanced Threat Protection")
                    .put("sha1", "5f1e8acedc065031aad553b710838eb366cfee9a").put("deviceId", "30a8fa2826abf24d24379472be4b5aa3a2e0b1b5");
        }
        return new Incident(source, json);
    }

    private static Map<String, Object> headers(Incident incident, String change) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(AlertHeaders.TENANT, "contoso");
        headers.put(AlertHeaders.SOURCE, incident.source().key());
        headers.put(AlertHeaders.ALERT_ID, incident.id());
        headers.put(AlertHeaders.INCIDENT_ID, incident.id());
        headers.put(AlertHeaders.ALERT_COUNT, incident.alerts().size());
        headers.put(AlertHeaders.LAST_UPDATE_TIME, incident.updated());
        headers.put(AlertHeaders.CHANGE, change);
        headers.put(AlertHeaders.IDEMPOTENCY_KEY, "contoso:" + incident.id() + ":" + incident.updated());
        return headers;
    }

    /** The headers AlertHeaders.describeIncidentAlert gives the incident's alert at {@code index}. */
    private static Map<String, Object> alertHeaders(Incident incident, int index) {
        JsonNode alert = incident.alerts().get(index);
        AlertShape shape = incident.shape().alerts();
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(AlertHeaders.TENANT, "contoso");
        headers.put(AlertHeaders.SOURCE, incident.source().key());
        headers.put(AlertHeaders.INCIDENT_ID, incident.id());
        headers.put(AlertHeaders.ALERT_ID, alert.get(shape.id()).asText());
        headers.put(AlertHeaders.CHANGE, "new");
        headers.put(AlertHeaders.IDEMPOTENCY_KEY, "contoso:" + alert.get(shape.id()).asText() + ":"
                + alert.get(shape.updated()).asText());
        return headers;
    }

    private static JsonNode throughUserRoute(String body, Map<String, Object> headers) throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("my-incidents.camel.yaml", USER_ROUTE));
            context.start();
            MockEndpoint lake = context.getEndpoint("mock:lake", MockEndpoint.class);
            lake.expectedMessageCount(1);
            context.createProducerTemplate().sendBodyAndHeaders("direct:my-incidents", body, headers);
            lake.assertIsSatisfied(5000);
            return CloudEventsSchema.JSON.readTree(lake.getReceivedExchanges().get(0).getMessage().getBody(String.class));
        }
    }

    private static JsonNode finding(Incident incident, String change) throws Exception {
        JsonNode finding = throughUserRoute(incident.json().toPrettyString(), headers(incident, change));
        assertEquals(List.of(), SCHEMA.violations("incident_finding", finding), finding.toPrettyString());
        return finding;
    }

    @ParameterizedTest
    @EnumSource(IncidentSource.class)
    void aNewIncidentIsAnIncidentFindingWithOneFindingInfoPerAlert(IncidentSource source) throws Exception {
        Incident incident = incident(source, "2026-01-26T20:33:59.2Z");
        JsonNode finding = finding(incident, "new");
        assertEquals(2005, finding.get("class_uid").asInt());
        assertEquals(200501, finding.get("type_uid").asLong());
        assertEquals("Incident Finding: Create", finding.get("type_name").asText());
        assertEquals(1, finding.get("status_id").asInt(), "active: a new incident");
        assertEquals("New", finding.get("status").asText());
        assertEquals(4, finding.get("severity_id").asInt());
        assertEquals(DefenderTimes.epochMillis("2026-01-26T20:33:59.2Z"), finding.get("time").asLong());
        assertEquals("Multi-stage incident 924565 generated by the Defender emulator for tests",
                finding.get("message").asText());
        assertTrue(finding.get("src_url").asText().startsWith("https://security.microsoft.com/incidents/924565?tid="));
        assertEquals(incident.json().get(incident.shape().url()), finding.get("src_url"));
        assertEquals("Microsoft", finding.at("/metadata/product/vendor_name").asText());
        assertEquals("Microsoft Defender XDR", finding.at("/metadata/product/name").asText());
        assertEquals("924565", finding.at("/metadata/correlation_uid").asText());
        assertEquals("contoso:924565:2026-01-26T20:33:59.2Z", finding.at("/metadata/uid").asText());
        assertEquals(source == IncidentSource.GRAPH ? incident.json().get("tenantId").asText() : "",
                finding.at("/metadata/tenant_uid").asText(), "Defender XDR's incidents name no tenant");
        assertEquals("Unassigned", finding.at("/assignee_group/name").asText(), "no one assigned: the portal's queue");
        assertFalse(finding.has("assignee"));
        assertEquals(0, finding.get("verdict_id").asInt(), "classified Unknown");

        JsonNode infos = finding.get("finding_info_list");
        assertEquals(2, infos.size());
        assertEquals(List.of("a1", "a2"), List.of(infos.get(0).get("uid").asText(), infos.get(1).get("uid").asText()));
        assertEquals(incident.alerts().get(0).get("title").asText(), infos.at("/0/title").asText());
        assertEquals(incident.alerts().get(0).get("description").asText(), infos.at("/0/desc").asText());
        assertEquals("Execution", infos.at("/0/types/0").asText());
        assertEquals("924565", infos.at("/1/related_events/0/uid").asText());
        assertEquals(DefenderTimes.epochMillis("2026-01-26T20:33:59.2Z"), infos.at("/1/modified_time").asLong());
        JsonNode a1 = incident.alerts().get(0);
        JsonNode a2 = incident.alerts().get(1);
        String first = source == IncidentSource.GRAPH ? "firstActivityDateTime" : "firstActivity";
        String last = source == IncidentSource.GRAPH ? "lastActivityDateTime" : "lastActivity";
        assertEquals(DefenderTimes.epochMillis(a1.get(first).asText()), finding.get("start_time").asLong(), "a1's first activity");
        assertEquals(DefenderTimes.epochMillis(a2.get(last).asText()), finding.get("end_time").asLong(), "a2's last activity");
        List<String> techniques = new ArrayList<>();
        finding.get("attacks").forEach(a -> techniques.add(a.path("sub_technique").path("uid").asText(a.at("/technique/uid").asText())));
        assertEquals(List.of("T1059.001", "T1566", "T1204"), techniques, "every alert's techniques, each once");
        assertEquals("T1059", finding.at("/attacks/0/technique/uid").asText());

        // nothing lost: each incident field is placed or kept as served, each alert's too beside its id
        List<String> lost = new ArrayList<>();
        incident.json().fields().forEachRemaining(field -> {
            if (!field.getValue().isNull() && !incident.shape().mapped().contains(field.getKey())
                    && !field.getValue().equals(finding.path("unmapped").get(field.getKey()))) {
                lost.add(field.getKey());
            }
        });
        for (int i = 0; i < 2; i++) {
            JsonNode alert = incident.alerts().get(i);
            JsonNode kept = finding.at("/unmapped/alerts/" + i);
            assertEquals(alert.get(incident.shape().alerts().id()), kept.get(incident.shape().alerts().id()));
            alert.fields().forEachRemaining(field -> {
                if (!field.getValue().isNull() && !incident.shape().alerts().findingInfoFields().contains(field.getKey())
                        && !field.getValue().equals(kept.get(field.getKey()))) {
                    lost.add("alerts." + field.getKey());
                }
            });
        }
        assertEquals(List.of(), lost);
        assertEquals(incident.alerts().get(1).get(incident.shape().alerts().evidence()),
                finding.at("/unmapped/alerts/1/" + incident.shape().alerts().evidence()),
                "an incident finding has no evidences: the alert's evidence kept as served");
        assertEquals(incident.json().get(source == IncidentSource.GRAPH ? "createdDateTime" : "createdTime"),
                finding.at("/unmapped/" + (source == IncidentSource.GRAPH ? "createdDateTime" : "createdTime")));
    }

    @ParameterizedTest
    @EnumSource(IncidentSource.class)
    void anAssignedClassifiedUpdateIsAnUpdateWithAssigneeAndVerdict(IncidentSource source) throws Exception {
        Incident incident = incident(source, "2026-01-27T08:00:00Z").set("status", "inProgress")
                .set("classification", "truePositive").set("determination", "malware");
        incident.json().put("assignedTo", "secop2@contoso.com");
        JsonNode finding = finding(incident, "update");
        assertEquals(2, finding.get("activity_id").asInt());
        assertEquals(200502, finding.get("type_uid").asLong());
        assertEquals(2, finding.get("status_id").asInt());
        assertEquals("In Progress", finding.get("status").asText());
        assertEquals("secop2@contoso.com", finding.at("/assignee/name").asText());
        assertFalse(finding.has("assignee_group"));
        assertEquals("assignee.name", finding.at("/observables/0/name").asText());
        assertEquals("secop2@contoso.com", finding.at("/observables/0/value").asText());
        assertEquals(2, finding.get("verdict_id").asInt());
        assertEquals("True Positive", finding.get("verdict").asText());
        assertEquals(incident.json().get("determination"), finding.at("/unmapped/determination"),
                "what it was (malware) is no verdict: kept as served");
    }

    @ParameterizedTest
    @EnumSource(IncidentSource.class)
    void aResolvedIncidentClosesAndASecurityTestIsTheVerdictTest(IncidentSource source) throws Exception {
        Incident incident = incident(source, "2026-01-27T09:00:00Z").set("status", "resolved")
                .set("classification", "informationalExpectedActivity").set("determination", "securityTesting");
        incident.json().put("assignedTo", "secop2@contoso.com");
        if (source == IncidentSource.GRAPH) {
            incident.json().put("resolvingComment", "Red team exercise, announced in change 4711");
        }
        JsonNode finding = finding(incident, "update");
        assertEquals(3, finding.get("activity_id").asInt());
        assertEquals(200503, finding.get("type_uid").asLong());
        assertEquals(4, finding.get("status_id").asInt());
        assertEquals("Resolved", finding.get("status").asText());
        assertEquals(6, finding.get("verdict_id").asInt());
        assertEquals("Test", finding.get("verdict").asText());
        if (source == IncidentSource.GRAPH) {
            assertEquals("Red team exercise, announced in change 4711", finding.get("comment").asText());
        }
        incident.set("determination", "other");
        assertEquals(5, finding(incident, "update").get("verdict_id").asInt(), "informational, expected activity: Benign");
    }

    @ParameterizedTest
    @EnumSource(IncidentSource.class)
    void wordsOcsfHasNoValueForAreOtherWithTheWordKept(IncidentSource source) throws Exception {
        String status = source == IncidentSource.GRAPH ? "unknownFutureValue" : "Redirected";
        Incident incident = incident(source, "2026-01-27T10:00:00Z").set("severity", "catastrophic")
                .set("classification", "unknownFutureValue");
        incident.json().put("status", status);
        JsonNode finding = finding(incident, "update");
        assertEquals(99, finding.get("status_id").asInt());
        assertEquals(status, finding.get("status").asText());
        assertEquals(99, finding.get("severity_id").asInt());
        assertEquals(incident.json().get("severity").asText(), finding.get("severity").asText());
        assertEquals(99, finding.get("verdict_id").asInt());
        assertEquals(incident.json().get("classification").asText(), finding.get("verdict").asText());
        assertEquals(2, finding.get("activity_id").asInt(), "only resolved closes");
    }

    @Test
    void graphsAwaitingActionIsOnHoldAndAnIncidentWithoutAlertsHasAnEmptyList() throws Exception {
        Incident incident = incident(IncidentSource.GRAPH, "2026-01-27T11:00:00Z").set("status", "awaitingAction");
        incident.json().putArray("alerts");
        JsonNode finding = finding(incident, "update");
        assertEquals(3, finding.get("status_id").asInt());
        assertEquals("On Hold", finding.get("status").asText());
        assertEquals(0, finding.get("finding_info_list").size(), "required, so there even when empty");
        assertFalse(finding.has("start_time"));
        assertFalse(finding.has("attacks"));
    }

    /** With split-alerts, an incident's alert keeps its incident's Defender-Source: it is still an alert. */
    @ParameterizedTest
    @EnumSource(IncidentSource.class)
    void anAlertSplitOffAnIncidentIsADetectionFinding(IncidentSource source) throws Exception {
        Incident incident = incident(source, "2026-01-26T20:33:59.2Z");
        JsonNode alert = incident.alerts().get(1);
        AlertShape shape = incident.shape().alerts();
        JsonNode finding = throughUserRoute(alert.toPrettyString(), alertHeaders(incident, 1));
        assertEquals(List.of(), SCHEMA.violations("detection_finding", finding), finding.toPrettyString());
        assertEquals(200401, finding.get("type_uid").asLong());
        assertEquals("a2", finding.at("/finding_info/uid").asText());
        assertEquals("924565", finding.at("/finding_info/related_events/0/uid").asText());
        assertEquals("Microsoft Defender XDR", finding.at("/metadata/product/name").asText());
        assertEquals(1, finding.get("status_id").asInt());
        assertEquals(4, finding.get("severity_id").asInt());
        assertEquals("T1566", finding.at("/attacks/0/technique/uid").asText());
        assertEquals(DefenderTimes.epochMillis(alert.get(shape.updated()).asText()), finding.get("time").asLong());
        assertEquals(alert.path(shape.evidence()).size() + alert.path("devices").size(), finding.path("evidences").size(),
                "one OCSF evidence per evidence (entity, device) served");
        assertTrue(finding.get("evidences").size() >= 3, finding.toPrettyString());
        if (source == IncidentSource.GRAPH) {
            assertEquals("tempDns", finding.at("/evidences/0/device/hostname").asText());
            assertEquals(4780, finding.at("/evidences/2/process/pid").asInt());
        } else {
            assertEquals("WindowsDefenderAtp", finding.at("/metadata/product/feature/name").asText());
            assertEquals("corp.contoso", finding.at("/evidences/0/user/domain").asText());
            JsonNode process = finding.at("/evidences/1/process");
            assertEquals(24348, process.get("pid").asInt());
            assertEquals("5f1e8acedc065031aad553b710838eb366cfee9a", process.at("/file/hashes/0/value").asText());
            assertEquals("30a8fa2826abf24d24379472be4b5aa3a2e0b1b5", finding.at("/evidences/1/data/deviceId").asText());
            JsonNode device = finding.at("/evidences/2");
            assertEquals("30a8fa2826abf24d24379472be4b5aa3a2e0b1b5", device.at("/device/uid").asText());
            assertEquals("Windows10", device.at("/data/osPlatform").asText());
            assertEquals(19045, device.at("/data/osBuild").asInt());
            assertFalse(device.path("data").has("mdatpDeviceId"), "placed, not kept twice");
            assertTrue(finding.toString().contains("\"name\":\"evidences.device.hostname\""), finding.toPrettyString());
            assertEquals("7d2b3c6a-0d4b-4a1e-9b1f-9d1cf7a6f0e1", finding.at("/finding_info/analytic/uid").asText());
        }
        List<String> lost = new ArrayList<>();
        alert.fields().forEachRemaining(field -> {
            if (!field.getValue().isNull() && !shape.mapped().contains(field.getKey())
                    && !field.getValue().equals(finding.path("unmapped").get(field.getKey()))) {
                lost.add(field.getKey());
            }
        });
        assertEquals(List.of(), lost);

        // the incident itself, through the same route: the Defender-Incident-Id that is its own id
        assertEquals(2005, throughUserRoute(incident.json().toPrettyString(), headers(incident, "new"))
                .get("class_uid").asInt());
    }

    /** The checker applies Incident Finding's own definitions: each broken finding is refused, saying why. */
    @Test
    void theSchemaRefusesWhatIncidentFindingRefuses() throws Exception {
        JsonNode valid = finding(incident(IncidentSource.GRAPH, "2026-01-26T20:33:59.2Z"), "new");
        Map<String, java.util.function.Consumer<ObjectNode>> breaks = new LinkedHashMap<>();
        breaks.put("finding_info_list: required", f -> f.remove("finding_info_list"));
        breaks.put("incident_finding: at least one of", f -> f.remove("assignee_group"));
        breaks.put("status_id: 6 is not among", f -> f.put("status_id", 6));
        breaks.put("verdict_id: 11 is not among", f -> f.put("verdict_id", 11));
        breaks.put("finding_info_list: must be an array", f -> f.set("finding_info_list", f.get("finding_info_list").get(0)));
        breaks.put("finding_info_list[0].uid: required", f -> ((ObjectNode) f.at("/finding_info_list/0")).remove("uid"));
        breaks.put("class_uid: must be 2005", f -> f.put("class_uid", 2004));
        breaks.put("incident_finding.evidences: not an attribute", f -> f.putArray("evidences"));
        for (Map.Entry<String, java.util.function.Consumer<ObjectNode>> broken : breaks.entrySet()) {
            ObjectNode finding = valid.deepCopy();
            broken.getValue().accept(finding);
            List<String> violations = SCHEMA.violations("incident_finding", finding);
            assertTrue(violations.stream().anyMatch(v -> v.contains(broken.getKey().split(": ")[0])
                    && v.contains(broken.getKey().split(": ")[1])), broken.getKey() + " -> " + violations);
        }
    }
}
