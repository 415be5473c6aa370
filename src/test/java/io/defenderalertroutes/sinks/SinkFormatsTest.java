package io.defenderalertroutes.sinks;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.defenderalertroutes.defender.AlertApi;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.testsupport.AlertFiles;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.EmulatedTenant;
import io.defenderalertroutes.testsupport.IncidentSource;
import io.defenderalertroutes.testsupport.PlaybookHandler;
import io.defenderalertroutes.testsupport.StartUpRefusal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code defender.sink.<name>.format} through the real application against the emulator: each of the four sources as a
 * CloudEvent the CloudEvents schema accepts, raw and CloudEvents from one poll, a dead letter that keeps the raw alert
 * and is formatted again when replayed, and an unknown format refused at start-up.
 */
class SinkFormatsTest {

    private static final String TENANT = Bundle.TENANT_ID;

    @RegisterExtension
    final EmulatedTenant tenant = new EmulatedTenant();

    @TempDir
    Path dir;

    /** The four sources, each putting one alert (or incident) version and saying how its API serves it. */
    enum Source {
        DEFENDER_API("defender-api", "alert"), GRAPH("graph", "alert"), GRAPH_INCIDENTS("graph-incidents", "incident"),
        DEFENDER_INCIDENTS("defender-incidents", "incident");

        final String key;
        final String kind;

        Source(String key, String kind) {
            this.key = key;
            this.kind = kind;
        }

        /** Puts a version of the item updated at {@code time}; its id. */
        String put(EmulatedTenant tenant, String time) throws Exception {
            return switch (this) {
                case DEFENDER_API -> {
                    JsonNode alert = fixture("/fixtures/mde-list-alerts-with-evidence.json");
                    tenant.emulator().putAlert(TENANT, alert.toPrettyString()
                            .replace(alert.get("lastUpdateTime").asText(), time));
                    yield alert.get("id").asText();
                }
                case GRAPH -> {
                    JsonNode alert = fixture("/fixtures/graph-list-alerts-v2.json");
                    tenant.emulator().putGraphAlert(TENANT, alert.toPrettyString()
                            .replace(alert.get("lastUpdateDateTime").asText(), time));
                    yield alert.get("id").asText();
                }
                case GRAPH_INCIDENTS, DEFENDER_INCIDENTS -> {
                    IncidentSource incidents = incidents();
                    incidents.put(tenant.emulator(), TENANT, "101", time, "active", "high",
                            List.of(incidents.alert("a1", "Malware", time)));
                    yield "101";
                }
            };
        }

        String served(EmulatedTenant tenant, String id) {
            return switch (this) {
                case DEFENDER_API -> tenant.emulator().servedJson(TENANT, id, false);
                case GRAPH -> tenant.emulator().servedGraphJson(TENANT, id, true);
                case GRAPH_INCIDENTS, DEFENDER_INCIDENTS -> incidents().served(tenant.emulator(), TENANT, id);
            };
        }

        private IncidentSource incidents() {
            return this == GRAPH_INCIDENTS ? IncidentSource.GRAPH : IncidentSource.DEFENDER_XDR;
        }

        private static JsonNode fixture(String resource) throws Exception {
            return CloudEventsSchema.JSON.readTree(SinkFormatsTest.class.getResourceAsStream(resource)).get("value").get(0);
        }
    }

    private static String text(PlaybookHandler.Request request) {
        return new String(request.body(), StandardCharsets.UTF_8);
    }

    /** The request's body as a valid CloudEvent whose attributes are the request's headers and whose data is {@code raw}. */
    private static JsonNode assertCloudEvent(PlaybookHandler.Request request, String raw) throws Exception {
        String body = text(request);
        assertEquals(List.of(), CloudEventsSchema.violations(body), body);
        JsonNode event = CloudEventsSchema.JSON.readTree(body);
        assertEquals(request.header("Defender-Idempotency-Key"), event.get("id").asText());
        assertEquals(request.header("Defender-Tenant"), event.get("source").asText());
        assertEquals(request.header("Defender-Alert-Id"), event.get("subject").asText());
        assertEquals(request.header("Defender-Last-Update-Time"), event.get("time").asText());
        assertEquals(CloudEventsSchema.JSON.readTree(raw), event.get("data"), "the raw alert is the event's data");
        assertTrue(body.contains(raw.strip()), "the raw alert's own text inside the event");
        assertTrue(request.header("Content-Type").startsWith("application/cloudevents+json"), request.header("Content-Type"));
        return event;
    }

