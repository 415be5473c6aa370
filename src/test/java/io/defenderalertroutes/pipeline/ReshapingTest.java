package io.defenderalertroutes.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.defenderalertroutes.defender.Timestamps;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.sinks.CloudEventsSchema;
import io.defenderalertroutes.sinks.CloudEventsTransformer;
import io.defenderalertroutes.sinks.OcsfSchema;
import io.defenderalertroutes.testsupport.AlertFiles;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.EmulatedTenant;
import io.defenderalertroutes.testsupport.KafkaBroker;
import io.defenderalertroutes.testsupport.LogCapture;
import io.defenderalertroutes.testsupport.Management;
import io.defenderalertroutes.testsupport.PlaybookHandler;
import io.defenderalertroutes.testsupport.WorkedEdits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The worked edits of docs/reshaping.md, each taken from that page's own text, made in a copy of {@code routes/} and
 * run as a user would after making it, each checked to deliver every other alert and move the checkpoint; and the
 * edits a user makes to drop or fail alerts, which must never stall a tenant.
 */
class ReshapingTest {

    private static final String TENANT = Bundle.TENANT_ID;
    private static final Instant NOW = Instant.now();

    @RegisterExtension
    final EmulatedTenant tenant = new EmulatedTenant();

    /** Two alerts of one time, which the checkpoint must reach. */
    private String twoAlerts() {
        String at = Timestamps.format(NOW.minus(Duration.ofHours(1)));
        tenant.emulator().putAlert(TENANT, AlertJson.alert("r-high", at, "New", "High", "Malware"));
        tenant.emulator().putAlert(TENANT, AlertJson.alert("r-medium", at, "New", "Medium", "Malware"));
        return at;
    }

    /** The edit took nothing away: the file sink has every alert once, and the poll moved its checkpoint to the newest. */
    private void everyAlertDeliveredAndTheCheckpointMoved(List<String> ids, String newest) throws Exception {
        List<String> delivered = tenant.delivered();
        assertEquals(ids.stream().sorted().toList(), delivered.stream().sorted().toList(), "every alert delivered");
        assertEquals(ids.size(), delivered.size(), "none twice");
        assertEquals(newest, Files.readString(tenant.dir().resolve("state/contoso.checkpoint")).trim(),
                "the checkpoint moved to the newest alert");
    }

    private static List<String> ids(List<String[]> alerts) {
        return alerts.stream().map(a -> a[0]).toList();
    }

    private void runOn(Path routes) {
        tenant.settings().put("camel.main.routes-include-pattern", WorkedEdits.includePattern(routes));
    }

