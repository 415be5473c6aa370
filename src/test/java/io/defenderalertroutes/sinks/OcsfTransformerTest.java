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
import io.defenderalertroutes.sinks.ocsf.AlertShape;
import io.defenderalertroutes.sinks.ocsf.DetectionFindings;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * {@code defender:ocsf} on Microsoft's own documented Defender for Endpoint alerts, each finding checked against the
 * OCSF 1.3.0 definitions of Detection Finding ({@link OcsfSchema}), and the checker shown to refuse what the schema
 * refuses.
 */
class OcsfTransformerTest {

    private static final OcsfSchema SCHEMA = new OcsfSchema();
    private static final String USER_ROUTE = """
            - route:
                id: my-lake-feed
                from:
                  uri: direct:my-alerts
                  steps:
                    - transformDataType:
                        id: to-ocsf
                        toType: defender:ocsf
                    - to:
                        uri: mock:lake
            """;

    private static JsonNode fixture(String name) throws Exception {
        return CloudEventsSchema.JSON.readTree(OcsfTransformerTest.class.getResourceAsStream("/fixtures/" + name))
                .get("value").get(0);
    }

    private static Map<String, Object> headers(JsonNode alert, String change) {
        Map<String, Object> headers = new LinkedHashMap<>();
        boolean graph = alert.has("lastUpdateDateTime");
        String id = alert.get("id").asText();
        String time = alert.get(graph ? "lastUpdateDateTime" : "lastUpdateTime").asText();
        headers.put(AlertHeaders.TENANT, "contoso");
        headers.put(AlertHeaders.ALERT_ID, id);
        headers.put(AlertHeaders.LAST_UPDATE_TIME, time);
        headers.put(AlertHeaders.CHANGE, change);
        headers.put(AlertHeaders.IDEMPOTENCY_KEY, "contoso:" + id + ":" + time);
        headers.put(AlertHeaders.SOURCE, graph ? "graph" : "defender-api");
        return headers;
    }