    @ParameterizedTest
    @EnumSource(Source.class)
    void eachSourceReachesItsHandlerAsACloudEventTheSchemaAccepts(Source source) throws Exception {
        PlaybookHandler handler = tenant.handler();
        tenant.settings().put("defender.source", source.key);
        tenant.settings().put("defender.sinks", "http");
        tenant.settings().put("defender.sink.http.urls", handler.url("/events"));
        tenant.settings().put("defender.sink.http.format", "cloudevents");
        tenant.settings().put("defender.trigger.updates", "true");
        String id = source.put(tenant, Emulated.ago(Duration.ofHours(2)));
        String first = source.served(tenant, id);
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
            source.put(tenant, Emulated.ago(Duration.ofHours(1)));
            bundle.pollNow();
        }
        String second = source.served(tenant, id);
        List<PlaybookHandler.Request> requests = handler.requests();
        assertEquals(2, requests.size(), "the first version, then its update");
        assertEquals("com.microsoft.defender." + source.kind + ".v1", assertCloudEvent(requests.get(0), first).get("type").asText());
        assertEquals("com.microsoft.defender." + source.kind + ".updated.v1",
                assertCloudEvent(requests.get(1), second).get("type").asText());
        assertEquals(source.key, CloudEventsSchema.JSON.readTree(text(requests.get(0))).get("defenderapi").asText());
    }

    /** Both alert APIs' alerts as OCSF Detection Findings through a sink, the first version and its update. */
    @ParameterizedTest
    @EnumSource(value = Source.class, names = {"DEFENDER_API", "GRAPH"})
    void alertsReachTheirHandlerAsOcsfDetectionFindings(Source source) throws Exception {
        PlaybookHandler handler = tenant.handler();
        tenant.settings().put("defender.source", source.key);
        tenant.settings().put("defender.sinks", "http");
        tenant.settings().put("defender.sink.http.urls", handler.url("/findings"));
        tenant.settings().put("defender.sink.http.format", "ocsf");
        tenant.settings().put("defender.sink.http.format.keep-raw", "true");
        tenant.settings().put("defender.trigger.updates", "true");
        String id = source.put(tenant, Emulated.ago(Duration.ofHours(2)));
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
            source.put(tenant, Emulated.ago(Duration.ofHours(1)));
            bundle.pollNow();
        }
        List<PlaybookHandler.Request> requests = handler.requests();
        assertEquals(2, requests.size());
        OcsfSchema schema = new OcsfSchema();
        for (int i = 0; i < 2; i++) {
            JsonNode finding = CloudEventsSchema.JSON.readTree(text(requests.get(i)));
            assertEquals(List.of(), schema.violations("detection_finding", finding), finding.toPrettyString());
            assertEquals(id, finding.at("/finding_info/uid").asText());
            assertEquals(i + 1, finding.get("activity_id").asInt(), "Create, then Update");
            assertEquals(requests.get(i).header("Defender-Idempotency-Key"), finding.at("/metadata/uid").asText());
            assertFalse(finding.path("unmapped").has("evidence"), "the evidence mapped, not kept twice");
            assertEquals(CloudEventsSchema.JSON.readTree(source.served(tenant, id)).path("evidence").size(),
                    finding.path("evidences").size(), "one OCSF evidence per evidence served");
        }
        assertEquals(source.served(tenant, id), CloudEventsSchema.JSON.readTree(text(requests.get(1)))
                .get("raw_data").asText(), "keep-raw: the alert as served, in raw_data");
    }

    /**
     * Each source's items as ECS documents through a sink with {@code format=ecs} and keep-raw, the first version and
     * its update, each document checked against ECS 8.17.0; an incident source's alerts split off it too.
     */
    @ParameterizedTest
    @EnumSource(Source.class)
    void eachSourceReachesItsHandlerAsEcsDocuments(Source source) throws Exception {
        PlaybookHandler handler = tenant.handler();
        boolean incidents = source.kind.equals("incident");
        tenant.settings().put("defender.source", source.key);
        tenant.settings().put("defender.sinks", "http");
        tenant.settings().put("defender.sink.http.urls", handler.url("/elastic"));
        tenant.settings().put("defender.sink.http.format", "ecs");
        tenant.settings().put("defender.sink.http.format.keep-raw", "true");
        tenant.settings().put("defender.trigger.updates", "true");
        if (incidents) {
            tenant.settings().put("defender.incidents.split-alerts", "true");
        }
        String id = source.put(tenant, Emulated.ago(Duration.ofHours(2)));
        List<JsonNode> served = new java.util.ArrayList<>(List.of(CloudEventsSchema.JSON.readTree(source.served(tenant, id))));
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
            source.put(tenant, Emulated.ago(Duration.ofHours(1)));
            bundle.pollNow();
        }
        served.add(CloudEventsSchema.JSON.readTree(source.served(tenant, id)));
        io.defenderalertroutes.sinks.ecs.EcsSchema schema = new io.defenderalertroutes.sinks.ecs.EcsSchema();
        List<PlaybookHandler.Request> requests = handler.requests();
        assertEquals(incidents ? 4 : 2, requests.size(), "each version (and with an incident, its alert's)");
        int version = 0;
        for (PlaybookHandler.Request request : requests) {
            JsonNode doc = CloudEventsSchema.JSON.readTree(text(request));
            assertEquals(List.of(), schema.violations(doc), doc.toPrettyString());
            assertTrue(request.header("Content-Type").startsWith("application/json"), request.header("Content-Type"));
            assertEquals(request.header("Defender-Alert-Id"), doc.at("/event/id").asText());
            assertEquals(request.header("Defender-Idempotency-Key"), doc.at("/labels/defender_idempotency_key").asText());
            assertEquals(io.defenderalertroutes.sinks.ecs.EcsSchema.VERSION, doc.at("/ecs/version").asText());
            JsonNode original = CloudEventsSchema.JSON.readTree(doc.at("/event/original").asText());
            boolean splitAlert = incidents && !id.equals(request.header("Defender-Alert-Id"));
            assertEquals(splitAlert ? "alert" : source.kind.equals("alert") ? "alert" : "event",
                    doc.at("/event/kind").asText(), "an incident is an event, as in Elastic's incident data stream");
            if (splitAlert) {
                assertEquals(id, request.header("Defender-Incident-Id"));
                assertEquals("m365_defender.alert", doc.at("/event/dataset").asText());
                assertEquals("a1", doc.at("/event/id").asText());
                assertEquals("Malware", doc.at("/threat/tactic/name/0").asText());
                assertTrue(served.stream().anyMatch(item -> item.get("alerts").get(0).equals(original)),
                        "keep-raw: the alert as it stands in its incident, in event.original");
            } else {
                assertEquals(served.get(version), original, "keep-raw: the item as served, in event.original");
                version++;
            }
        }
        assertEquals(2, version, "the first version, then its update");
    }

    /** The worked example's shape: one poll, one sink raw and one formatted, whichever way round. */
    @ParameterizedTest
    @ValueSource(strings = {"http", "file"})
    void oneSinkRawAndAnotherCloudEventsFromTheSamePoll(String formatted) throws Exception {
        PlaybookHandler handler = tenant.handler();
        tenant.settings().put("defender.sinks", "file,http");
        tenant.settings().put("defender.sink.http.urls", handler.url("/events"));
        tenant.settings().put("defender.sink." + formatted + ".format", "cloudevents");
        tenant.emulator().putAlert(TENANT, AlertJson.alert("a1", Emulated.ago(Duration.ofHours(2)), "New", "High", "Malware"));
        tenant.emulator().putAlert(TENANT, AlertJson.alert("a2", Emulated.ago(Duration.ofHours(1)), "New", "Low", "Execution"));
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
        }
        List<Path> files = AlertFiles.list(tenant.dir().resolve("alerts"));
        assertEquals(2, files.size());
        assertEquals(2, handler.requests().size());
        for (PlaybookHandler.Request request : handler.requests()) {
            String served = tenant.emulator().servedJson(TENANT, request.header("Defender-Alert-Id"), false);
            if (formatted.equals("http")) {
                assertCloudEvent(request, served);
            } else {
                assertArrayEquals(served.getBytes(StandardCharsets.UTF_8), request.body(), "raw: byte for byte");
                assertTrue(request.header("Content-Type").startsWith("application/json"));
            }
        }
        for (Path file : files) {
            String text = AlertFiles.text(file);
            if (formatted.equals("file")) {
                assertEquals(List.of(), CloudEventsSchema.violations(text), text);
                JsonNode event = CloudEventsSchema.JSON.readTree(text);
                String served = tenant.emulator().servedJson(TENANT, event.get("subject").asText(), false);
                assertEquals(CloudEventsSchema.JSON.readTree(served), event.get("data"));
                assertEquals("contoso:" + event.get("subject").asText() + ":" + event.get("time").asText(),
                        event.get("id").asText());
                assertNull(event.get("alert"), "a formatted event is written alone, without the envelope");
            } else {
                FileEnvelope.Unwrapped envelope = FileEnvelope.unwrap(text);
                String id = envelope.headers().get("Defender-Alert-Id");
                assertEquals(tenant.emulator().servedJson(TENANT, id, false), envelope.alert(), "raw: as served");
            }
        }
    }

    /** The same formatted event delivered by the replay as the first attempt tried, from the raw alert the letter kept. */
    @ParameterizedTest
    @ValueSource(strings = {"cloudevents", "ocsf", "ecs"})
    void aDeadLetterKeepsTheRawAlertAndItsReplayIsFormattedAgain(String format) throws Exception {
        PlaybookHandler handler = tenant.handler();
        tenant.settings().put("defender.sinks", "http");
        tenant.settings().put("defender.sink.http.urls", handler.url("/events"));
        tenant.settings().put("defender.sink.http.format", format);
        tenant.settings().put("defender.sink.retries", "0");
        tenant.settings().put("defender.dead-letter.replay-interval", "PT1S");
        tenant.settings().put("defender.dead-letter.replay-max-interval", "PT2S");
        tenant.emulator().putAlert(TENANT, AlertJson.alert("d1", Emulated.ago(Duration.ofMinutes(30)), "New", "High", "Malware"));
        String served = tenant.emulator().servedJson(TENANT, "d1", false);
        Path letters = tenant.dir().resolve("state/dead-letter");
        handler.answerWith(503);
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
            List<Path> waiting = AlertFiles.list(letters);
            assertEquals(1, waiting.size());
            FileEnvelope.Unwrapped letter = FileEnvelope.unwrap(AlertFiles.text(waiting.get(0)));
            assertEquals(served, letter.alert(), "the dead letter keeps the alert as Microsoft served it");

            handler.answerWith(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> AlertFiles.list(letters).isEmpty());
        }
        List<PlaybookHandler.Request> accepted = handler.requests().stream().filter(PlaybookHandler.Request::accepted).toList();
        assertEquals(1, accepted.size());
        PlaybookHandler.Request first = handler.requests().get(0);
        JsonNode event = CloudEventsSchema.JSON.readTree(text(accepted.get(0)));
        switch (format) {
            case "cloudevents" -> assertCloudEvent(accepted.get(0), served);
            case "ocsf" -> assertEquals(List.of(), new OcsfSchema().violations("detection_finding", event), event.toPrettyString());
            default -> assertEquals(List.of(), new io.defenderalertroutes.sinks.ecs.EcsSchema().violations(event),
                    event.toPrettyString());
        }
        assertEquals(text(first), text(accepted.get(0)),
                "the replay delivers the event the first attempt tried, formatted once, its id the same");
        assertEquals(first.header("Defender-Idempotency-Key"), accepted.get(0).header("Defender-Idempotency-Key"));
    }

    /** The start-up error's one line, or null when the configuration was accepted. */
    private String configure(Map<String, String> values) throws Exception {
        Map<String, String> p = new HashMap<>(Map.of("defender.tenant-id", Bundle.TENANT_ID,
                "defender.client-id", Bundle.CLIENT_ID, "defender.client-secret", Bundle.CLIENT_SECRET,
                "defender.authority-url", "https://localhost:1", "defender.api-url", "https://localhost:1",
                "defender.state-dir", dir.resolve("state").toString(),
                "defender.sink.file.dir", dir.resolve("alerts").toString()));
        if (values.containsKey("defender.tenants")) {
            p.remove("defender.tenant-id");
        }
        p.putAll(values);
        return StartUpRefusal.of(p);
    }

    @Test
    void anUnknownFormatStopsStartUpInOneLineNamingTheKeyAndTheChoices() throws Exception {
        assertEquals("Invalid configuration: defender.sink.http.format: unknown format 'xml'; expected one of raw, "
                + "cloudevents, ocsf, ecs", configure(Map.of("defender.sink.http.format", "xml")));
        // a sink route of the user's takes the key under its own name
        assertEquals("Invalid configuration: defender.sink.siem.format: unknown format 'elastic'; expected one of raw, "
                + "cloudevents, ocsf, ecs", configure(Map.of("defender.sinks", "file,siem", "defender.sink.siem.format", "elastic")));
        assertNull(configure(Map.of("defender.sinks", "file,siem", "defender.sink.siem.format", "cloudevents",
                "defender.sink.kafka.format", "CloudEvents", "defender.sink.http.format", "ocsf")));
        for (AlertApi api : AlertApi.values()) {
            assertNull(configure(Map.of("defender.source", api.key(), "defender.sink.file.format", "ocsf")), api.key());
            assertNull(configure(Map.of("defender.sinks", "file,siem", "defender.sink.siem.format", "ECS",
                    "defender.source", api.key(), "defender.sink.file.format", "ecs")), api.key());
        }
        // a source added without an OCSF mapping would be refused at start-up, not fail each alert at its sink
        assertFalse(SinkFormat.OCSF.maps("defender-siem"));
        assertFalse(SinkFormat.ECS.maps("defender-siem"));
        assertTrue(SinkFormat.CLOUDEVENTS.maps("defender-siem"));
    }

    /**
     * Both incident sources through a sink with format=ocsf and split-alerts: each incident version an Incident
     * Finding (Create, then Update), each of its alerts once, as a Detection Finding.
     */
    @ParameterizedTest
    @EnumSource(IncidentSource.class)
    void incidentsAreIncidentFindingsAndTheirSplitAlertsDetectionFindings(IncidentSource incidents) throws Exception {
        PlaybookHandler handler = tenant.handler();
        tenant.settings().put("defender.source", incidents.key());
        tenant.settings().put("defender.incidents.split-alerts", "true");
        tenant.settings().put("defender.trigger.updates", "true");
        tenant.settings().put("defender.sinks", "http");
        tenant.settings().put("defender.sink.http.urls", handler.url("/findings"));
        tenant.settings().put("defender.sink.http.format", "ocsf");
        tenant.settings().put("defender.sink.http.format.keep-raw", "true");
        String a1 = incidents.alert("a1", "Malware", Duration.ofMinutes(50));
        incidents.put(tenant.emulator(), TENANT, "701", Emulated.ago(Duration.ofMinutes(50)), "active", "high", List.of(a1));
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
            incidents.put(tenant.emulator(), TENANT, "701", Emulated.ago(Duration.ofMinutes(20)), "resolved", "high",
                    List.of(a1, incidents.alert("a2", "Execution", Duration.ofMinutes(20))));
            bundle.pollNow();
        }
        OcsfSchema schema = new OcsfSchema();
        List<String> events = new java.util.ArrayList<>();
        for (PlaybookHandler.Request request : handler.requests()) {
            JsonNode finding = CloudEventsSchema.JSON.readTree(text(request));
            boolean incident = finding.get("class_uid").asInt() == 2005;
            assertEquals(List.of(), schema.violations(incident ? "incident_finding" : "detection_finding", finding),
                    finding.toPrettyString());
            assertEquals(request.header("Defender-Idempotency-Key"), finding.at("/metadata/uid").asText());
            events.add(incident
                    ? "incident " + finding.at("/metadata/correlation_uid").asText() + " " + finding.get("activity_name").asText()
                            + " " + finding.get("finding_info_list").size()
                    : "alert " + finding.at("/finding_info/uid").asText() + " of "
                            + finding.at("/finding_info/related_events/0/uid").asText());
        }
        assertEquals(List.of("incident 701 Create 1", "alert a1 of 701", "incident 701 Close 2", "alert a2 of 701"), events);
        JsonNode resolved = CloudEventsSchema.JSON.readTree(text(handler.requests().get(2)));
        assertEquals(incidents.served(tenant.emulator(), TENANT, "701"), resolved.get("raw_data").asText(),
                "keep-raw: the incident as served");
        assertEquals(4, resolved.get("status_id").asInt());
    }

    @Test
    void aTenantChoosesItsOwnFormat() throws Exception {
        Map<String, String> twoTenants = Map.of("defender.tenants", "contoso,fabrikam",
                "defender.tenant.contoso.tenant-id", Bundle.TENANT_ID,
                "defender.tenant.fabrikam.tenant-id", "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                "defender.tenant.fabrikam.sink.file.format", "cloudevents");
        Map<String, String> p = new HashMap<>(twoTenants);
        assertNull(configure(p));
        p.put("defender.tenant.fabrikam.sink.file.format", "json");
        assertEquals("Invalid configuration: defender.tenant.fabrikam.sink.file.format: unknown format 'json'; expected "
                + "one of raw, cloudevents, ocsf, ecs", configure(p));
    }
}
