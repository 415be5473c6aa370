package io.defenderalertroutes.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.emulator.DefenderEmulator;
import io.defenderalertroutes.schedule.PollTimers;
import io.defenderalertroutes.testsupport.Bundle;
import jdk.jfr.Recording;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Alerts per second through the real routes against a hand-written loop doing the same work, in one JVM and on the
 * same pages, rounds alternating so that JIT and GC treat both alike. Two pairs, each with a bundle and an emulator
 * of its own: the Kafka sink alone, and Kafka plus a file per alert. The loop does what the bundle does for the
 * configuration measured: fetch and parse each page, the trigger criteria, a persistent dedup (a key appended and
 * flushed per delivered alert, as the bundle's file store does), the Kafka sends acknowledged before the checkpoint
 * is written, and with files an envelope file per alert written under a temporary name and renamed.
 * Each round loads fresh alerts, newer than the last round's by more than the poll overlap, so a poll reads exactly
 * that round's alerts; the loop then asks the emulator the very queries the bundle asked, so it parses the same bytes.
 *
 * <p>Args: result file, kafka bootstrap, work directory, alerts per round, measured rounds.
 */
public final class ThroughputRun {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A configuration measured: the bundle's sinks, and whether the loop writes files too. */
    private record Pair(String name, String sinks, boolean files) {
    }

    public static void main(String[] args) throws Exception {
        BenchSupport.trustEmulator();
        Path out = Path.of(args[0]);
        String bootstrap = args[1];
        Path dir = Files.createDirectories(Path.of(args[2]));
        int perRound = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);

        Map<String, Object> result = new LinkedHashMap<>();
        Path jfrFile = out.resolveSibling("throughput-bundle.jfr");
        Recording recording = new Recording(jdk.jfr.Configuration.getConfiguration("profile"));
        // the recording runs through the loop's rounds too; only the bundle's windows are read
        List<Instant[]> bundleWindows = new ArrayList<>();
        recording.start();
        List<Map<String, Object>> pairs = new ArrayList<>();
        for (Pair pair : List.of(new Pair("kafka", "kafka", false), new Pair("kafka+files", "kafka,file", true))) {
            pairs.add(runPair(pair, bootstrap, Files.createDirectories(dir.resolve(pair.name())), perRound, rounds,
                    bundleWindows));
        }
        recording.stop();
        recording.dump(jfrFile);
        result.put("alertsPerRound", perRound);
        result.put("measuredRounds", rounds);
        result.put("pairs", pairs);
        result.put("bundleCpuProfile", Profiles.summarize(jfrFile, "jdk.ExecutionSample",
                t -> bundleWindows.stream().anyMatch(w -> !t.isBefore(w[0]) && !t.isAfter(w[1]))));
        result.put("jfrFile", jfrFile.toString());
        BenchSupport.writeResult(out, result);
        System.exit(0);
    }

    private static Map<String, Object> runPair(Pair pair, String bootstrap, Path dir, int perRound, int rounds,
            List<Instant[]> bundleWindows) throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("pair", pair.name());
        try (DefenderEmulator emulator = DefenderEmulator.start(0)) {
            emulator.registerClient(BenchSupport.TENANT, Bundle.CLIENT_ID, Bundle.CLIENT_SECRET);
            String bundleTopic = "throughput-bundle-" + pair.name().replace('+', '-');
            String baselineTopic = "throughput-baseline-" + pair.name().replace('+', '-');
            BenchSupport.createTopic(bootstrap, bundleTopic, false);
            BenchSupport.createTopic(bootstrap, baselineTopic, false);

            Map<String, String> settings = BenchSupport.bundleSettings(emulator.baseUrl(), dir);
            settings.put("defender.sinks", pair.sinks());
            settings.put("defender.sink.kafka.topic", bundleTopic);
            settings.put("camel.component.kafka.brokers", bootstrap);
            Random random = new Random(42);
            // each round's alerts sit in their own hour, 30 minutes apart from the next: more than the overlap
            Instant firstBand = Instant.now().minus(Duration.ofHours(rounds + 3));

            try (Bundle bundle = Bundle.start(settings)) {
                // the producer settings camel-kafka derives from camel.component.kafka.*, applied to the loop too
                Properties producerProps = bundle.context().getComponent("kafka", KafkaComponent.class)
                        .getConfiguration().createProducerProperties();
                producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
                result.put("producerSettings", new TreeMap<>(producerProps));
                BenchSupport.ApiClient api = new BenchSupport.ApiClient(emulator.baseUrl());
                List<Double> bundleRates = new ArrayList<>();
                List<Double> baselineRates = new ArrayList<>();
                List<Map<String, Object>> roundDetails = new ArrayList<>();
                long sentByBundle = 0;
                Loop loop = new Loop(dir.resolve("loop"), pair.files(), baselineTopic);
                try (KafkaProducer<Object, Object> producer = new KafkaProducer<>(producerProps)) {
                    for (int round = 0; round <= rounds; round++) {
                        boolean warmUp = round == 0;
                        Instant band = firstBand.plus(Duration.ofHours(round));
                        for (int i = 0; i < perRound; i++) {
                            Instant at = band.plusMillis(random.nextInt(30 * 60 * 1000));
                            emulator.putAlert(BenchSupport.TENANT, AlertJson.randomAlert(random, at));
                        }
                        int queriesBefore = emulator.requestQueries(BenchSupport.TENANT).size();
                        Map<Long, long[]> cpuBefore = BenchSupport.threadCpu();
                        Instant from = Instant.now();
                        long start = System.nanoTime();
                        PollTimers.pollNow(bundle.context(), "contoso", Duration.ofMinutes(5));
                        long bundleNanos = System.nanoTime() - start;
                        if (!warmUp) {
                            bundleWindows.add(new Instant[] {from, Instant.now()});
                        }
                        Map<String, Long> bundleCpu = BenchSupport.cpuByRole(cpuBefore, BenchSupport.threadCpu(),
                                BenchSupport.threadNames());
                        sentByBundle += perRound;
                        List<String> queries = emulator.requestQueries(BenchSupport.TENANT)
                                .subList(queriesBefore, emulator.requestQueries(BenchSupport.TENANT).size());

                        cpuBefore = BenchSupport.threadCpu();
                        long[] baseline = loop.poll(api, queries, producer);
                        Map<String, Long> baselineCpu = BenchSupport.cpuByRole(cpuBefore, BenchSupport.threadCpu(),
                                BenchSupport.threadNames());
                        if (baseline[0] != perRound) {
                            throw new IllegalStateException("the loop delivered " + baseline[0] + " alerts, not " + perRound);
                        }
                        double bundleRate = perRound / (bundleNanos / 1e9);
                        double baselineRate = perRound / (baseline[1] / 1e9);
                        Map<String, Object> detail = new LinkedHashMap<>();
                        detail.put("pair", pair.name());
                        detail.put("round", warmUp ? "warm-up" : Integer.toString(round));
                        detail.put("apiCalls", queries.size());
                        detail.put("bundleMillis", bundleNanos / 1_000_000);
                        detail.put("bundleAlertsPerSecond", Math.round(bundleRate));
                        detail.put("bundleCpuMillisByThread", top(bundleCpu, 8));
                        detail.put("baselineMillis", baseline[1] / 1_000_000);
                        detail.put("baselineFetchMillis", baseline[2] / 1_000_000);
                        detail.put("baselinePageBytes", baseline[3]);
                        detail.put("baselineAlertsPerSecond", Math.round(baselineRate));
                        detail.put("baselineCpuMillisByThread", top(baselineCpu, 8));
                        roundDetails.add(detail);
                        System.out.println("throughput round " + detail);
                        if (!warmUp) {
                            bundleRates.add(bundleRate);
                            baselineRates.add(baselineRate);
                        }
                    }
                } finally {
                    loop.close();
                }
                // acknowledged means readable: every record the bundle reported done must be on the topic
                long onTopic = BenchSupport.countRecords(bootstrap, bundleTopic, sentByBundle, Duration.ofSeconds(60));
                if (onTopic != sentByBundle) {
                    throw new IllegalStateException("bundle topic holds " + onTopic + " records, expected " + sentByBundle);
                }
                result.put("bundleAlertsPerSecond", BenchSupport.median(bundleRates));
                result.put("baselineAlertsPerSecond", BenchSupport.median(baselineRates));
                result.put("ratio", BenchSupport.median(bundleRates) / BenchSupport.median(baselineRates));
                result.put("bundleRecordsOnTopic", onTopic);
                result.put("bundleAlertFiles", count(dir.resolve("alerts")));
                result.put("loopAlertFiles", count(dir.resolve("loop").resolve("alerts")));
                result.put("rounds", roundDetails);
            }
        }
        return result;
    }

    private static long count(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        try (var walk = Files.walk(directory)) {
            return walk.filter(Files::isRegularFile).count();
        }
    }

    /**
     * The hand-written loop: the bundle's work for one tenant, without a framework. Its dedup is a set kept on disk
     * as an append-only log flushed per key, its checkpoint a file replaced atomically, its alert files envelopes
     * written under a temporary name and renamed, as the bundle's file sink writes them.
     */
    private static final class Loop implements AutoCloseable {

        private final Path dir;
        private final boolean files;
        private final String topic;
        private final Set<String> delivered = new HashSet<>();
        private final java.io.Writer dedupLog;
        private final io.defenderalertroutes.criteria.TriggerCriteria criteria = io.defenderalertroutes.criteria.TriggerCriteria.of(
                "status", List.of("All"), "severity", List.of("All"), "category", List.of("All"));

        Loop(Path dir, boolean files, String topic) throws IOException {
            this.dir = Files.createDirectories(dir);
            this.files = files;
            this.topic = topic;
            this.dedupLog = Files.newBufferedWriter(dir.resolve("dedup.log"), StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        }

        /** @return alerts delivered, elapsed nanos, of which fetching, page bytes */
        long[] poll(BenchSupport.ApiClient api, List<String> queries, KafkaProducer<Object, Object> producer) throws Exception {
            long start = System.nanoTime();
            long fetchNanos = 0;
            long pageBytes = 0;
            AtomicLong acked = new AtomicLong();
            AtomicReference<Exception> failure = new AtomicReference<>();
            java.util.LinkedHashSet<String> sentKeys = new java.util.LinkedHashSet<>();
            String newest = null;
            for (String query : queries) {
                long fetchStart = System.nanoTime();
                byte[] page = api.page(query);
                fetchNanos += System.nanoTime() - fetchStart;
                pageBytes += page.length;
                for (JsonNode alert : MAPPER.readTree(page).get("value")) {
                    String id = alert.get("id").asText();
                    String lastUpdate = alert.get("lastUpdateTime").asText();
                    String status = alert.path("status").asText();
                    String severity = alert.path("severity").asText();
                    String category = alert.path("category").asText();
                    if (!criteria.matches(status, severity, category) || delivered.contains(id) || !sentKeys.add(id)) {
                        continue;
                    }
                    String raw = MAPPER.writeValueAsString(alert);
                    RecordHeaders headers = new RecordHeaders();
                    header(headers, "Defender-Tenant", "contoso");
                    header(headers, "Defender-Alert-Id", id);
                    header(headers, "Defender-Last-Update-Time", lastUpdate);
                    header(headers, "Defender-Status", status);
                    header(headers, "Defender-Severity", severity);
                    header(headers, "Defender-Category", category);
                    header(headers, "Defender-Change", "new");
                    header(headers, "Defender-Idempotency-Key", "contoso:" + id + ":" + lastUpdate);
                    producer.send(new ProducerRecord<>(topic, null, id, raw, headers), (metadata, error) -> {
                        if (error != null) {
                            failure.compareAndSet(null, error);
                        }
                        acked.incrementAndGet();
                    });
                    if (files) {
                        writeAlertFile(id, lastUpdate, status, severity, category, raw);
                    }
                    if (newest == null || lastUpdate.compareTo(newest) > 0) {
                        newest = lastUpdate;
                    }
                }
            }
            // every send acknowledged, then the keys kept, then the checkpoint moves
            producer.flush();
            if (failure.get() != null) {
                throw failure.get();
            }
            if (acked.get() != sentKeys.size()) {
                throw new IllegalStateException("the loop: " + acked.get() + " acks for " + sentKeys.size() + " records");
            }
            String now = Instant.now().toString();
            for (String key : sentKeys) {
                dedupLog.write("+" + now + " " + key + "\n");
                dedupLog.flush();
                delivered.add(key);
            }
            if (newest != null) {
                Path temp = Files.createTempFile(dir, "checkpoint", ".tmp");
                Files.writeString(temp, newest + "\n");
                Files.move(temp, dir.resolve("contoso.checkpoint"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            return new long[] {sentKeys.size(), System.nanoTime() - start, fetchNanos, pageBytes};
        }

        private void writeAlertFile(String id, String lastUpdate, String status, String severity, String category,
                String raw) throws IOException {
            Map<String, Object> head = new LinkedHashMap<>();
            head.put("tenant", "contoso");
            head.put("alertId", id);
            head.put("lastUpdateTime", lastUpdate);
            head.put("status", status);
            head.put("severity", severity);
            head.put("category", category);
            head.put("change", "new");
            head.put("idempotencyKey", "contoso:" + id + ":" + lastUpdate);
            head.put("source", "defender-api");
            String text = MAPPER.writeValueAsString(head);
            Path tenantDir = Files.createDirectories(dir.resolve("alerts").resolve("contoso"));
            String name = (id + "_" + lastUpdate).replaceAll("[^A-Za-z0-9._-]", "-") + ".json";
            Path temp = tenantDir.resolve(".writing-" + name);
            Files.writeString(temp, text.substring(0, text.length() - 1) + ",\"alert\":" + raw + "}\n");
            Files.move(temp, tenantDir.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }

        @Override
        public void close() throws IOException {
            dedupLog.close();
        }
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, Long> top(Map<String, Long> byRole, int n) {
        Map<String, Long> top = new LinkedHashMap<>();
        byRole.entrySet().stream().limit(n).forEach(e -> top.put(e.getKey(), e.getValue()));
        return top;
    }
}