    /** The finding a route of the user's makes of {@code alert} with {@code transformDataType: toType: defender:ocsf}. */
    private static JsonNode throughUserRoute(JsonNode alert, String change) throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("my-lake-feed.camel.yaml", USER_ROUTE));
            context.start();
            MockEndpoint lake = context.getEndpoint("mock:lake", MockEndpoint.class);
            lake.expectedMessageCount(1);
            context.createProducerTemplate().sendBodyAndHeaders("direct:my-alerts", alert.toPrettyString(),
                    headers(alert, change));
            lake.assertIsSatisfied(5000);
            return CloudEventsSchema.JSON.readTree(lake.getReceivedExchanges().get(0).getMessage().getBody(String.class));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mde-list-alerts.json", "mde-list-alerts-with-evidence.json"})
    void microsoftsOwnAlertsAreDetectionFindingsTheSchemaAccepts(String file) throws Exception {
        JsonNode alert = fixture(file);
        JsonNode finding = throughUserRoute(alert, "new");
        assertEquals(List.of(), SCHEMA.violations("detection_finding", finding), finding.toPrettyString());
        assertEquals(2004, finding.get("class_uid").asInt());
        assertEquals(200401, finding.get("type_uid").asLong());
        assertEquals(alert.get("id").asText(), finding.at("/finding_info/uid").asText());
        assertEquals(alert.get("title").asText(), finding.at("/finding_info/title").asText());
        assertEquals(DefenderTimes.epochMillis(alert.get("lastUpdateTime").asText()), finding.get("time").asLong());
        assertEquals(2, finding.get("severity_id").asInt(), "Low");
        assertEquals(1, finding.get("status_id").asInt(), "New");
        assertEquals("Microsoft Defender for Endpoint", finding.at("/metadata/product/name").asText());
        assertEquals(OcsfSchema.VERSION, finding.at("/metadata/version").asText());
        assertEquals(alert.get("aadTenantId").asText(), finding.at("/metadata/tenant_uid").asText());
        assertEquals(alert.get("machineId").asText(), finding.at("/device/uid").asText());
        assertEquals(alert.get("incidentId").asText(), finding.at("/finding_info/related_events/0/uid").asText());
        // nothing lost: every field of the alert is mapped, or kept under unmapped with its value as served
        List<String> lost = new ArrayList<>();
        alert.fields().forEachRemaining(field -> {
            boolean kept = field.getValue().equals(finding.path("unmapped").get(field.getKey()));
            if (!field.getValue().isNull() && !AlertShape.DEFENDER_FOR_ENDPOINT.mapped().contains(field.getKey()) && !kept) {
                lost.add(field.getKey());
            }
        });
        assertEquals(List.of(), lost);
    }

    @Test
    void anUpdateIsUpdateAResolvedAlertClosesAndAnUnknownSeverityIsOtherWithItsWord() throws Exception {
        ObjectNode alert = (ObjectNode) fixture("mde-list-alerts.json");
        JsonNode update = throughUserRoute(alert, "update");
        assertEquals(2, update.get("activity_id").asInt());
        assertEquals(200402, update.get("type_uid").asLong());
        assertEquals(List.of(), SCHEMA.violations("detection_finding", update));

        alert.put("status", "Resolved");
        alert.put("severity", "Catastrophic");
        JsonNode closed = throughUserRoute(alert, "update");
        assertEquals(List.of(), SCHEMA.violations("detection_finding", closed), closed.toPrettyString());
        assertEquals(3, closed.get("activity_id").asInt());
        assertEquals(4, closed.get("status_id").asInt());
        assertEquals(99, closed.get("severity_id").asInt());
        assertEquals("Catastrophic", closed.get("severity").asText(), "Microsoft's word kept");

        alert.put("firstEventTime", "yesterday");
        JsonNode noTime = DetectionFindings.finding(alert, AlertShape.DEFENDER_FOR_ENDPOINT, true, "key");
        assertFalse(noTime.path("finding_info").has("first_seen_time"));
        assertEquals("yesterday", noTime.at("/unmapped/firstEventTime").asText(), "a time that is none is kept");

        alert.put("severity", "critical");
        JsonNode critical = DetectionFindings.finding(alert, AlertShape.DEFENDER_FOR_ENDPOINT, true, "key");
        assertEquals(5, critical.get("severity_id").asInt(), "a word OCSF has a value for is not Other");
        assertEquals("Critical", critical.get("severity").asText());
    }

    /** The values of the observables named {@code name}, as a search in a lake would find them. */
    private static List<String> observed(JsonNode finding, String name) {
        List<String> values = new ArrayList<>();
        finding.path("observables").forEach(o -> {
            if (o.get("name").asText().equals(name)) {
                values.add(o.get("value").asText());
            }
        });
        return values;
    }

    /** Microsoft's documented evidence (a user, a process, a file) as OCSF evidences and the observables one searches. */
    @Test
    void evidenceBecomesEvidencesAndObservables() throws Exception {
        JsonNode alert = fixture("mde-list-alerts-with-evidence.json");
        JsonNode finding = throughUserRoute(alert, "new");
        assertEquals(List.of(), SCHEMA.violations("detection_finding", finding), finding.toPrettyString());
        assertFalse(finding.path("unmapped").has("evidence"), "placed, not kept twice");
        JsonNode evidences = finding.get("evidences");
        assertEquals(3, evidences.size());

        JsonNode user = evidences.get(0).get("user");
        assertEquals("name", user.get("name").asText());
        assertEquals("DOMAIN", user.get("domain").asText());
        assertEquals("S-1-5-21-11111607-1111760036-109187956-75141", user.get("uid").asText());
        assertEquals("11118379-2a59-1111-ac3c-a51eb4a3c627", user.get("uid_alt").asText());
        assertEquals("temp123@microsoft.com", evidences.get(0).at("/data/userPrincipalName").asText());
        assertEquals("User", evidences.get(0).at("/data/entityType").asText(), "what OCSF has no place for stays");

        JsonNode process = evidences.get(1).get("process");
        assertEquals(3276, process.get("pid").asInt());
        assertEquals("rundll32.exe  c:\\temp\\suspicious.dll,RepeatAfterMe", process.get("cmd_line").asText());
        assertEquals(DefenderTimes.epochMillis("2021-01-26T20:31:32.9581596Z"), process.get("created_time").asLong());
        assertEquals("C:\\Windows\\SysWOW64\\rundll32.exe", process.at("/file/path").asText());
        assertEquals("ff836cfb1af40252bd2a2ea843032e99a5b262ed", process.at("/file/hashes/0/value").asText());
        assertEquals(2, process.at("/file/hashes/0/algorithm_id").asInt(), "SHA-1");
        assertEquals(8420, process.at("/parent_process/pid").asInt());
        assertEquals("C:\\Windows\\System32", process.at("/parent_process/file/parent_folder").asText());
        assertEquals("Detected", evidences.get(1).at("/data/detectionStatus").asText());

        JsonNode file = evidences.get(2).get("file");
        assertEquals("suspicious.dll", file.get("name").asText());
        assertEquals("c:\\temp\\suspicious.dll", file.get("path").asText());
        assertEquals(3, file.at("/hashes/1/algorithm_id").asInt(), "SHA-256");

        assertEquals(List.of("dc0ade0c95d6db98882bc8fa6707e64353cd6f7767ff48d6a81a6c2aef21c608"),
                observed(finding, "evidences.file.hashes.value").subList(1, 2));
        assertTrue(observed(finding, "evidences.process.file.hashes.value")
                .contains("a4752c71d81afd3d5865d24ddb11a6b0c615062fcc448d24050c2172d2cbccd6"));
        assertEquals(List.of("name", "temp123@microsoft.com"), List.of(observed(finding, "evidences.user.name").get(0),
                observed(finding, "evidences.data.userPrincipalName").get(0)));
        assertEquals(List.of("rundll32.exe  c:\\temp\\suspicious.dll,RepeatAfterMe"),
                observed(finding, "evidences.process.cmd_line"));
        assertEquals(List.of("temp123.middleeast.corp.microsoft.com"), observed(finding, "device.hostname"));
        // the classification and determination have no place in 1.3.0 (verdict_id came later), nor a family name
        // without its malware class: they stay as served
        assertTrue(finding.path("unmapped").has("relatedUser"));
        assertFalse(finding.has("malware"));
    }

    /** Evidence the documented alerts lack: an IP address, a URL, a process without an id, and repeats. */
    @Test
    void anIpAUrlAndAnIncompleteProcessAreKeptAndObservedOnce() throws Exception {
        ObjectNode alert = (ObjectNode) fixture("mde-list-alerts-with-evidence.json");
        ArrayNode evidence = (ArrayNode) alert.get("evidence");
        evidence.addObject().put("entityType", "Ip").put("ipAddress", "203.0.113.7");
        evidence.addObject().put("entityType", "Ip").put("ipAddress", "203.0.113.7");
        evidence.addObject().put("entityType", "Url").put("url", "https://malicious.example/payload");
        evidence.addObject().put("entityType", "Process").put("fileName", "evil.exe").put("filePath", "/tmp")
                .put("processCommandLine", "evil.exe --now").put("parentProcessFileName", "bash");
        alert.put("threatFamilyName", "Emotet");
        alert.put("classification", "TruePositive");
        JsonNode finding = throughUserRoute(alert, "new");
        assertEquals(List.of(), SCHEMA.violations("detection_finding", finding), finding.toPrettyString());
        assertEquals(List.of("203.0.113.7"), observed(finding, "evidences.data.ipAddress"));
        assertEquals("203.0.113.7", finding.at("/evidences/3/data/ipAddress").asText());
        assertEquals(List.of("https://malicious.example/payload"), observed(finding, "evidences.url.url_string"));
        JsonNode noPid = finding.at("/evidences/6");
        assertEquals("/tmp/evil.exe", noPid.at("/file/path").asText(), "without a pid OCSF has no process, the file stays");
        assertEquals("evil.exe --now", noPid.at("/data/processCommandLine").asText());
        assertEquals("bash", noPid.at("/data/parentProcessFileName").asText());
        assertEquals("Emotet", finding.at("/unmapped/threatFamilyName").asText());
        assertEquals("TruePositive", finding.at("/unmapped/classification").asText());
    }

    /** Microsoft's documented Graph alert (alerts_v2) with its evidence (device, file, process, registry key), as Defender XDR's finding. */
    @Test
    void aGraphAlertIsADetectionFindingOfDefenderXdr() throws Exception {
        JsonNode alert = fixture("graph-list-alerts-v2.json");
        // Graph's fileDetails may carry an MD5 (v1.0 documents it; the fixture's has none)
        ((com.fasterxml.jackson.databind.node.ObjectNode) alert.at("/evidence/1/fileDetails"))
                .put("md5", "0123456789abcdef0123456789abcdef");
        JsonNode finding = throughUserRoute(alert, "new");
        assertEquals(List.of(), SCHEMA.violations("detection_finding", finding), finding.toPrettyString());
        assertEquals("MD5", finding.at("/evidences/1/file/hashes/0/algorithm").asText());
        assertEquals(1, finding.at("/evidences/1/file/hashes/0/algorithm_id").asInt());
        assertTrue(observed(finding, "evidences.file.hashes.value").contains("0123456789abcdef0123456789abcdef"));
        assertEquals(200401, finding.get("type_uid").asLong());
        assertEquals("Microsoft Defender XDR", finding.at("/metadata/product/name").asText());
        assertEquals("antivirus", finding.at("/metadata/product/feature/name").asText());
        assertEquals("b3c1b5fc-828c-45fa-a1e1-10d74f6d6e9c", finding.at("/metadata/tenant_uid").asText());
        assertEquals("da637551227677560813_-961444813", finding.at("/finding_info/uid").asText());
        assertEquals("Suspicious execution of hidden file", finding.at("/finding_info/title").asText());
        assertEquals("28282", finding.at("/finding_info/related_events/0/uid").asText());
        assertEquals(List.of("DefenseEvasion"), List.of(finding.at("/finding_info/types/0").asText()));
        assertEquals(DefenderTimes.epochMillis("2021-04-27T12:19:27.7211305Z"), finding.at("/finding_info/created_time").asLong());
        assertEquals(DefenderTimes.epochMillis("2021-04-26T07:45:50.116Z"), finding.at("/finding_info/first_seen_time").asLong());
        assertEquals(DefenderTimes.epochMillis("2021-05-02T07:56:58.222Z"), finding.at("/finding_info/last_seen_time").asLong());
        assertEquals(DefenderTimes.epochMillis("2021-05-02T14:19:01.3266667Z"), finding.get("time").asLong());
        assertEquals(2, finding.get("severity_id").asInt(), "low");
        assertEquals(1, finding.get("status_id").asInt(), "new");
        assertEquals("T1564", finding.at("/attacks/0/technique/uid").asText());
        assertEquals("T1564.001", finding.at("/attacks/0/sub_technique/uid").asText());
        assertEquals("unknown", finding.at("/unmapped/classification").asText(), "no verdict_id in 1.3.0");
        assertEquals("microsoftDefenderForEndpoint", finding.at("/unmapped/serviceSource").asText());

        assertEquals(alert.get("evidence").size(), finding.get("evidences").size());
        assertEquals(List.of("tempDns"), observed(finding, "evidences.device.hostname"));
        assertEquals("73e7e2de709dff64ef64b1d0c30e67fab63279db", finding.at("/evidences/0/device/uid").asText());
        assertEquals("1.1.1.1", finding.at("/evidences/0/data/ipInterfaces/0").asText());
        assertTrue(observed(finding, "evidences.file.hashes.value")
                .contains("8963a19fb992ad9a76576c5638fd68292cffb9aaac29eb8285f9abf6196a7dec"));
        assertEquals("Microsoft Corporation", finding.at("/evidences/1/data/fileDetails/filePublisher").asText(),
                "what the file object has no place for stays beside it");
        JsonNode process = finding.at("/evidences/2/process");
        assertEquals(4780, process.get("pid").asInt());
        assertEquals("services.exe", process.at("/parent_process/file/name").asText());
        assertEquals("S-1-5-18", process.at("/user/uid").asText());
        assertTrue(observed(finding, "evidences.process.user.name").contains("SYSTEM"));
        assertEquals(List.of("\"MsSense.exe\""), observed(finding, "evidences.process.cmd_line"));
        // nothing lost at the top either
        List<String> lost = new ArrayList<>();
        alert.fields().forEachRemaining(field -> {
            boolean kept = field.getValue().equals(finding.path("unmapped").get(field.getKey()));
            if (!field.getValue().isNull() && !AlertShape.GRAPH.mapped().contains(field.getKey()) && !kept) {
                lost.add(field.getKey());
            }
        });
        assertEquals(List.of(), lost);
    }

    /** Graph evidence kinds the documented alert lacks: a user, an IP address, a URL, a process without an id. */
    @Test
    void graphUserIpAndUrlEvidenceAreObservedAndAProcessWithoutAnIdIsKept() throws Exception {
        ObjectNode alert = (ObjectNode) fixture("graph-list-alerts-v2.json");
        ArrayNode evidence = (ArrayNode) alert.get("evidence");
        ObjectNode user = evidence.addObject().put("@odata.type", "#microsoft.graph.security.userEvidence");
        user.putObject("userAccount").put("accountName", "jdoe").put("domainName", "CONTOSO")
                .put("userSid", "S-1-5-21-1-2-3-1001").put("azureAdUserId", "0a1b2c3d-0000-4000-8000-000000000001")
                .put("userPrincipalName", "jdoe@contoso.com").put("displayName", "Jane Doe");
        evidence.addObject().put("@odata.type", "#microsoft.graph.security.ipEvidence").put("ipAddress", "198.51.100.23")
                .put("countryLetterCode", "NL");
        evidence.addObject().put("@odata.type", "#microsoft.graph.security.urlEvidence")
                .put("url", "https://phish.example/login");
        evidence.addObject().put("@odata.type", "#microsoft.graph.security.processEvidence")
                .put("processCommandLine", "x.exe --quiet");
        JsonNode finding = throughUserRoute(alert, "new");
        assertEquals(List.of(), SCHEMA.violations("detection_finding", finding), finding.toPrettyString());
        JsonNode mapped = finding.at("/evidences/4/user");
        assertEquals("S-1-5-21-1-2-3-1001", mapped.get("uid").asText());
        assertEquals("0a1b2c3d-0000-4000-8000-000000000001", mapped.get("uid_alt").asText());
        assertEquals("Jane Doe", mapped.get("full_name").asText());
        assertEquals(List.of("jdoe"), observed(finding, "evidences.user.name"));
        assertEquals(List.of("jdoe@contoso.com"), observed(finding, "evidences.data.userAccount.userPrincipalName"));
        assertEquals(List.of("198.51.100.23"), observed(finding, "evidences.data.ipAddress"));
        assertEquals("NL", finding.at("/evidences/5/data/countryLetterCode").asText());
        assertEquals(List.of("https://phish.example/login"), observed(finding, "evidences.url.url_string"));
        assertEquals("x.exe --quiet", finding.at("/evidences/7/data/processCommandLine").asText());
        assertFalse(finding.at("/evidences/7").has("process"));
    }

    /** A route of the user's asks for the raw alert in raw_data as the sinks' keep-raw key does, by the exchange property. */
    @Test
    void keepRawPutsTheAlertAsServedInRawData() throws Exception {
        JsonNode alert = fixture("mde-list-alerts.json");
        String route = """
                - route:
                    from:
                      uri: direct:keep-raw
                      steps:
                        - setProperty:
                            name: DefenderKeepRaw
                            constant: "true"
                        - transformDataType:
                            toType: defender:ocsf
                """;
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("keep-raw.camel.yaml", route));
            context.start();
            String finding = context.createProducerTemplate().requestBodyAndHeaders("direct:keep-raw",
                    alert.toPrettyString(), headers(alert, "new"), String.class);
            JsonNode node = CloudEventsSchema.JSON.readTree(finding);
            assertEquals(alert.toPrettyString(), node.get("raw_data").asText());
            assertEquals(List.of(), SCHEMA.violations("detection_finding", node));
        }
    }

    /** A process evidence without a file name: OCSF's file needs one, so its hashes and folder stay in data. */
    @Test
    void aProcessWithoutAFileNameKeepsItsHashesAndFolderInData() throws Exception {
        ObjectNode alert = (ObjectNode) fixture("mde-list-alerts.json");
        alert.putArray("evidence").addObject().put("entityType", "Process").put("processId", 4242)
                .put("sha1", "ff836cfb1af40252bd2a2ea843032e99a5b262ed").put("filePath", "C:\\Temp")
                .put("processCreationTime", "soon");
        JsonNode finding = DetectionFindings.finding(alert, AlertShape.DEFENDER_FOR_ENDPOINT, false, "key");
        assertEquals(List.of(), SCHEMA.violations("detection_finding", finding), finding.toPrettyString());
        JsonNode evidence = finding.at("/evidences/0");
        assertEquals(4242, evidence.at("/process/pid").asInt());
        assertEquals("ff836cfb1af40252bd2a2ea843032e99a5b262ed", evidence.at("/data/sha1").asText());
        assertEquals("C:\\Temp", evidence.at("/data/filePath").asText());
        assertEquals("soon", evidence.at("/data/processCreationTime").asText(), "a time that is none is kept");
    }

    /**
     * An evidence whose every field is null says nothing, and an empty OCSF evidence breaks the object's
     * at_least_one; a technique list of blanks names no attack, so no security_control profile that would ask for
     * an action_id.
     */
    @Test
    void anEmptyEvidenceAndBlankTechniquesLeaveNothingTheSchemaRefuses() throws Exception {
        ObjectNode alert = (ObjectNode) fixture("mde-list-alerts.json");
        alert.putArray("evidence").addObject().putNull("entityType").putNull("sha1");
        alert.putArray("mitreTechniques").add("");
        JsonNode finding = DetectionFindings.finding(alert, AlertShape.DEFENDER_FOR_ENDPOINT, false, "key");
        assertEquals(List.of(), SCHEMA.violations("detection_finding", finding), finding.toPrettyString());
        assertFalse(finding.has("evidences"));
    }

    /** The checker applies the definitions for real: each broken finding is refused, saying why. */
    @Test
    void theSchemaRefusesWhatOcsfRefuses() throws Exception {
        JsonNode valid = throughUserRoute(fixture("mde-list-alerts.json"), "new");
        assertEquals(List.of(), SCHEMA.violations("detection_finding", valid));
        Map<String, java.util.function.Consumer<ObjectNode>> breaks = new LinkedHashMap<>();
        breaks.put("finding_info: required", f -> f.remove("finding_info"));
        breaks.put("finding_info.title: required", f -> ((ObjectNode) f.get("finding_info")).remove("title"));
        breaks.put("detection_finding.verdict: not an attribute", f -> f.put("verdict", "True Positive"));
        breaks.put("device.owner_name: not an attribute", f -> ((ObjectNode) f.get("device")).put("owner_name", "x"));
        breaks.put("severity_id: 7 is not among", f -> f.put("severity_id", 7));
        breaks.put("time: \"yesterday\" is not of type", f -> f.put("time", "yesterday"));
        breaks.put("class_uid: must be 2004", f -> f.put("class_uid", 2005));
        breaks.put("type_uid: must be 200401", f -> f.put("type_uid", 200402));
        breaks.put("finding_info.types: must be an array", f -> ((ObjectNode) f.get("finding_info")).put("types", "x"));
        breaks.put("metadata.product: at least one of", f -> ((ObjectNode) f.at("/metadata/product")).remove("name"));
        breaks.put("observables[0].type_id: 30 is not among", f -> ((ObjectNode) f.at("/observables/0")).put("type_id", 30));
        breaks.put("detection_finding.severity: must be Low", f -> f.put("severity", "High"));
        breaks.put("observables[0]: device.hostname holds no", f -> ((ObjectNode) f.at("/observables/0")).put("value", "x"));
        for (Map.Entry<String, java.util.function.Consumer<ObjectNode>> broken : breaks.entrySet()) {
            ObjectNode finding = valid.deepCopy();
            broken.getValue().accept(finding);
            List<String> violations = SCHEMA.violations("detection_finding", finding);
            assertFalse(violations.isEmpty(), broken.getKey());
            assertTrue(violations.stream().anyMatch(v -> v.contains(broken.getKey().split(": ")[0])
                    && v.contains(broken.getKey().split(": ")[1])), broken.getKey() + " -> " + violations);
        }
    }
}
