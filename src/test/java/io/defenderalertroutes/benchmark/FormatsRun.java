package io.defenderalertroutes.benchmark;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.defenderalertroutes.defender.AlertHeaders;
import io.defenderalertroutes.emulator.IncidentJson;
import io.defenderalertroutes.sinks.SinkFormat;
import io.defenderalertroutes.sinks.SinkFormats;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

/**
 * The cost of each format (benchmark part {@code formats}): alerts per second through the sinks' own path to the
 * format's data type transformer ({@link SinkFormats#apply}, which the sink step and a route's
 * {@code transformDataType} reach alike), on the same alerts for every format of a source. {@code raw} is the
 * baseline: the exchange made and nothing transformed. Microsoft's own response bodies for the alert sources,
 * incidents of three alerts each for the incident sources; new and update versions alternate.
 * <p>Args: result file, then the measured rounds of {@code alertsPerRound} each; the median round is reported.
 */
final class FormatsRun {

    private static final String TENANT = "contoso";
    private static final long WARM_UP_NANOS = 2_000_000_000L;

    private FormatsRun() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int rounds = Integer.parseInt(args[1]);
        int alertsPerRound = Integer.parseInt(args[2]);
        List<Map<String, Object>> results = new ArrayList<>();
        try (CamelContext context = new DefaultCamelContext()) {
            context.start();
            for (Map.Entry<String, List<Sample>> source : samples().entrySet()) {
                for (SinkFormat format : SinkFormat.values()) {
                    if (format.maps(source.getKey())) {
                        results.add(measure(context, source.getKey(), source.getValue(), format, rounds, alertsPerRound));
                    }
                }
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("alertsPerRound", alertsPerRound);
        result.put("rounds", rounds);
        result.put("runs", results);
        BenchSupport.writeResult(out, result);
        System.exit(0);
    }

    /** One alert (or incident) version as the alert flow hands it to a sink: its raw text and its headers. */
    private record Sample(String body, Map<String, Object> headers) {
    }

    private static Map<String, Object> measure(CamelContext context, String source, List<Sample> samples,
            SinkFormat format, int rounds, int alertsPerRound) throws Exception {
        long sink = 0;
        long warmUntil = System.nanoTime() + WARM_UP_NANOS;
        for (int i = 0; System.nanoTime() < warmUntil; i++) {
            sink += once(context, samples.get(i % samples.size()), format);
        }
        double[] perSecond = new double[rounds];
        long bytesIn = 0;
        long bytesOut = 0;
        for (int round = 0; round < rounds; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < alertsPerRound; i++) {
                sink += once(context, samples.get(i % samples.size()), format);
            }
            perSecond[round] = alertsPerRound / ((System.nanoTime() - start) / 1e9);
        }
        for (Sample sample : samples) {
            bytesIn += sample.body().length();
            bytesOut += once(context, sample, format);
        }
        Arrays.sort(perSecond);
        double median = perSecond[rounds / 2];
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("source", source);
        r.put("format", format.key());
        r.put("alertsPerSecond", median);
        r.put("microsPerAlert", 1e6 / median);
        r.put("bytesOutPerIn", (double) bytesOut / bytesIn);
        r.put("checksum", sink);
        System.out.printf("formats: %-18s %-11s %,10.0f alerts/s %7.1f µs  out/in %.2f%n", source, format.key(), median,
                1e6 / median, (double) bytesOut / bytesIn);
        return r;
    }

    /** Formats one sample on an exchange of its own, as a sink does; the size of what it would deliver. */
    private static long once(CamelContext context, Sample sample, SinkFormat format) throws Exception {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setHeaders(new LinkedHashMap<>(sample.headers()));
        exchange.getMessage().setBody(sample.body());
        SinkFormats.apply(exchange, format);
        return exchange.getMessage().getBody(String.class).length();
    }

    private static Map<String, List<Sample>> samples() throws Exception {
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        List<String> endpoint = new ArrayList<>();
        endpoint.addAll(fixture("mde-list-alerts-with-evidence.json"));
        endpoint.addAll(fixture("mde-list-alerts.json"));
        samples.put("defender-api", versions("defender-api", endpoint, "id", "lastUpdateTime", false));
        List<String> graph = fixture("graph-list-alerts-v2.json");
        samples.put("graph", versions("graph", graph, "id", "lastUpdateDateTime", false));
        String at = "2026-12-01T10:00:00.1234567Z";
        List<String> graphAlerts = new ArrayList<>();
        List<String> xdrAlerts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ObjectNode alert = (ObjectNode) BenchSupport.JSON.readTree(graph.get(0));
            alert.put("id", "ga" + i);
            graphAlerts.add(alert.toString());
            xdrAlerts.add(IncidentJson.defenderIncidentAlert("da" + i, at, "New", "High", "Malware"));
        }
        samples.put("graph-incidents", versions("graph-incidents",
                List.of(IncidentJson.graphIncident("101", at, "active", "high", graphAlerts)), "id", "lastUpdateDateTime", true));
        samples.put("defender-incidents", versions("defender-incidents",
                List.of(IncidentJson.defenderIncident(101, at, "Active", "High", xdrAlerts)), "incidentId", "lastUpdateTime",
                true));
        return samples;
    }

    /** Each body as a new version and as an update, with the headers the alert flow sets. */
    private static List<Sample> versions(String source, List<String> bodies, String idField, String timeField,
            boolean incident) throws Exception {
        List<Sample> samples = new ArrayList<>();
        for (String body : bodies) {
            JsonNode item = BenchSupport.JSON.readTree(body);
            String id = item.get(idField).asText();
            String time = item.get(timeField).asText();
            for (String change : List.of("new", "update")) {
                Map<String, Object> headers = new LinkedHashMap<>();
                headers.put(AlertHeaders.TENANT, TENANT);
                headers.put(AlertHeaders.SOURCE, source);
                headers.put(AlertHeaders.ALERT_ID, id);
                headers.put(AlertHeaders.LAST_UPDATE_TIME, time);
                headers.put(AlertHeaders.IDEMPOTENCY_KEY, TENANT + ":" + id + ":" + time);
                headers.put(AlertHeaders.CHANGE, change);
                if (incident) {
                    headers.put(AlertHeaders.INCIDENT_ID, id);
                }
                samples.add(new Sample(body, headers));
            }
        }
        return samples;
    }

    private static List<String> fixture(String name) throws Exception {
        try (InputStream in = FormatsRun.class.getResourceAsStream("/fixtures/" + name)) {
            List<String> alerts = new ArrayList<>();
            for (JsonNode alert : BenchSupport.JSON.readTree(in).get("value")) {
                alerts.add(alert.toPrettyString());
            }
            return alerts;
        }
    }
}
