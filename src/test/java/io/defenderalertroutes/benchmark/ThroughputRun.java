package io.defenderalertroutes.benchmark;

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
import io.defenderalertroutes.app.PollNow;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.emulator.DefenderEmulator;
import io.defenderalertroutes.testsupport.Bundle;
import jdk.jfr.Recording;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Alerts per second through the real routes against a raw baseline, in one JVM and on the same pages, rounds
 * alternating so that JIT and GC treat both alike. Each round loads fresh alerts, newer than the last round's by
 * more than the poll overlap, so a poll reads exactly that round's alerts. The baseline then asks the emulator the
 * very queries the bundle asked, so it parses the same page bytes.
 *
 * <p>Args: result file, kafka bootstrap, work directory, alerts per round, measured rounds.
 */
public final class ThroughputRun {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        BenchSupport.trustEmulator();
        Path out = Path.of(args[0]);
        String bootstrap = args[1];
        Path dir = Files.createDirectories(Path.of(args[2]));
        int perRound = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);

        Map<String, Object> result = new LinkedHashMap<>();
        try (DefenderEmulator emulator = DefenderEmulator.start(0)) {
            emulator.registerClient(BenchSupport.TENANT, Bundle.CLIENT_ID, Bundle.CLIENT_SECRET);
            String bundleTopic = "throughput-bundle";
            String baselineTopic = "throughput-baseline";
            BenchSupport.createTopic(bootstrap, bundleTopic, false);
            BenchSupport.createTopic(bootstrap, baselineTopic, false);

            Map<String, String> settings = BenchSupport.bundleSettings(emulator.baseUrl(), dir);
            settings.put("defender.sinks", "kafka,file");
            settings.put("defender.sink.kafka.topic", bundleTopic);
            settings.put("camel.component.kafka.brokers", bootstrap);
            Random random = new Random(42);
            // each round's alerts sit in their own hour, 30 minutes apart from the next: more than the overlap
            Instant firstBand = Instant.now().minus(Duration.ofHours(rounds + 3));

            try (Bundle bundle = Bundle.start(settings)) {
                // the producer settings camel-kafka derives from camel.component.kafka.*, applied to the baseline too
                Properties producerProps = bundle.context().getComponent("kafka", KafkaComponent.class)
                        .getConfiguration().createProducerProperties();
                producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
                result.put("producerSettings", new TreeMap<>(producerProps));
                BenchSupport.ApiClient api = new BenchSupport.ApiClient(emulator.baseUrl());
                List<Double> bundleRates = new ArrayList<>();
                List<Double> baselineRates = new ArrayList<>();
                List<Map<String, Object>> roundDetails = new ArrayList<>();
                Path jfrFile = out.resolveSibling("throughput-bundle.jfr");
                Recording recording = null;
                // the recording runs through the baseline rounds too; only the bundle's windows are read
                List<Instant[]> bundleWindows = new ArrayList<>();
                long sentByBundle = 0;
                // the baseline's dedup: the poll overlap re-reads the newest alerts of the round before
                Set<String> baselineSent = new HashSet<>();
                try (KafkaProducer<Object, Object> producer = new KafkaProducer<>(producerProps)) {
                    for (int round = 0; round <= rounds; round++) {
                        boolean warmUp = round == 0;
                        Instant band = firstBand.plus(Duration.ofHours(round));
                        for (int i = 0; i < perRound; i++) {
                            Instant at = band.plusMillis(random.nextInt(30 * 60 * 1000));
                            emulator.putAlert(BenchSupport.TENANT, AlertJson.randomAlert(random, at));
                        }
                        int queriesBefore = emulator.requestQueries(BenchSupport.TENANT).size();
                        if (!warmUp && recording == null) {
                            recording = new Recording(jdk.jfr.Configuration.getConfiguration("profile"));
                            recording.start();
                        }
                        Map<Long, long[]> cpuBefore = BenchSupport.threadCpu();
                        Instant from = Instant.now();
                        long start = System.nanoTime();
                        PollNow.run(bundle.context(), "contoso", Duration.ofMinutes(5));
                        long bundleNanos = System.nanoTime() - start;
                        if (!warmUp) {
                            bundleWindows.add(new Instant[] {from, Instant.now()});
                        }
                        Map<String, Long> bundleCpu = BenchSupport.cpuByRole(cpuBefore, BenchSupport.threadCpu(),
                                BenchSupport.threadNames());
                        if (recording != null && round == rounds) {
                            recording.stop();
                            recording.dump(jfrFile);
                        }
                        sentByBundle += perRound;
                        List<String> queries = emulator.requestQueries(BenchSupport.TENANT)
                                .subList(queriesBefore, emulator.requestQueries(BenchSupport.TENANT).size());

                        cpuBefore = BenchSupport.threadCpu();
                        long[] baseline = baseline(api, queries, producer, baselineTopic, baselineSent);
                        Map<String, Long> baselineCpu = BenchSupport.cpuByRole(cpuBefore, BenchSupport.threadCpu(),
                                BenchSupport.threadNames());
                        if (baseline[0] != perRound) {
                            throw new IllegalStateException("baseline sent " + baseline[0] + " records, not " + perRound);
                        }
                        double bundleRate = perRound / (bundleNanos / 1e9);
                        double baselineRate = perRound / (baseline[1] / 1e9);
                        Map<String, Object> detail = new LinkedHashMap<>();
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
                }
                // acknowledged means readable: every record the bundle reported done must be on the topic
                long onTopic = BenchSupport.countRecords(bootstrap, bundleTopic, sentByBundle, Duration.ofSeconds(60));
                if (onTopic != sentByBundle) {
                    throw new IllegalStateException("bundle topic holds " + onTopic + " records, expected " + sentByBundle);
                }
                long files;
                try (var walk = Files.walk(dir.resolve("alerts"))) {
                    files = walk.filter(Files::isRegularFile).count();
                }
                result.put("alertsPerRound", perRound);
                result.put("measuredRounds", rounds);
                result.put("bundleAlertsPerSecond", BenchSupport.median(bundleRates));
                result.put("baselineAlertsPerSecond", BenchSupport.median(baselineRates));
                result.put("ratio", BenchSupport.median(bundleRates) / BenchSupport.median(baselineRates));
                result.put("bundleRecordsOnTopic", onTopic);
                result.put("bundleAlertFiles", files);
                result.put("rounds", roundDetails);
                result.put("bundleCpuProfile", Profiles.summarize(jfrFile, "jdk.ExecutionSample",
                        t -> bundleWindows.stream().anyMatch(w -> !t.isBefore(w[0]) && !t.isAfter(w[1]))));
                result.put("jfrFile", jfrFile.toString());
            }
        }
        BenchSupport.writeResult(out, result);
        System.exit(0);
    }

    /**
     * The plain loop: fetch each page, parse it whole with Jackson, send one record per alert with the bundle's key,
     * value and Defender-* headers, skip an alert already sent (the overlaps), wait for every ack.
     *
     * @return records sent, elapsed nanos, of which fetching, page bytes
     */
    private static long[] baseline(BenchSupport.ApiClient api, List<String> queries, KafkaProducer<Object, Object> producer,
            String topic, Set<String> sent) throws Exception {
        long start = System.nanoTime();
        long fetchNanos = 0;
        long pageBytes = 0;
        int sentBefore = sent.size();
        AtomicLong acked = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        for (String query : queries) {
            long fetchStart = System.nanoTime();
            byte[] page = api.page(query);
            fetchNanos += System.nanoTime() - fetchStart;
            pageBytes += page.length;
            for (JsonNode alert : MAPPER.readTree(page).get("value")) {
                String id = alert.get("id").asText();
                if (!sent.add(id)) {
                    continue;
                }
                String lastUpdate = alert.get("lastUpdateTime").asText();
                RecordHeaders headers = new RecordHeaders();
                header(headers, "Defender-Tenant", "contoso");
                header(headers, "Defender-Alert-Id", id);
                header(headers, "Defender-Last-Update-Time", lastUpdate);
                header(headers, "Defender-Status", alert.path("status").asText());
                header(headers, "Defender-Severity", alert.path("severity").asText());
                header(headers, "Defender-Category", alert.path("category").asText());
                header(headers, "Defender-Change", "new");
                header(headers, "Defender-Idempotency-Key", "contoso:" + id + ":" + lastUpdate);
                producer.send(new ProducerRecord<>(topic, null, id, MAPPER.writeValueAsString(alert), headers),
                        (metadata, error) -> {
                            if (error != null) {
                                failure.compareAndSet(null, error);
                            }
                            acked.incrementAndGet();
                        });
            }
        }
        producer.flush();
        long elapsed = System.nanoTime() - start;
        if (failure.get() != null) {
            throw failure.get();
        }
        int records = sent.size() - sentBefore;
        if (acked.get() != records) {
            throw new IllegalStateException("baseline: " + acked.get() + " acks for " + records + " records");
        }
        return new long[] {records, elapsed, fetchNanos, pageBytes};
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