    @Test
    void aSecondKafkaTopicForHighSeverityOnly() throws Exception {
        String at = twoAlerts();
        String all = KafkaBroker.uniqueTopic("all");
        String high = KafkaBroker.uniqueTopic("high");
        runOn(WorkedEdits.routesWith(tenant.dir().resolve("routes"), "kafka-high"));
        tenant.settings().put("defender.sinks", "kafka,kafka-high,file");
        tenant.settings().put("defender.sink.kafka.topic", all);
        tenant.settings().put("high-severity-topic", high);
        tenant.settings().put("camel.component.kafka.brokers", KafkaBroker.bootstrapServers());
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
        }
        assertEquals(List.of("r-high", "r-medium"), KafkaBroker.all(all).stream()
                .map(r -> r.key()).sorted().toList());
        assertEquals(List.of("r-high"), KafkaBroker.all(high).stream()
                .map(r -> r.key()).toList());
        everyAlertDeliveredAndTheCheckpointMoved(List.of("r-high", "r-medium"), at);
    }

    /**
     * The worked example of issue 29: one poll, raw alerts to one topic and OCSF Detection Findings to another; the
     * same edit with CloudEvents, whose records carry the Kafka binding's content-type header.
     */
    @ParameterizedTest
    @ValueSource(strings = {"ocsf", "cloudevents"})
    void formattedEventsToOneKafkaTopicAndRawAlertsToAnother(String format) throws Exception {
        String at = twoAlerts();
        String raw = KafkaBroker.uniqueTopic("raw");
        String events = KafkaBroker.uniqueTopic("events");
        runOn(WorkedEdits.routesWith(tenant.dir().resolve("routes"), "kafka-events"));
        tenant.settings().put("defender.sinks", "kafka,kafka-events,file");
        tenant.settings().put("defender.sink.kafka.topic", raw);
        tenant.settings().put("defender.sink.kafka-events.format", format);
        tenant.settings().put("events-topic", events);
        tenant.settings().put("camel.component.kafka.brokers", KafkaBroker.bootstrapServers());
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
        }
        var rawRecords = KafkaBroker.consume(raw, 2, Duration.ofSeconds(20));
        assertEquals(List.of("r-high", "r-medium"), rawRecords.stream().map(r -> r.key()).sorted().toList());
        for (var record : rawRecords) {
            assertEquals(tenant.emulator().servedJson(TENANT, record.key(), false),
                    new String(record.value(), StandardCharsets.UTF_8), "raw: byte for byte");
        }
        var eventRecords = KafkaBroker.consume(events, 2, Duration.ofSeconds(20));
        assertEquals(List.of("r-high", "r-medium"), eventRecords.stream().map(r -> r.key()).sorted().toList());
        OcsfSchema ocsf = new OcsfSchema();
        for (var record : eventRecords) {
            String event = new String(record.value(), StandardCharsets.UTF_8);
            JsonNode node = CloudEventsSchema.JSON.readTree(event);
            String contentType = new String(record.headers().lastHeader("content-type").value(), StandardCharsets.UTF_8);
            if (format.equals("ocsf")) {
                assertEquals(List.of(), ocsf.violations("detection_finding", node), event);
                assertEquals(record.key(), node.at("/finding_info/uid").asText());
                assertEquals("contoso:" + record.key() + ":" + at, node.at("/metadata/uid").asText());
                assertEquals("application/json", contentType);
            } else {
                assertEquals(List.of(), CloudEventsSchema.violations(event), event);
                assertEquals("contoso:" + record.key() + ":" + at, node.get("id").asText());
                assertEquals(CloudEventsSchema.JSON.readTree(tenant.emulator().servedJson(TENANT, record.key(), false)),
                        node.get("data"));
                assertEquals(CloudEventsTransformer.MEDIA_TYPE, contentType);
            }
        }
        everyAlertDeliveredAndTheCheckpointMoved(List.of("r-high", "r-medium"), at);
    }

    @Test
    void anEnrichmentStepAddsJsonPathProjectionsAsHeaders() throws Exception {
        String at = twoAlerts();
        try (PlaybookHandler handler = new PlaybookHandler()) {
            runOn(WorkedEdits.routesWith(tenant.dir().resolve("routes"), "enrich"));
            tenant.settings().put("defender.sinks", "http,file");
            tenant.settings().put("defender.sink.http.urls", handler.url("/enriched"));
            try (Bundle bundle = tenant.start()) {
                bundle.pollNow();
            }
            assertEquals(2, handler.requests().size());
            for (PlaybookHandler.Request request : handler.requests()) {
                String id = request.header("Defender-Alert-Id");
                String served = tenant.emulator().servedJson(TENANT, id, false);
                assertEquals(served, new String(request.body(), StandardCharsets.UTF_8), "the body is untouched");
                String machine = request.header("Defender-Machine");
                assertTrue(machine != null && served.contains("\"computerDnsName\": \"" + machine + "\""), machine);
                String technique = request.header("Defender-Mitre-Technique");
                assertTrue(technique != null && technique.startsWith("T"), technique);
            }
        }
        everyAlertDeliveredAndTheCheckpointMoved(List.of("r-high", "r-medium"), at);
    }

    @Test
    void aSinkOfOnesOwnWithStepsOfItsOwnWritesItsSummaries() throws Exception {
        List<String[]> alerts = sixtyAlerts();
        runOn(WorkedEdits.routesWith(tenant.dir().resolve("routes"), "summary-sink"));
        Path summaries = tenant.dir().resolve("summaries");
        tenant.settings().put("defender.sinks", "file,summary");
        tenant.settings().put("summary-dir", summaries.toString());
        tenant.settings().put("defender.poll.page-size", "7");
        tenant.settings().put("defender.poll.max-historical-start", "30 days ago");
        Management management = Management.on(tenant.settings());
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
            assertEquals(0.0, Management.sample(management.metrics(), "defender_polls_total", "tenant=\"contoso\"",
                    "outcome=\"failed\"").orElse(-1));
        }
        everyAlertDeliveredAndTheCheckpointMoved(ids(alerts), alerts.get(59)[3]);
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String[] alert : alerts) {
            var summary = json.readTree(summaries.resolve("contoso").resolve(alert[0] + ".json").toFile());
            assertEquals(alert[0], summary.get("alert").asText());
            assertEquals("contoso", summary.get("tenant").asText());
            assertEquals(alert[2], summary.get("severity").asText());
            assertEquals(alert[1], summary.get("category").asText());
            assertEquals("new", summary.get("change").asText());
            assertEquals(json.readTree(tenant.emulator().servedJson(TENANT, alert[0], false)).get("computerDnsName")
                    .asText(), summary.get("machine").asText());
        }
        try (var files = Files.list(summaries.resolve("contoso"))) {
            assertEquals(alerts.size(), files.count(), "one summary per alert");
        }
    }

    @Test
    void aStepOfOnesOwnBeanAfterTheDedupSetsHeadersEverySinkGets() throws Exception {
        // the class the page shows is the class this test runs
        assertEquals(Files.readString(Path.of("src/test/java/example/soc/Triage.java")),
                WorkedEdits.block("worked-edit-class: soc-triage", "java"));
        List<String[]> alerts = sixtyAlerts();
        try (PlaybookHandler handler = new PlaybookHandler()) {
            runOn(WorkedEdits.routesWith(tenant.dir().resolve("routes"), "soc-triage"));
            tenant.settings().put("defender.sinks", "http,file");
            tenant.settings().put("defender.sink.http.urls", handler.url("/triaged"));
            tenant.settings().put("defender.poll.page-size", "7");
            tenant.settings().put("defender.poll.max-historical-start", "30 days ago");
            try (Bundle bundle = tenant.start()) {
                bundle.pollNow();
            }
            assertEquals(ids(alerts), handler.requests().stream().map(r -> r.header("Defender-Alert-Id")).sorted()
                    .toList(), "the handler got every alert once");
            for (PlaybookHandler.Request request : handler.requests()) {
                String severity = request.header("Defender-Severity");
                String priority = severity.equals("High") ? "P1" : "P3";
                assertEquals(priority, request.header("Soc-Priority"), request.header("Defender-Alert-Id"));
                assertEquals(priority.equals("P1") ? "soc-urgent-contoso" : "soc-triage", request.header("Soc-Queue"),
                        "the bean's property, from the page's beans: block");
            }
        }
        everyAlertDeliveredAndTheCheckpointMoved(ids(alerts), alerts.get(59)[3]);
    }

    @Test
    void theHttpHandlerReplacedByAKafkaTopicGetsEveryAlertWithTheSinksErrorHandling() throws Exception {
        List<String[]> alerts = sixtyAlerts();
        String topic = KafkaBroker.uniqueTopic("playbook");
        try (PlaybookHandler handler = new PlaybookHandler()) {
            runOn(WorkedEdits.routesWith(tenant.dir().resolve("routes"), "handler-to-kafka"));
            tenant.settings().put("defender.sinks", "http,file");
            tenant.settings().put("defender.sink.http.urls", handler.url("/no-longer-called"));
            tenant.settings().put("playbook-topic", topic);
            tenant.settings().put("camel.component.kafka.brokers", KafkaBroker.bootstrapServers());
            tenant.settings().put("defender.poll.page-size", "7");
            tenant.settings().put("defender.poll.max-historical-start", "30 days ago");
            Management management = Management.on(tenant.settings());
            try (Bundle bundle = tenant.start()) {
                bundle.pollNow();
                assertEquals(alerts.size(), (int) Management.sample(management.metrics(),
                        "defender_alerts_delivered_total", "tenant=\"contoso\"", "sink=\"http\"").orElse(-1),
                        "the sink keeps its name and counter");
            }
            var records = KafkaBroker.consume(topic, alerts.size(), Duration.ofSeconds(30));
            assertEquals(ids(alerts), records.stream().map(r -> r.key()).sorted().toList(), "every alert, keyed by its id");
            for (var record : records) {
                assertEquals(tenant.emulator().servedJson(TENANT, record.key(), false),
                        new String(record.value(), StandardCharsets.UTF_8), "the raw alert");
            }
            assertEquals(List.of(), handler.requests(), "the handler is no longer called");
        }
        everyAlertDeliveredAndTheCheckpointMoved(ids(alerts), alerts.get(59)[3]);
    }

    /** 60 alerts over 28 days, one in five Malware, one in three Low; ids in order of their update. */
    private List<String[]> sixtyAlerts() {
        List<String[]> alerts = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String id = String.format("da%02d", i);
            String category = i % 5 == 0 ? "Malware" : "SuspiciousActivity";
            String severity = i % 3 == 0 ? "Low" : "High";
            String at = Timestamps.format(NOW.minus(Duration.ofHours(11L * (60 - i))));
            tenant.emulator().putAlert(TENANT, AlertJson.alert(id, at, "New", severity, category));
            alerts.add(new String[] {id, category, severity, at});
        }
        return alerts;
    }

    /** A sink route of the user's own that writes files, dropping Low alerts with a stop of its own. */
    private static final String AUDIT_SINK = """
            - route:
                id: defender-sink-audit
                from:
                  uri: direct:defender-sink-audit
                  steps:
                    - filter:
                        id: audit-drops-low
                        simple: "${header.Defender-Severity} == 'Low'"
                        steps:
                          - stop: {}
                    - setHeader:
                        name: CamelFileName
                        simple: "${header.Defender-Alert-Id}.json"
                    - to: "file:{{audit-dir}}"
            """;

    @Test
    void aStopInTheAlertFlowOrASinkRouteDropsThatAlertOnlyAndThePollMovesItsCheckpoint() throws Exception {
        List<String[]> alerts = sixtyAlerts();
        Path routes = WorkedEdits.routesWith(tenant.dir().resolve("routes"), "drop-malware");
        Files.writeString(routes.resolve("sinks.camel.yaml"), AUDIT_SINK, java.nio.file.StandardOpenOption.APPEND);
        runOn(routes);
        Path audit = tenant.dir().resolve("audit");
        tenant.settings().put("audit-dir", audit.toString());
        // the sink that stops first: the file sink after it still gets every alert
        tenant.settings().put("defender.sinks", "audit,file");
        tenant.settings().put("defender.poll.page-size", "7");
        tenant.settings().put("defender.poll.max-historical-start", "30 days ago");
        Management management = Management.on(tenant.settings());
        List<String> wanted = alerts.stream().filter(a -> !a[1].equals("Malware")).map(a -> a[0]).toList();
        List<String> audited = alerts.stream().filter(a -> !a[1].equals("Malware") && !a[2].equals("Low"))
                .map(a -> a[0]).toList();
        try (LogCapture log = new LogCapture(); Bundle bundle = tenant.start()) {
            bundle.pollNow();
            assertEquals(wanted, tenant.delivered().stream().sorted().toList());
            try (var files = Files.list(audit)) {
                assertEquals(audited, files.map(f -> f.getFileName().toString().replace(".json", "")).sorted().toList());
            }
            assertEquals(alerts.get(59)[3], Files.readString(tenant.dir().resolve("state/contoso.checkpoint")).trim(),
                    "the checkpoint moved to the newest alert");
            String metrics = management.metrics();
            List<String> dropLines = log.lines().stream().filter(l -> l.contains(" DEBUG: Alert ")
                    && l.contains(" dropped by a stop in the alert flow")).toList();
            assertEquals(alerts.stream().filter(a -> a[1].equals("Malware")).map(a -> a[0]).toList(),
                    dropLines.stream().map(l -> l.replaceAll(".* DEBUG: Alert (\\S+) .*", "$1")).distinct().sorted()
                            .toList(), "each dropped alert is logged at DEBUG");
            // an alert a page boundary offers twice is dropped (and counted) twice, before the dedup would drop it
            assertEquals(dropLines.size(), Management.sample(metrics, "defender_alerts_dropped_total",
                    "tenant=\"contoso\"", "by=\"alert-flow\"").orElse(-1));
            assertEquals(wanted.size() - audited.size(), (int) Management.sample(metrics, "defender_alerts_dropped_total",
                    "tenant=\"contoso\"", "by=\"audit\"").orElse(-1));
            assertEquals(0.0, Management.sample(metrics, "defender_polls_total", "tenant=\"contoso\"",
                    "outcome=\"failed\"").orElse(-1));
            // the bundle's own lines and Camel's error handler's: the capture sees every thread of the test JVM
            assertEquals(List.of(), log.lines().stream()
                    .filter(l -> l.startsWith("io.defenderalertroutes.") || l.startsWith("org.apache.camel.processor."))
                    .filter(l -> l.contains(" WARN: ") || l.contains(" ERROR: ")).toList(), "dropping is no failure");
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"exception", "rollback"})
    void anAlertWhoseFlowFailsFailsThePollOnlyAfterItsOtherAlertsAndComesAgainAtTheNextPoll(String failure)
            throws Exception {
        List<String[]> alerts = sixtyAlerts();
        Path routes = WorkedEdits.routesWith(tenant.dir().resolve("routes"));
        // a step of the user's that fails for one alert while the user's enrichment service is down
        String step = """
                - filter:
                    id: fail-one
                    simple: "${header.Defender-Alert-Id} == 'da20' && ${bean:enrichmentDown?method=get} == true"
                    steps:
                      - %s
                """.formatted(failure.equals("rollback") ? "rollback:\n          message: \"the user's enrichment is down\""
                : "throwException:\n          exceptionType: java.lang.IllegalStateException\n"
                        + "          message: \"the user's enrichment is down\"");
        insertAfterDescribe(routes, step);
        runOn(routes);
        tenant.settings().put("defender.poll.page-size", "7");
        tenant.settings().put("defender.poll.max-historical-start", "30 days ago");
        Management management = Management.on(tenant.settings());
        List<String> all = alerts.stream().map(a -> a[0]).toList();
        Path checkpoint = tenant.dir().resolve("state/contoso.checkpoint");
        tenant.settings().put("camel.beans.enrichmentDown", "#class:java.util.concurrent.atomic.AtomicBoolean(true)");
        try (LogCapture log = new LogCapture(); Bundle bundle = tenant.start()) {
            var enrichmentDown = bundle.context().getRegistry().lookupByNameAndType("enrichmentDown",
                    java.util.concurrent.atomic.AtomicBoolean.class);
            bundle.pollNow();
            assertEquals(all.stream().filter(id -> !id.equals("da20")).toList(), tenant.delivered().stream().sorted().toList(),
                    "every other alert, on every page, was delivered");
            assertFalse(Files.exists(checkpoint), "the checkpoint did not pass the failed alert");
            assertEquals(1.0, Management.sample(management.metrics(), "defender_polls_total", "tenant=\"contoso\"",
                    "outcome=\"failed\"").orElse(-1));
            String exception = failure.equals("rollback") ? "RollbackExchangeException" : "IllegalStateException";
            assertTrue(log.lines().stream().anyMatch(l -> l.contains("WARN: Alert da20 of tenant contoso did not get "
                    + "through the alert flow (" + exception + ": the user's enrichment is down")),
                    String.join("\n", log.lines().stream().filter(l -> l.contains("WARN")).toList()));

            enrichmentDown.set(false);
            bundle.pollNow();
            List<String> delivered = tenant.delivered();
            assertEquals(all, delivered.stream().sorted().toList());
            assertEquals(all.size(), delivered.size(), "nothing delivered twice");
            assertEquals(alerts.get(59)[3], Files.readString(checkpoint).trim());
        }
    }

    /** Not a user's edit, the policy of a sink that holds: its failure is the sink's, and the poll waits for it. */
    @Test
    void aSinkThatHoldsStillFailsThePollAtOnceRatherThanTryEveryOtherAlert() throws Exception {
        sixtyAlerts();
        try (PlaybookHandler handler = new PlaybookHandler()) {
            handler.answerWith(503);
            tenant.settings().put("defender.sinks", "http,file");
            tenant.settings().put("defender.sink.http.urls", handler.url("/down"));
            tenant.settings().put("defender.sink.http.on-failure", "hold");
            tenant.settings().put("defender.sink.retries", "0");
            tenant.settings().put("defender.poll.page-size", "7");
            Management management = Management.on(tenant.settings());
            try (Bundle bundle = tenant.start()) {
                bundle.pollNow();
                assertEquals(1.0, Management.sample(management.metrics(), "defender_polls_total", "tenant=\"contoso\"",
                        "outcome=\"failed\"").orElse(-1));
            }
            long alertsTried = handler.requests().stream().map(r -> r.header("Defender-Alert-Id")).distinct().count();
            // the split has already taken the next alert when the first one fails
            assertTrue(alertsTried <= 2, "alerts tried against the sink that holds: " + alertsTried);
            assertFalse(Files.exists(tenant.dir().resolve("state/contoso.checkpoint")));
        }
    }

    @Test
    void aStopThatReachesThePollRouteIsAFailedPollNotASilentStall() throws Exception {
        sixtyAlerts();
        Path routes = WorkedEdits.routesWith(tenant.dir().resolve("routes"));
        Path file = routes.resolve("defender-poll.camel.yaml");
        String poll = Files.readString(file);
        int at = poll.indexOf("- bean:\n                    id: page-done");
        assertTrue(at > 0);
        String stop = """
                - filter:
                    id: only-one-page
                    simple: "${exchangeProperty.DefenderPollWindow.pages} >= 1"
                    steps:
                      - stop: {}
                """.indent(16).substring(16);
        Files.writeString(file, poll.substring(0, at) + stop + " ".repeat(16) + poll.substring(at));
        runOn(routes);
        tenant.settings().put("defender.poll.page-size", "7");
        tenant.settings().put("defender.poll.max-historical-start", "30 days ago");
        Management management = Management.on(tenant.settings());
        tenant.settings().put("camel.management.host", "127.0.0.1");
        try (LogCapture log = new LogCapture(); Bundle bundle = tenant.start()) {
            bundle.pollNow();
            assertFalse(Files.exists(tenant.dir().resolve("state/contoso.checkpoint")));
            assertEquals(1.0, Management.sample(management.metrics(), "defender_polls_total", "tenant=\"contoso\"",
                    "outcome=\"failed\"").orElse(-1));
            assertTrue(log.lines().stream().anyMatch(l -> l.contains("WARN: Poll of tenant contoso ended at page 1 "
                    + "without reading every page")), String.join("\n", log.lines().stream().filter(l -> l.contains("WARN")).toList()));
            String status = management.get("/observe/status.json").body();
            assertTrue(status.contains("without reading every page"), "the status page shows why: " + status);
        }
    }

    /**
     * The Kafka sink's records wait for their page and go in one batch: an edit that takes the batch's send away (or
     * its settling) would leave them unsent, so the poll's commit refuses, the checkpoint stays, and the alerts come
     * again once the routes are put right.
     */
    @Test
    void anEditThatNeverSendsTheKafkaBatchFailsThePollAndKeepsTheCheckpoint() throws Exception {
        String at = twoAlerts();
        String topic = KafkaBroker.uniqueTopic("unsent");
        Path routes = WorkedEdits.routesWith(tenant.dir().resolve("routes"));
        Path file = routes.resolve("defender-poll.camel.yaml");
        String poll = Files.readString(file);
        int from = poll.indexOf("                - to:\n                    id: send-kafka-batch");
        int to = poll.indexOf("                - bean:\n                    id: page-done");
        assertTrue(from > 0 && to > from, "the poll route sends the Kafka batch before page-done");
        Files.writeString(file, poll.substring(0, from) + poll.substring(to));
        tenant.settings().put("defender.sinks", "kafka,file");
        tenant.settings().put("defender.sink.kafka.topic", topic);
        tenant.settings().put("camel.component.kafka.brokers", KafkaBroker.bootstrapServers());
        Management management = Management.on(tenant.settings());
        tenant.settings().put("camel.management.host", "127.0.0.1");
        runOn(routes);
        try (LogCapture log = new LogCapture(); Bundle bundle = tenant.start()) {
            bundle.pollNow();
            assertFalse(Files.exists(tenant.dir().resolve("state/contoso.checkpoint")), "the checkpoint stays");
            assertEquals(1.0, Management.sample(management.metrics(), "defender_polls_total", "tenant=\"contoso\"",
                    "outcome=\"failed\"").orElse(-1));
            assertTrue(log.lines().stream().anyMatch(l -> l.contains("handed to the Kafka sink were never acknowledged")),
                    String.join("\n", log.lines().stream().filter(l -> l.contains("WARN")).toList()));
        }
        assertTrue(KafkaBroker.all(topic).isEmpty(), "nothing was sent");
        // the routes put right: the same alerts come again and the checkpoint moves
        tenant.settings().remove("camel.main.routes-include-pattern");
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
        }
        assertEquals(List.of("r-high", "r-medium"), KafkaBroker.consume(topic, 2, Duration.ofSeconds(20)).stream()
                .map(r -> r.key()).sorted().toList());
        assertEquals(at, Files.readString(tenant.dir().resolve("state/contoso.checkpoint")).trim());
    }

    private static void insertAfterDescribe(Path routes, String step) throws java.io.IOException {
        Path file = routes.resolve("defender-alert.camel.yaml");
        String flow = Files.readString(file);
        String describe = "            method: describe\n";
        int at = flow.indexOf(describe) + describe.length();
        Files.writeString(file, flow.substring(0, at) + step.indent(8) + flow.substring(at));
    }
}
