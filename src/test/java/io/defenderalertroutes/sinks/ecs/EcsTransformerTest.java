package io.defenderalertroutes.sinks.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.defenderalertroutes.defender.AlertHeaders;
import io.defenderalertroutes.emulator.IncidentJson;
import io.defenderalertroutes.sinks.SinkFormats;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code defender:ecs} on Microsoft's own documented alerts and on incidents of both incident APIs, through a route of
 * the user's ({@code transformDataType: toType: defender:ecs}); every document checked against the ECS 8.17.0 field
 * definitions ({@link EcsSchema}), and the checker shown to refuse what ECS refuses.
 */
class EcsTransformerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EcsSchema SCHEMA = new EcsSchema();
    private static final String USER_ROUTE = """
            - route:
                id: my-elastic-feed
                from:
                  uri: direct:my-alerts
                  steps:
                    - transformDataType:
                        id: to-ecs
                        toType: defender:ecs
                    - to:
                        uri: mock:elastic
            """;
    private static DefaultCamelContext context;

    @BeforeAll
    static void startRoute() throws Exception {
        context = new DefaultCamelContext();
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("my-elastic-feed.camel.yaml", USER_ROUTE));
        context.start();
    }

    @AfterAll
    static void stopRoute() throws Exception {
        context.close();
    }

    private static ObjectNode fixture(String name) throws Exception {
        return (ObjectNode) JSON.readTree(EcsTransformerTest.class.getResourceAsStream("/fixtures/" + name))
                .get("value").get(0);
    }

    /** The document the user's route makes of {@code body}, which it checks against ECS before returning it. */
    private static JsonNode ecs(String source, String body, String id, String incidentId, String change,
            boolean keepRaw) throws Exception {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(AlertHeaders.TENANT, "contoso");
        headers.put(AlertHeaders.SOURCE, source);
        headers.put(AlertHeaders.ALERT_ID, id);
        headers.put(AlertHeaders.CHANGE, change);
        headers.put(AlertHeaders.IDEMPOTENCY_KEY, "contoso:" + id + ":v");
        if (incidentId != null) {
            headers.put(AlertHeaders.INCIDENT_ID, incidentId);
        }
        MockEndpoint elastic = context.getEndpoint("mock:elastic", MockEndpoint.class);
        elastic.reset();
        elastic.expectedMessageCount(1);
        context.createProducerTemplate().send("direct:my-alerts", exchange -> {
            exchange.getMessage().setBody(body);
            exchange.getMessage().setHeaders(headers);
            exchange.setProperty(SinkFormats.KEEP_RAW, keepRaw);
        });
        elastic.assertIsSatisfied(5000);
        Exchange out = elastic.getReceivedExchanges().get(0);
        assertEquals("application/json", out.getMessage().getHeader("Content-Type"));
        JsonNode doc = JSON.readTree(out.getMessage().getBody(String.class));
        assertEquals(List.of(), SCHEMA.violations(doc), doc.toPrettyString());
        assertEquals(EcsSchema.VERSION, doc.at("/ecs/version").asText());
        assertEquals("contoso", doc.at("/labels/defender_tenant").asText());
        return doc;
    }

    private static JsonNode alert(String source, JsonNode alert, String change) throws Exception {
        String id = alert.has("alertId") ? alert.get("alertId").asText() : alert.get("id").asText();
        return ecs(source, alert.toPrettyString(), id, null, change, false);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(value -> out.add(value.asText()));
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"mde-list-alerts.json", "mde-list-alerts-with-evidence.json"})
    void defenderForEndpointAlertsAreDocumentsAsElasticsIntegrationMapsThem(String file) throws Exception {
        ObjectNode alert = fixture(file);
        JsonNode doc = alert("defender-api", alert, "new");
        assertEquals("alert", doc.at("/event/kind").asText());
        assertEquals("defender_endpoint", doc.at("/event/provider").asText());
        assertEquals(alert.get("id").asText(), doc.at("/event/id").asText());
        assertEquals(alert.get("category").asText(), doc.at("/event/action").asText());
        assertEquals(alert.get("alertCreationTime").asText(), doc.at("/event/created").asText());
        assertEquals(alert.get("lastUpdateTime").asText(), doc.get("@timestamp").asText());
        assertEquals(2, doc.at("/event/severity").asInt(), "Low");
        assertEquals("start", doc.at("/event/type/0").asText(), "New");
        assertTrue(texts(doc.at("/event/category")).contains("host"));
        assertEquals(alert.get("title").asText(), doc.get("message").asText());
        assertEquals(alert.get("description").asText(), doc.at("/rule/description").asText());
        assertEquals(alert.get("aadTenantId").asText(), doc.at("/cloud/account/id").asText());
        assertEquals(alert.get("machineId").asText(), doc.at("/cloud/instance/id").asText());
        assertEquals(alert.get("computerDnsName").asText(), doc.at("/host/hostname").asText());
        assertEquals(alert.get("computerDnsName").asText().toLowerCase(), doc.at("/host/name").asText());
        assertEquals("Microsoft", doc.at("/observer/vendor").asText());
        assertEquals(alert.get("detectionSource").asText(), doc.at("/observer/name").asText());
        assertEquals("MITRE ATT&CK", doc.at("/threat/framework").asText());
        assertEquals(texts(alert.get("mitreTechniques")), texts(doc.at("/threat/technique/id")));
        assertEquals(java.time.Duration.between(java.time.Instant.parse(alert.get("firstEventTime").asText()),
                java.time.Instant.parse(alert.get("lastEventTime").asText())).toNanos(), doc.at("/event/duration").asLong());
        JsonNode rest = doc.at("/microsoft/defender_endpoint");
        assertEquals(alert.get("incidentId").asText(), rest.get("incidentId").asText());
        assertTrue(rest.get("incidentId").isTextual(), "ids as text, as Elastic converts them");
        assertEquals(alert.get("status").asText(), rest.get("status").asText());
        assertFalse(rest.has("title"), "what ECS took is not kept twice");
        // nothing lost: every field ECS did not take is kept, under its own name
        List<String> lost = new ArrayList<>();
        alert.fields().forEachRemaining(field -> {
            if (!field.getValue().isNull() && !EndpointAlerts.PLACED.contains(field.getKey()) && !rest.has(field.getKey())) {
                lost.add(field.getKey());
            }
        });
        assertEquals(List.of(), lost);
        assertFalse(doc.at("/event").has("original"), "no event.original without keep-raw");
    }

    /** The Microsoft 365 Defender namespace's field names, as Elastic's integration writes them. */
    @Test
    void fieldNamesInTheNamespaceAreSnakeCaseAsElasticWritesThem() {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("lastUpdateDateTime", "last_update_datetime");
        names.put("@odata.type", "odata_type");
        names.put("mdatpDeviceId", "mdatp_device_id");
        names.put("ipv4Address", "ipv4_address");
        names.put("IPAddress", "ipaddress");
        names.put("azureAdDeviceId", "azure_ad_device_id");
        names.put("id", "id");
        names.put("vm.metadata", "vm_metadata");
        names.forEach((camel, snake) -> assertEquals(snake, EcsValues.snakeCase(camel), camel));
    }

    @Test
    void defenderForEndpointEvidenceFillsFileProcessUserAndRelated() throws Exception {
        ObjectNode alert = fixture("mde-list-alerts-with-evidence.json");
        ObjectNode ip = ((com.fasterxml.jackson.databind.node.ArrayNode) alert.get("evidence")).addObject();
        ip.put("entityType", "Ip");
        ip.put("ipAddress", "192.0.2.17");
        ObjectNode url = ((com.fasterxml.jackson.databind.node.ArrayNode) alert.get("evidence")).addObject();
        url.put("entityType", "Url");
        url.put("url", "https://evil.example.com/payload?x=1");
        JsonNode doc = alert("defender-api", alert, "new");
        assertEquals(List.of("host", "process"), texts(doc.at("/event/category")));
        assertEquals(List.of("start", "access"), texts(doc.at("/event/type")), "New; a User evidence, as Elastic's");
        assertEquals("suspicious.dll", doc.at("/file/name").asText(), "the first File evidence");
        assertEquals("c:\\temp\\suspicious.dll", doc.at("/file/path").asText());
        assertEquals("c:\\temp", doc.at("/file/directory").asText());
        assertEquals("dc0ade0c95d6db98882bc8fa6707e64353cd6f7767ff48d6a81a6c2aef21c608", doc.at("/file/hash/sha256").asText());
        assertEquals(3276, doc.at("/process/pid").asLong());
        assertEquals("rundll32.exe  c:\\temp\\suspicious.dll,RepeatAfterMe", doc.at("/process/command_line").asText());
        assertEquals("2021-01-26T20:31:32.9581596Z", doc.at("/process/start").asText());
        assertEquals(8420, doc.at("/process/parent/pid").asLong());
        assertEquals("C:\\Windows\\SysWOW64\\rundll32.exe", doc.at("/process/executable").asText());
        assertEquals("temp123", doc.at("/user/name").asText(), "relatedUser, as Elastic's integration takes it");
        assertEquals("DOMAIN", doc.at("/user/domain").asText());
        assertEquals(List.of("temp123", "name", "temp123@microsoft.com"), texts(doc.at("/related/user")));
        assertEquals(4, doc.at("/related/hash").size(), "both hashes of both evidences with hashes");
        assertEquals(List.of("192.0.2.17"), texts(doc.at("/related/ip")));
        assertEquals(List.of("temp123.middleeast.corp.microsoft.com"), texts(doc.at("/related/hosts")));
        assertEquals("https://evil.example.com/payload?x=1", doc.at("/url/full").asText());
        assertEquals("evil.example.com", doc.at("/url/domain").asText());
        assertEquals(5, doc.at("/microsoft/defender_endpoint/evidence").size(), "the evidence whole");
    }

    @Test
    void anUpdateAResolvedAlertAndWordsEcsHasNoValueFor() throws Exception {
        ObjectNode alert = fixture("mde-list-alerts.json");
        JsonNode update = alert("defender-api", alert, "update");
        assertEquals(List.of("start"), texts(update.at("/event/type")), "still New");

        alert.put("status", "Resolved");
        alert.put("category", "Malware");
        JsonNode resolved = alert("defender-api", alert, "update");
        assertEquals(List.of("end"), texts(resolved.at("/event/type")));
        assertEquals(List.of("host", "malware"), texts(resolved.at("/event/category")));

        alert.put("status", "SomethingNew");
        alert.put("severity", "Catastrophic");
        JsonNode unknown = alert("defender-api", alert, "update");
        assertTrue(unknown.at("/event/type").isMissingNode(), "no event.type for a status ECS has no value for");
        assertTrue(unknown.at("/event/severity").isMissingNode());
        assertEquals("Catastrophic", unknown.at("/microsoft/defender_endpoint/severity").asText(), "the word kept");
        assertEquals("SomethingNew", unknown.at("/microsoft/defender_endpoint/status").asText());

        alert.put("firstEventTime", "yesterday");
        alert.put("alertCreationTime", "");
        JsonNode noTime = alert("defender-api", alert, "update");
        assertTrue(noTime.at("/event/start").isMissingNode(), "no time, no ECS date");
        assertEquals("yesterday", noTime.at("/microsoft/defender_endpoint/firstEventTime").asText(),
                "a value that is no time stays in the namespace, as docs/formats.md says");
    }

    @Test
    void graphAlertsAreDocumentsAsElasticsMicrosoft365DefenderIntegrationMapsThem() throws Exception {
        ObjectNode alert = fixture("graph-list-alerts-v2.json");
        // Graph's fileDetails may carry an MD5 (v1.0 documents it; the fixture's has none)
        ((ObjectNode) alert.at("/evidence/1/fileDetails")).put("md5", "0123456789abcdef0123456789abcdef");
        JsonNode doc = alert("graph", alert, "new");
        assertEquals("0123456789abcdef0123456789abcdef", doc.at("/file/hash/md5").asText());
        assertTrue(texts(doc.at("/related/hash")).contains("0123456789abcdef0123456789abcdef"));
        assertEquals("alert", doc.at("/event/kind").asText());
        assertEquals("m365_defender.alert", doc.at("/event/dataset").asText());
        assertEquals("microsoftDefenderForEndpoint", doc.at("/event/provider").asText());
        assertEquals(21, doc.at("/event/severity").asInt(), "low, on Elastic's alert scale");
        assertEquals(alert.get("description").asText(), doc.get("message").asText(), "as Elastic's integration");
        assertEquals(alert.get("title").asText(), doc.at("/rule/name").asText());
        assertEquals(alert.get("alertWebUrl").asText(), doc.at("/event/url").asText());
        assertEquals(alert.get("tenantId").asText(), doc.at("/cloud/account/id").asText());
        assertEquals(List.of("DefenseEvasion"), texts(doc.at("/threat/tactic/name")));
        assertEquals(List.of("T1564"), texts(doc.at("/threat/technique/id")));
        assertEquals(List.of("T1564.001"), texts(doc.at("/threat/technique/subtechnique/id")));
        assertTrue(texts(doc.at("/event/type")).containsAll(List.of("start", "info", "access")));
        assertTrue(texts(doc.at("/event/category")).containsAll(List.of("host", "file", "process", "registry")));
        assertEquals("tempdns", doc.at("/host/name").asText());
        assertEquals("73e7e2de709dff64ef64b1d0c30e67fab63279db", doc.at("/host/id").asText());
        assertEquals(List.of("1.1.1.1"), texts(doc.at("/host/ip")));
        assertEquals("MsSense.exe", doc.at("/file/name").asText());
        assertEquals(6136392, doc.at("/file/size").asLong());
        assertEquals(4780, doc.at("/process/pid").asLong());
        assertEquals(668, doc.at("/process/parent/pid").asLong());
        assertEquals(alert.get("lastUpdateDateTime").asText(), doc.at("/m365_defender/alert/last_update_datetime").asText());
        assertEquals("#microsoft.graph.security.alert", doc.at("/m365_defender/alert/odata_type").asText());
        assertEquals(alert.get("evidence").size(), doc.at("/m365_defender/alert/evidence").size());
        List<String> served = new ArrayList<>();
        alert.fields().forEachRemaining(field -> {
            if (!field.getValue().isNull()) {
                served.add(EcsValues.snakeCase(field.getKey()));
            }
        });
        List<String> kept = new ArrayList<>();
        doc.at("/m365_defender/alert").fieldNames().forEachRemaining(kept::add);
        assertEquals(served, kept, "the whole alert, in snake case, without nulls");

        alert.put("status", "resolved");
        alert.put("severity", "unknownFutureValue");
        JsonNode resolved = alert("graph", alert, "update");
        assertTrue(texts(resolved.at("/event/type")).contains("end"));
        assertFalse(texts(resolved.at("/event/type")).contains("start"));
        assertTrue(resolved.at("/event/severity").isMissingNode());
        assertEquals("unknownFutureValue", resolved.at("/m365_defender/alert/severity").asText());
    }

    @Test
    void aGraphIncidentWithItsAlertsAndAnAlertSplitOffIt() throws Exception {
        ObjectNode graphAlert = fixture("graph-list-alerts-v2.json");
        String incident = IncidentJson.graphIncident("28282", "2021-05-02T14:19:01.3266667Z", "active", "high",
                List.of(graphAlert.toString()));
        JsonNode doc = ecs("graph-incidents", incident, "28282", "28282", "new", false);
        assertEquals("event", doc.at("/event/kind").asText(), "an incident is an event, as in Elastic's incident data stream");
        assertEquals("m365_defender.incident", doc.at("/event/dataset").asText());
        assertEquals("28282", doc.at("/event/id").asText());
        assertEquals(4, doc.at("/event/severity").asInt(), "high, on Elastic's incident scale");
        assertEquals(List.of("start", "info", "access"), texts(doc.at("/event/type")), "active; its alert's evidence");
        assertTrue(doc.get("message").asText().startsWith("Multi-stage incident 28282"));
        assertEquals("microsoftDefenderForEndpoint", doc.at("/event/provider").asText(), "its one alert's service");
        assertEquals(List.of("T1564.001"), texts(doc.at("/threat/technique/subtechnique/id")));
        assertEquals("2021-04-26T07:45:50.116Z", doc.at("/event/start").asText(), "its alerts' first activity");
        assertEquals(graphAlert.get("id").asText(), doc.at("/m365_defender/incident/alerts/0/id").asText());
        assertEquals(4780, doc.at("/process/pid").asLong(), "its alerts' evidence");

        JsonNode resolved = ecs("graph-incidents", incident.replace("\"active\"", "\"resolved\""), "28282", "28282",
                "update", false);
        assertEquals(List.of("end", "info", "access"), texts(resolved.at("/event/type")));
        JsonNode unknown = ecs("graph-incidents", incident.replace("\"active\"", "\"unknownFutureValue\"")
                .replace("\"high\"", "\"unknownFutureValue\""), "28282", "28282", "update", false);
        assertEquals(List.of("info", "access"), texts(unknown.at("/event/type")), "neither start nor end");
        assertTrue(unknown.at("/event/severity").isMissingNode());
        assertEquals("unknownFutureValue", unknown.at("/m365_defender/incident/status").asText());

        // an alert split off the incident: Defender-Incident-Id is the incident's, the body a Graph alert
        JsonNode split = ecs("graph-incidents", graphAlert.toString(), graphAlert.get("id").asText(), "28282", "new", false);
        assertEquals("alert", split.at("/event/kind").asText());
        assertEquals("m365_defender.alert", split.at("/event/dataset").asText());
        assertEquals(graphAlert.get("id").asText(), split.at("/event/id").asText());
    }

    @Test
    void aDefenderXdrIncidentWithItsAlertsAndAnAlertSplitOffIt() throws Exception {
        ObjectNode xdrAlert = (ObjectNode) JSON.readTree(IncidentJson.defenderIncidentAlert("da638", "2026-01-26T20:33:59.2Z",
                "New", "High", "Malware"));
        xdrAlert.putArray("mitreTechniques").add("T1059.001");
        xdrAlert.putArray("devices").addObject().put("mdeDeviceId", "e1a2").put("deviceDnsName", "WS-17.corp.contoso");
        String incident = IncidentJson.defenderIncident(101, "2026-01-26T20:34:00Z", "Active", "Medium",
                List.of(xdrAlert.toString()));
        JsonNode doc = ecs("defender-incidents", incident, "101", "101", "new", false);
        assertEquals("event", doc.at("/event/kind").asText());
        // as OCSF decides: only an item that names an incident other than itself was split off it
        assertEquals("m365_defender.incident", ecs("defender-incidents", incident, "101", null, "new", false)
                .at("/event/dataset").asText(), "an incident source's item that names no incident is the incident");
        assertEquals("101", doc.at("/event/id").asText());
        assertEquals(3, doc.at("/event/severity").asInt());
        assertEquals("MicrosoftDefenderForEndpoint", doc.at("/event/provider").asText());
        assertEquals(List.of("Malware"), texts(doc.at("/threat/tactic/name")));
        assertEquals(List.of("T1059"), texts(doc.at("/threat/technique/id")));
        assertEquals("ws-17.corp.contoso", doc.at("/host/name").asText());
        assertEquals("101", doc.at("/m365_defender/incident/incident_id").asText());
        assertTrue(doc.at("/m365_defender/incident/incident_id").isTextual(), "a numeric id as text");
        assertTrue(doc.at("/cloud").isMissingNode(), "Defender XDR's incidents do not say their tenant");

        JsonNode resolved = ecs("defender-incidents", incident.replace("\"Active\"", "\"Resolved\""), "101", "101",
                "update", false);
        assertEquals(List.of("end", "access"), texts(resolved.at("/event/type")), "resolved; its alert's User entity");
        JsonNode redirected = ecs("defender-incidents", incident.replace("\"Active\"", "\"Redirected\"")
                .replace("\"Medium\"", "\"UnSpecified\""), "101", "101", "update", false);
        assertEquals(List.of("access"), texts(redirected.at("/event/type")), "nothing from Redirected");
        assertTrue(redirected.at("/event/severity").isMissingNode());

        JsonNode split = ecs("defender-incidents", xdrAlert.toString(), "da638", "101", "new", false);
        assertEquals("alert", split.at("/event/kind").asText());
        assertEquals("da638", split.at("/event/id").asText());
        assertEquals(73, split.at("/event/severity").asInt(), "High on Elastic's alert scale");
        assertEquals(List.of("start", "access"), texts(split.at("/event/type")));
        assertEquals(xdrAlert.at("/entities/0/accountName").asText(), split.at("/user/name").asText());
        assertEquals("corp.contoso", split.at("/user/domain").asText());
        assertEquals(List.of("T1059.001"), texts(split.at("/threat/technique/subtechnique/id")));
        assertEquals("2026-01-26T20:32:59.2Z", split.at("/event/created").asText());
        assertEquals("New", split.at("/m365_defender/alert/status").asText());
    }

    @Test
    void keepRawPutsTheItemAsServedInEventOriginal() throws Exception {
        String raw = fixture("mde-list-alerts.json").toPrettyString();
        JsonNode doc = ecs("defender-api", raw, "da637472900382838869_1364969609", null, "new", true);
        assertEquals(raw, doc.at("/event/original").asText());
        String incident = IncidentJson.defenderIncident(7, "2026-01-26T20:34:00Z", "Active", "Low", List.of());
        assertEquals(incident, ecs("defender-incidents", incident, "7", "7", "new", true).at("/event/original").asText());
    }

    @Test
    void anItemOfNoKnownSourceIsRefused() {
        Exchange refused = context.createProducerTemplate().send("direct:my-alerts", exchange -> {
            exchange.getMessage().setBody("{\"id\": \"a\"}");
            exchange.getMessage().setHeader(AlertHeaders.SOURCE, "splunk");
        });
        assertTrue(refused.getException() instanceof IllegalArgumentException, String.valueOf(refused.getException()));
        assertEquals("defender:ecs maps the items of defender-api, defender-incidents, graph, graph-incidents "
                + "(the Defender-Source header), not splunk", refused.getException().getMessage());
    }

    /** The checker is no rubber stamp: what ECS does not define, or defines otherwise, is refused. */
    @Test
    void theCheckerRefusesWhatEcsRefuses() throws Exception {
        JsonNode good = alert("defender-api", fixture("mde-list-alerts-with-evidence.json"), "new");
        assertEquals(List.of(), SCHEMA.violations(good));
        assertEquals(List.of("event.colour: not an ECS 8.17.0 field"), SCHEMA.violations(with(good, "/event", "colour", "\"red\"")));
        assertEquals(List.of("process.pid: long is a number, not \"3276\""),
                SCHEMA.violations(with(good, "/process", "pid", "\"3276\"")));
        assertEquals(List.of("event.kind: 'finding' is not one of its allowed values"),
                SCHEMA.violations(with(good, "/event", "kind", "\"finding\"")));
        assertEquals(List.of("event.category: an array in ECS (normalize: array), not STRING"),
                SCHEMA.violations(with(good, "/event", "category", "\"host\"")));
        assertEquals(List.of("event.type: 'started' is not one of its allowed values"),
                SCHEMA.violations(with(good, "/event", "type", "[\"started\"]")));
        assertEquals(List.of("related.ip: ip is an IPv4 or IPv6 address, not \"300.1.1.1\""),
                SCHEMA.violations(with(good, "/related", "ip", "[\"300.1.1.1\"]")));
        assertEquals(List.of("event.created: date is an ISO-8601 time, not \"yesterday\""),
                SCHEMA.violations(with(good, "/event", "created", "\"yesterday\"")));
        assertEquals(List.of("host.geo.location: the checker has no rule for the type geo_point"),
                SCHEMA.violations(with(good, "/host", "geo", "{\"location\": \"POINT (1 2)\"}")));
        ObjectNode noTimestamp = good.deepCopy();
        noTimestamp.remove("@timestamp");
        assertEquals(List.of("@timestamp: required by ECS, missing"), SCHEMA.violations(noTimestamp));
        // anything goes inside the integration's own namespace
        assertEquals(List.of(), SCHEMA.violations(with(good, "/microsoft/defender_endpoint", "colour", "\"red\"")));
    }

    private static JsonNode with(JsonNode doc, String object, String field, String json) throws Exception {
        ObjectNode copy = doc.deepCopy();
        JsonNode at = copy.at(object);
        ObjectNode parent = at.isMissingNode() ? copy.putObject(object.substring(1)) : (ObjectNode) at;
        parent.set(field, JSON.readTree(json));
        return copy;
    }
}
