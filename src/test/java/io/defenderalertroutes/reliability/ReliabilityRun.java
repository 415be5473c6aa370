package io.defenderalertroutes.reliability;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpServer;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.emulator.DefenderEmulator;
import io.defenderalertroutes.testsupport.AlertFiles;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.KafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * The reliability run: N alerts driven through the whole pipeline (Kafka, files, an HTTP handler) against a
 * schedule of faults on both sides, then counted. Prints alerts served, distinct alerts delivered per sink,
 * dead-lettered, lost (must be 0), repeats, API calls in the busiest minute (must be at most 100), and whether
 * the secret or a token leaked anywhere; writes the same as JSON. Exits non-zero when a promise is broken.
 *
 * <p>Faults: on Microsoft's side 429 with Retry-After, 500s, 503, a truncated page, a revoked token and slow
 * answers; on ours a playbook handler that answers 503 for a stretch (longer than the sink's retries) and 500
 * now and then. New alerts keep arriving between polls. Microsoft's limits (100 calls a minute) are enforced by
 * the emulator, and the page size is small, so the catch-up needs more calls than one minute's budget.
 */
public final class ReliabilityRun {

    static final String COMMAND = "mvn -B -Preliability verify -DskipTests";
    private static final int ALERTS = Integer.getInteger("reliability.alerts", 3000);
    private static final int PAGE_SIZE = Integer.getInteger("reliability.page-size", 25);
    private static final int LATE_ALERTS = 200;
    private static final String TENANT = Bundle.TENANT_ID;

    private ReliabilityRun() {
    }

    public static void main(String[] args) throws Exception {
        Path projectDir = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        Path out = Files.createDirectories(projectDir.resolve("target/reliability"));
        Path work = Files.createTempDirectory(out, "run-");
        List<String> logLines = captureLogs();
        System.setProperty("javax.net.ssl.trustStore", DefenderEmulator.trustStoreFile().toString());
        System.setProperty("javax.net.ssl.trustStorePassword", DefenderEmulator.TRUST_STORE_PASSWORD);
        long started = System.nanoTime();

        Map<String, Object> result;
        try (DefenderEmulator emulator = DefenderEmulator.start(0); FlakyHandler handler = new FlakyHandler()) {
            result = run(emulator, handler, work, logLines);
        }
        result.put("seconds", Math.round((System.nanoTime() - started) / 1e9));
        result.put("command", COMMAND);
        Files.writeString(out.resolve("result.json"),
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
        print(result, out.resolve("result.json"));
        boolean ok = ((Number) result.get("lost")).longValue() == 0
                && ((Number) result.get("peakCallsPerMinute")).intValue() <= 100
                && !((Boolean) result.get("secretLeaked"));
        System.exit(ok ? 0 : 1);
    }

    private static Map<String, Object> run(DefenderEmulator emulator, FlakyHandler handler, Path work,
            List<String> logLines) throws Exception {
        emulator.registerClient(TENANT, Bundle.CLIENT_ID, Bundle.CLIENT_SECRET);
        emulator.setRateLimit(100, 1500);
        Instant base = Instant.now().minus(Duration.ofDays(3));
        Set<String> served = new TreeSet<>();
        for (int i = 0; i < ALERTS; i++) {
            String id = String.format("rel-%05d", i);
            emulator.putAlert(TENANT, AlertJson.alert(id, AlertJson.timestamp(base.plusMillis(i * 80_000L)),
                    "New", i % 2 == 0 ? "High" : "Medium", "Malware"));
            served.add(id);
        }
        String topic = KafkaBroker.uniqueTopic("reliability");
        Map<String, String> settings = Bundle.tenantOn(emulator.baseUrl(), work);
        settings.put("defender.sinks", "kafka,file,http");
        settings.put("defender.sink.kafka.topic", topic);
        settings.put("camel.component.kafka.brokers", KafkaBroker.bootstrapServers());
        settings.put("defender.sink.http.urls", handler.url());
        settings.put("defender.sink.retries", "2");
        settings.put("defender.sink.retry-delay", "PT0.05S");
        settings.put("defender.poll.page-size", String.valueOf(PAGE_SIZE));
        settings.put("defender.api.retry-delay", "PT0.2S");
        settings.put("defender.poll.max-historical-start", "4 days ago");

        // Microsoft's side, in the order the calls meet them
        String error = "{\"error\":{\"code\":\"%s\",\"message\":\"%s\"}}";
        emulator.enqueueMalformed(TENANT);
        emulator.enqueueFault(TENANT, 429, String.format(error, "TooManyRequests", "Rate limit is exceeded."),
                Map.of("Retry-After", "2"));
        emulator.enqueueFault(TENANT, 500, String.format(error, "InternalServerError", "Retry."), Map.of());
        emulator.enqueueFault(TENANT, 503, String.format(error, "ServiceUnavailable", "Retry."), Map.of("Retry-After", "1"));
        emulator.enqueueFault(TENANT, 500, String.format(error, "InternalServerError", "Retry."), Map.of());
        emulator.setResponseDelay(Duration.ofMillis(50));

        int polls = 0;
        int failedPolls = 0;
        try (Bundle bundle = Bundle.start(settings)) {
            Path checkpoint = work.resolve("state/contoso.checkpoint");
            String newest = null;
            while (polls < 30) {
                polls++;
                String before = Files.exists(checkpoint) ? Files.readString(checkpoint) : "";
                long pollStart = System.nanoTime();
                io.defenderalertroutes.schedule.PollTimers.pollNow(bundle.context(), "contoso", Duration.ofMinutes(15));
                System.out.printf("  poll %d: %.1f s, %d API calls so far, %d alert files%n", polls,
                        (System.nanoTime() - pollStart) / 1e9, emulator.apiRequests(TENANT),
                        AlertFiles.list(work.resolve("alerts")).size());
                String after = Files.exists(checkpoint) ? Files.readString(checkpoint) : "";
                if (after.equals(before) && !after.equals(newest)) {
                    failedPolls++;
                }
                if (polls == 2) {
                    // a token revoked mid-run, and alerts that keep coming
                    emulator.revokeTokens(TENANT);
                    for (int i = 0; i < LATE_ALERTS; i++) {
                        String id = String.format("late-%04d", i);
                        emulator.putAlert(TENANT, AlertJson.alert(id, AlertJson.timestamp(Instant.now()), "New", "High",
                                "Ransomware"));
                        served.add(id);
                    }
                    newest = null;
                    continue;
                }
                if (polls >= 3 && after.equals(before) && !after.isEmpty()) {
                    break;
                }
                newest = after;
            }
        }

        List<ConsumerRecord<String, byte[]>> records = KafkaBroker.consume(topic, Integer.MAX_VALUE, Duration.ofSeconds(10));
        List<String> kafkaIds = records.stream().map(ConsumerRecord::key).toList();
        List<String> fileIds = AlertFiles.alertIds(work.resolve("alerts"));
        List<String> httpIds = handler.delivered();
        Map<String, Set<String>> deadBySink = new LinkedHashMap<>();
        for (JsonNode dead : AlertFiles.envelopes(work.resolve("state/dead-letter"))) {
            String sink = dead.get("failedSink").asText().replace("defender-sink-", "");
            deadBySink.computeIfAbsent(sink, s -> new TreeSet<>()).add(dead.get("alertId").asText());
        }

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("alertsServed", served.size());
        result.put("polls", polls);
        result.put("failedPolls", failedPolls);
        long lost = 0;
        Map<String, Object> sinks = new LinkedHashMap<>();
        for (Map.Entry<String, Collection<String>> sink : Map.<String, Collection<String>>of(
                "kafka", kafkaIds, "file", fileIds, "http", httpIds).entrySet()) {
            Set<String> distinct = new HashSet<>(sink.getValue());
            distinct.retainAll(served);
            Set<String> dead = deadBySink.getOrDefault(sink.getKey(), Set.of());
            Set<String> missing = new TreeSet<>(served);
            missing.removeAll(distinct);
            missing.removeAll(dead);
            lost += missing.size();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("delivered", distinct.size());
            row.put("deadLettered", dead.size());
            row.put("lost", missing.size());
            row.put("repeats", sink.getKey().equals("file") ? "n/a" : sink.getValue().size() - distinct.size());
            if (!missing.isEmpty()) {
                row.put("lostIds", missing.stream().limit(10).toList());
            }
            sinks.put(sink.getKey(), row);
        }
        result.put("sinks", new java.util.TreeMap<>(sinks));
        result.put("lost", lost);
        result.put("apiCalls", emulator.apiRequests(TENANT));
        result.put("peakCallsPerMinute", emulator.busiestMinute(TENANT));
        result.put("handlerFailuresInjected", handler.failuresAnswered());

        List<String> everything = new ArrayList<>(logLines);
        records.forEach(r -> everything.add(new String(r.value(), StandardCharsets.UTF_8) + r.headers()));
        for (Path file : AlertFiles.list(work)) {
            everything.add(Files.readString(file));
        }
        everything.addAll(handler.seenText());
        boolean secret = everything.stream().anyMatch(t -> t.contains(Bundle.CLIENT_SECRET));
        boolean bearer = everything.stream().anyMatch(t -> t.contains("Bearer ey") || t.contains("access_token"));
        result.put("secretLeaked", secret || bearer);
        result.put("textSearched", everything.size() + " log lines, records, files and requests");
        return result;
    }

    private static void print(Map<String, Object> r, Path json) {
        System.out.println();
        System.out.println("defender-alert-routes reliability run (" + r.get("command") + ")");
        System.out.printf("  alerts served          %s (%d over 3 days, then %d during the run), %s polls, %s failed%n",
                r.get("alertsServed"), ALERTS, LATE_ALERTS, r.get("polls"), r.get("failedPolls"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> sinks = (Map<String, Map<String, Object>>) r.get("sinks");
        sinks.forEach((name, row) -> System.out.printf("  %-22s delivered %s, dead-lettered %s, lost %s, repeats %s%n",
                "sink " + name, row.get("delivered"), row.get("deadLettered"), row.get("lost"), row.get("repeats")));
        System.out.printf("  lost (must be 0)       %s%n", r.get("lost"));
        System.out.printf("  API calls              %s in all, %s in the busiest minute (must be at most 100)%n",
                r.get("apiCalls"), r.get("peakCallsPerMinute"));
        System.out.printf("  secret or token leaked %s (searched %s)%n", r.get("secretLeaked"), r.get("textSearched"));
        System.out.printf("  took                   %s s; JSON in %s%n", r.get("seconds"), json);
    }

    private static List<String> captureLogs() {
        List<String> lines = new CopyOnWriteArrayList<>();
        LoggerContext logging = (LoggerContext) LogManager.getContext(false);
        Configuration config = logging.getConfiguration();
        AbstractAppender capture = new AbstractAppender("reliability-capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                StringBuilder text = new StringBuilder(event.getMessage().getFormattedMessage());
                for (Throwable t = event.getThrown(); t != null; t = t.getCause()) {
                    text.append(' ').append(t);
                }
                lines.add(text.toString());
            }
        };
        capture.start();
        // everything logged at INFO and above is searched (the test suite searches TRACE); the console stays quiet
        LoggerConfig root = config.getRootLogger();
        root.setLevel(Level.INFO);
        List.copyOf(root.getAppenders().keySet()).forEach(root::removeAppender);
        root.addAppender(capture, Level.INFO, null);
        config.getLoggers().values().stream().filter(l -> l != root)
                .forEach(l -> l.addAppender(capture, Level.INFO, null));
        logging.updateLoggers();
        return lines;
    }

    /** A playbook handler that fails for a stretch and now and then, and remembers what it accepted. */
    private static final class FlakyHandler implements AutoCloseable {
        private final HttpServer server;
        private final AtomicInteger requests = new AtomicInteger();
        private final AtomicInteger failures = new AtomicInteger();
        private final ConcurrentLinkedQueue<String> delivered = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();

        FlakyHandler() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/playbook", exchange -> {
                int n = requests.incrementAndGet();
                byte[] body = exchange.getRequestBody().readAllBytes();
                seen.add(exchange.getRequestHeaders() + new String(body, StandardCharsets.UTF_8));
                // requests 200 to 260: down for longer than the sink's retries; every 97th: one failure
                int status = (n >= 200 && n < 260) || n % 97 == 0 ? (n % 2 == 0 ? 503 : 500) : 200;
                if (status == 200) {
                    delivered.add(exchange.getRequestHeaders().getFirst("Defender-Alert-Id"));
                } else {
                    failures.incrementAndGet();
                }
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/playbook";
        }

        List<String> delivered() {
            return List.copyOf(delivered);
        }

        List<String> seenText() {
            return List.copyOf(seen);
        }

        int failuresAnswered() {
            return failures.get();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
