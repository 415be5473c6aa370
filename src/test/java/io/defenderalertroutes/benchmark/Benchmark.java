package io.defenderalertroutes.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.emulator.DefenderEmulator;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.KafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * The benchmark: throughput against a raw baseline, memory of a full page with evidence, API economy, latency,
 * the dedup repository and start-up, each against its target, printed as a table and written as JSON.
 *
 * <p>This JVM hosts the Kafka broker and the emulators that forked JVMs poll, so that the measured JVMs hold only
 * the bundle. The parts that need the CPU to themselves run one after another; the latency run, which waits
 * for the 1-minute timer most of the time, runs beside the API-economy count, which only counts.
 *
 * <p>Args: project directory. {@code -Dbenchmark.parts=throughput,memory,dedup,startup,tenants,tenants-live,formats,latency,economy}
 * runs some.
 */
public final class Benchmark {

    static final String COMMAND = "mvn -B -Pbenchmark verify -DskipTests";
    private static final int THROUGHPUT_ALERTS_PER_ROUND = Integer.getInteger("benchmark.throughput.alerts", 10_000);
    private static final int THROUGHPUT_ROUNDS = Integer.getInteger("benchmark.throughput.rounds", 3);
    private static final int MEMORY_PAGE_ALERTS = 10_000;
    private static final int CATCH_UP_ALERTS = Integer.getInteger("benchmark.catchup.alerts", 25_000);
    private static final int STEADY_POLLS = 5;
    private static final int LATENCY_INTERVALS = Integer.getInteger("benchmark.latency.intervals", 3);
    private static final int DEDUP_KEYS = 1_000_000;
    private static final int STARTUP_RUNS = 3;
    private static final int FORMAT_ALERTS_PER_ROUND = Integer.getInteger("benchmark.formats.alerts", 50_000);
    private static final int FORMAT_ROUNDS = Integer.getInteger("benchmark.formats.rounds", 5);

    private final Path projectDir;
    private final Path outDir;
    private final Set<String> parts;
    private final Map<String, Object> raw = new LinkedHashMap<>();
    private final List<Row> rows = new ArrayList<>();

    private Benchmark(Path projectDir, Set<String> parts) {
        this.projectDir = projectDir;
        this.outDir = projectDir.resolve("target").resolve("benchmark");
        this.parts = parts;
    }

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        Configurator.setRootLevel(Level.WARN);
        BenchSupport.trustEmulator();
        Path projectDir = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        Set<String> parts = Set.of(System.getProperty("benchmark.parts",
                "throughput,memory,dedup,startup,tenants,tenants-live,formats,latency,economy").split(","));
        Benchmark benchmark = new Benchmark(projectDir, parts);
        int failures = benchmark.run();
        benchmark.report(Duration.ofNanos(System.nanoTime() - started));
        System.exit(failures == 0 ? 0 : 1);
    }

    private int run() throws Exception {
        Files.createDirectories(outDir);
        // the broker takes a core's share while it idles: only the parts that send to Kafka start it
        String bootstrap = parts.stream().anyMatch(Set.of("throughput", "memory", "latency")::contains)
                ? KafkaBroker.bootstrapServers() : null;
        int failures = 0;
        failures += part("throughput", () -> throughput(bootstrap));
        failures += part("memory", () -> memory(bootstrap));
        failures += part("dedup", this::dedup);
        failures += part("startup", this::startup);
        failures += part("tenants", this::tenants);
        failures += part("tenants-live", this::tenantsLive);
        failures += part("formats", this::formats);
        if (parts.contains("latency") || parts.contains("economy")) {
            // the economy fork only counts calls, so it may share the machine with the latency run
            Fork economy = parts.contains("economy") ? Fork.start("economy", outDir, List.of("-Xmx1g"), EconomyRun.class,
                    List.of(work("economy").toString(), Integer.toString(CATCH_UP_ALERTS), Integer.toString(STEADY_POLLS),
                            "320", "70", "2"), null) : null;
            failures += part("latency", () -> latency(bootstrap));
            if (economy != null) {
                failures += part("economy", () -> economy(economy.await(600)));
            }
        }
        return failures;
    }

    private interface Part {
        void run() throws Exception;
    }

    private int part(String name, Part part) {
        if (!parts.contains(name)) {
            return 0;
        }
        long t = System.nanoTime();
        System.out.println("benchmark: " + name + " ...");
        try {
            part.run();
            System.out.printf("benchmark: %s done in %d s%n", name, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t));
            return 0;
        } catch (Exception e) {
            System.out.println("benchmark: " + name + " FAILED: " + e);
            rows.add(new Row(name, name + " (failed)", String.valueOf(e.getMessage()), "", false));
            raw.put(name, Map.of("error", String.valueOf(e)));
            return 1;
        }
    }

    private Path work(String name) throws IOException {
        Path dir = outDir.resolve("work").resolve(name);
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
            }
        }
        return Files.createDirectories(dir);
    }

    // --- 1. throughput --------------------------------------------------------------------------------------------

    private void throughput(String bootstrap) throws Exception {
        Map<String, Object> r = Fork.start("throughput", outDir, List.of("-Xmx2g"), ThroughputRun.class,
                List.of(bootstrap, work("throughput").toString(), Integer.toString(THROUGHPUT_ALERTS_PER_ROUND),
                        Integer.toString(THROUGHPUT_ROUNDS)), null).await(600);
        raw.put("throughput", r);
        String over = String.format("median of %d rounds of %,d alerts", THROUGHPUT_ROUNDS, THROUGHPUT_ALERTS_PER_ROUND);
        for (Object p : (List<?>) r.get("pairs")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> pair = (Map<String, Object>) p;
            String name = (String) pair.get("pair");
            double ratio = num(pair, "ratio");
            rows.add(new Row("1 throughput", "bundle, sinks " + name + ", API page to acked record (" + over + ")",
                    String.format("%,.0f alerts/s", num(pair, "bundleAlertsPerSecond")), "≥ 0.8 × loop", ratio >= 0.8));
            rows.add(new Row("1 throughput", "hand-written loop, same work (criteria, file dedup, acks, checkpoint"
                    + (name.contains("files") ? ", a file per alert)" : ")"),
                    String.format("%,.0f alerts/s", num(pair, "baselineAlertsPerSecond")), "", null));
            rows.add(new Row("1 throughput", "bundle / loop, " + name, String.format("%.2f", ratio), "≥ 0.80", ratio >= 0.8));
        }
    }

    // --- 7. many tenants in one process ---------------------------------------------------------------------------

    private static final int TENANT_INTERVALS = Integer.getInteger("benchmark.tenants.intervals", 2);

    private void tenants() throws Exception {
        List<Map<String, Object>> runs = new ArrayList<>();
        for (String count : System.getProperty("benchmark.tenants.counts", "1,100,1000").split(",")) {
            try (DefenderEmulator emulator = DefenderEmulator.start(0)) {
                TenantsRun.seed(emulator, Integer.parseInt(count));
                // -Dbenchmark.tenants.jvm="-Dcamel.main.x=y ..." tries a setting of the bundle's without a rebuild
                List<String> flags = new ArrayList<>(List.of("-Xmx512m"));
                String extra = System.getProperty("benchmark.tenants.jvm", "").trim();
                if (!extra.isEmpty()) {
                    flags.addAll(List.of(extra.split("\\s+")));
                }
                runs.add(Fork.start("tenants-" + count, outDir, flags, TenantsRun.class,
                        List.of(count, work("tenants-" + count).toString(), Integer.toString(TENANT_INTERVALS),
                                emulator.baseUrl()), null).await(900));
            }
        }
        raw.put("tenants", Map.of("runs", runs));
        Map<String, Object> one = runs.get(0);
        for (Map<String, Object> r : runs) {
            int n = ((Number) r.get("tenants")).intValue();
            boolean thousand = n >= 1000;
            double up = num(r, "routesUpMillis") / 1000.0;
            rows.add(new Row("7 tenants", String.format("%,d tenants: start to every route up (%s routes)", n, r.get("routes")),
                    String.format("%.1f s", up), thousand ? "< 10 s" : "", thousand ? up < 10 : null));
            rows.add(new Row("7 tenants", String.format("%,d tenants: start to every first poll done (%s polled)", n,
                    r.get("tenantsPolledOnce")), String.format("%.1f s", num(r, "firstPollsDoneMillis") / 1000.0), "", null));
            rows.add(new Row("7 tenants", String.format("%,d tenants: resident, heap after GC (-Xmx512m)", n),
                    String.format("%,d MiB, %,d MiB", (long) num(r, "residentBytes") >> 20, (long) num(r, "heapUsedAfterGcBytes") >> 20),
                    "fits -Xmx512m", true));
            int threads = ((Number) r.get("threads")).intValue();
            rows.add(new Row("7 tenants", String.format("%,d tenants: threads", n), Integer.toString(threads),
                    thousand ? "bounded (< tenants)" : "", thousand ? threads < n : null));
            @SuppressWarnings("unchecked")
            List<Number> perInterval = (List<Number>) r.get("tenantsPolledPerInterval");
            boolean everyInterval = perInterval.stream().allMatch(p -> p.intValue() == n);
            rows.add(new Row("7 tenants", String.format("%,d tenants: polled in each of %d intervals", n, perInterval.size()),
                    perInterval.toString(), "every tenant, every interval", everyInterval));
            if (r != one) {
                double perTenantKiB = (num(r, "heapUsedAfterGcBytes") - num(one, "heapUsedAfterGcBytes"))
                        / (n - ((Number) one.get("tenants")).intValue()) / 1024.0;
                rows.add(new Row("7 tenants", String.format("%,d tenants: heap per tenant beyond the first", n),
                        String.format("%.0f KiB", perTenantKiB), "(reported)", null));
            }
        }
    }

    // --- 8. tenants that come and go while the others poll --------------------------------------------------------

    private static final int LIVE_TENANTS = Integer.getInteger("benchmark.tenants-live.tenants", 1000);
    private static final int LIVE_ROUNDS = Integer.getInteger("benchmark.tenants-live.rounds", 10);
    private static final int LIVE_ROUND_SECONDS = Integer.getInteger("benchmark.tenants-live.round-seconds", 60);
    private static final Duration LIVE_INTERVAL = Duration.parse(System.getProperty("benchmark.tenants-live.interval", "PT30S"));
    private static final Duration LIVE_RESCAN = Duration.ofSeconds(5);
    /** Files added, changed and removed in each round. */
    private static final int LIVE_CHURN = 100;

    /**
     * {@code LIVE_TENANTS} tenants from files; in each round, spread over {@code LIVE_ROUND_SECONDS}, 100 files are
     * added, 100 changed (their criteria) and 100 removed, interleaved; then it waits until the added and changed
     * tenants have polled and the removed ones' routes are gone, and measures the bundle's heap after GC and threads.
     * The tenants no round touches (all but the last {@code 3 × LIVE_CHURN} of the start) are the ones whose gaps
     * between polls are watched.
     */
    private void tenantsLive() throws Exception {
        int untouched = LIVE_TENANTS - 3 * LIVE_CHURN;
        if (untouched < 1) {
            throw new IllegalArgumentException("benchmark.tenants-live.tenants must exceed " + 3 * LIVE_CHURN);
        }
        Path work = work("tenants-live");
        Path tenantsDir = Files.createDirectories(work.resolve("tenants"));
        Map<String, Object> r = new LinkedHashMap<>();
        List<Map<String, Object>> rounds = new ArrayList<>();
        r.put("tenants", LIVE_TENANTS);
        r.put("interval", LIVE_INTERVAL.toString());
        r.put("rescan", LIVE_RESCAN.toString());
        r.put("roundSeconds", LIVE_ROUND_SECONDS);
        r.put("rounds", rounds);
        raw.put("tenants-live", r);
        try (DefenderEmulator emulator = DefenderEmulator.start(0); PollWatch polls = new PollWatch(emulator)) {
            TenantsRun.seed(emulator, LIVE_TENANTS);
            Random random = new Random(9);
            int total = LIVE_TENANTS + LIVE_ROUNDS * LIVE_CHURN;
            for (int i = LIVE_TENANTS; i < total; i++) {
                emulator.registerClient(TenantsRun.tenantId(i), Bundle.CLIENT_ID, Bundle.CLIENT_SECRET);
                for (int a = 0; a < 5; a++) {
                    emulator.putAlert(TenantsRun.tenantId(i), AlertJson.randomAlert(random, Instant.now().minus(Duration.ofMinutes(10 + a))));
                }
            }
            List<String> watched = new ArrayList<>();
            // the tenants the rounds change or remove, oldest first; each round's added ones join at the end
            java.util.ArrayDeque<Integer> churnable = new java.util.ArrayDeque<>();
            Map<Integer, Integer> changes = new java.util.HashMap<>();
            for (int i = 0; i < total; i++) {
                polls.track(TenantsRun.tenantId(i));
            }
            for (int i = 0; i < LIVE_TENANTS; i++) {
                writeTenantFile(tenantsDir, i, 0);
                if (i < untouched) {
                    watched.add(TenantsRun.tenantId(i));
                } else {
                    churnable.add(i);
                }
            }
            polls.start();
            java.util.concurrent.BlockingQueue<String> events = new java.util.concurrent.LinkedBlockingQueue<>();
            long t0 = System.nanoTime();
            Fork fork = Fork.start("tenants-live", outDir, List.of("-Xmx512m"), TenantsLiveRun.class,
                    List.of(tenantsDir.toString(), work.resolve("bundle").toString(), emulator.baseUrl(),
                            LIVE_INTERVAL.toString(), LIVE_RESCAN.toString()), (f, event) -> events.add(event));
            try {
                expect(events, "up", 300);
                r.put("routesUpMillis", (System.nanoTime() - t0) / 1_000_000);
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
                while (java.util.stream.IntStream.range(0, LIVE_TENANTS).anyMatch(i -> polls.requests(TenantsRun.tenantId(i)) == 0)
                        && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                r.put("firstPollsDoneMillis", (System.nanoTime() - t0) / 1_000_000);
                // two intervals without changes: the gaps the load alone makes, and a heap that has seen every tenant poll
                long quietFrom = System.nanoTime();
                Thread.sleep(LIVE_INTERVAL.multipliedBy(2).toMillis());
                long[] base = measure(fork, events);
                Map.Entry<Long, String> quietGap = polls.longestGap(watched, quietFrom, System.nanoTime());
                r.put("quietLongestGapMillis", quietGap.getKey() / 1_000_000);
                r.put("heapAfterGcBeforeBytes", base[0]);
                r.put("threadsBefore", base[1]);
                r.put("pollerRoutesBefore", base[2]);
                System.out.printf("tenants-live: %,d tenants up in %.1f s, all polled by %.1f s; quiet: longest gap %.1f s, "
                                + "heap after GC %,d MiB, %d threads, %d poller routes%n", LIVE_TENANTS,
                        num(r, "routesUpMillis") / 1000.0, num(r, "firstPollsDoneMillis") / 1000.0,
                        quietGap.getKey() / 1e9, base[0] >> 20, base[1], base[2]);

                List<Double> addedToPoll = new ArrayList<>();
                Map<Integer, Integer> removedAtSettle = new java.util.HashMap<>();
                int next = LIVE_TENANTS;
                long stepMillis = LIVE_ROUND_SECONDS * 1000L / (3 * LIVE_CHURN);
                for (int round = 1; round <= LIVE_ROUNDS; round++) {
                    long from = System.nanoTime();
                    List<Integer> removed = new ArrayList<>();
                    List<Integer> changed = new ArrayList<>();
                    List<Integer> added = new ArrayList<>();
                    for (int k = 0; k < LIVE_CHURN; k++) {
                        removed.add(churnable.poll());
                    }
                    for (int k = 0; k < LIVE_CHURN; k++) {
                        changed.add(churnable.poll());
                    }
                    Map<Integer, Long> changedAt = new java.util.HashMap<>();
                    Map<Integer, Long> addedAt = new java.util.HashMap<>();
                    long stepAt = from;
                    for (int k = 0; k < LIVE_CHURN; k++) {
                        int a = next++;
                        writeTenantFile(tenantsDir, a, 0);
                        addedAt.put(a, System.nanoTime());
                        added.add(a);
                        stepAt = pace(stepAt, stepMillis);
                        int c = changed.get(k);
                        int variant = changes.merge(c, 1, Integer::sum);
                        changedAt.put(c, System.nanoTime());
                        writeTenantFile(tenantsDir, c, variant);
                        stepAt = pace(stepAt, stepMillis);
                        Files.delete(tenantsDir.resolve(TenantsRun.name(removed.get(k)) + ".properties"));
                        stepAt = pace(stepAt, stepMillis);
                    }
                    long churnDone = System.nanoTime();
                    churnable.addAll(changed);
                    churnable.addAll(added);
                    // settled: every added and changed tenant polled since its file was written, the removed ones' routes gone
                    long settleBy = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
                    long routes = -1;
                    while (System.nanoTime() < settleBy) {
                        boolean polled = added.stream().allMatch(a -> polls.firstPollAfter(TenantsRun.tenantId(a), addedAt.get(a)) >= 0)
                                && changed.stream().allMatch(c -> polls.firstPollAfter(TenantsRun.tenantId(c), changedAt.get(c)) >= 0);
                        if (polled) {
                            fork.tell("routes");
                            routes = Long.parseLong(expect(events, "routes", 60).split(" ")[1]);
                            if (routes == LIVE_TENANTS) {
                                break;
                            }
                        }
                        Thread.sleep(200);
                    }
                    long settled = System.nanoTime();
                    boolean didSettle = settled < settleBy;
                    for (int gone : removed) {
                        removedAtSettle.put(gone, polls.requests(TenantsRun.tenantId(gone)));
                    }
                    long[] after = measure(fork, events);
                    Map.Entry<Long, String> gap = polls.longestGap(watched, from, System.nanoTime());
                    double[] addMillis = sinceWritten(polls, added, addedAt);
                    double[] changeMillis = sinceWritten(polls, changed, changedAt);
                    Arrays.stream(addMillis).forEach(addedToPoll::add);
                    Map<String, Object> one = new LinkedHashMap<>();
                    one.put("round", round);
                    one.put("churnSeconds", (churnDone - from) / 1e9);
                    one.put("settleSeconds", (settled - churnDone) / 1e9);
                    one.put("settled", didSettle);
                    one.put("longestGapMillis", gap.getKey() / 1_000_000);
                    one.put("longestGapTenant", nameOf(gap.getValue()));
                    one.put("addedPolled", addMillis.length);
                    one.put("addedToFirstPollMillis", new double[] {min(addMillis), p50(addMillis), max(addMillis)});
                    one.put("changedToNextPollMillis", new double[] {min(changeMillis), p50(changeMillis), max(changeMillis)});
                    one.put("pollerRoutes", after[2]);
                    one.put("heapAfterGcBytes", after[0]);
                    one.put("heapDriftPercent", 100.0 * (after[0] - base[0]) / base[0]);
                    one.put("threads", after[1]);
                    rounds.add(one);
                    System.out.printf("tenants-live round %d/%d: churn %.0f s, settled %s %.1f s later; longest gap %.1f s (%s); "
                                    + "file added → first poll %.1f / %.1f / %.1f s (min/median/max, %d polled); changed → next poll "
                                    + "%.1f / %.1f / %.1f s; heap after GC %,d MiB (%+.1f %%), %d threads, %d poller routes%n",
                            round, LIVE_ROUNDS, (churnDone - from) / 1e9, didSettle ? "" : "NOT", (settled - churnDone) / 1e9,
                            gap.getKey() / 1e9, nameOf(gap.getValue()), min(addMillis) / 1000, p50(addMillis) / 1000,
                            max(addMillis) / 1000, addMillis.length, min(changeMillis) / 1000,
                            p50(changeMillis) / 1000, max(changeMillis) / 1000, after[0] >> 20,
                            num(one, "heapDriftPercent"), after[1], after[2]);
                }
                // a removed tenant whose count rose after its route was gone kept polling
                Thread.sleep(PollWatch.PERIOD_MILLIS * 3);
                long pollsAfterRemoval = removedAtSettle.entrySet().stream()
                        .mapToLong(e -> polls.requests(TenantsRun.tenantId(e.getKey())) - e.getValue()).sum();
                r.put("requestsOfRemovedAfterSettle", pollsAfterRemoval);
                fork.tell("stop");
                fork.await(300);
                liveRows(r, rounds, addedToPoll, base, pollsAfterRemoval);
            } finally {
                fork.kill();
            }
        }
    }

    private void liveRows(Map<String, Object> r, List<Map<String, Object>> rounds, List<Double> addedToPoll, long[] base,
            long pollsAfterRemoval) {
        String section = "8 tenants live";
        double bound = LIVE_INTERVAL.plusSeconds(5).toMillis() / 1000.0;
        double longest = rounds.stream().mapToDouble(o -> num(o, "longestGapMillis")).max().orElse(Double.NaN) / 1000;
        String perRound = rounds.stream().map(o -> String.format("%.1f", num(o, "longestGapMillis") / 1000)).toList().toString();
        rows.add(new Row(section, String.format("%,d tenants from files, interval %s: %d rounds of %d added + %d changed + "
                        + "%d removed within %d s", LIVE_TENANTS, LIVE_INTERVAL, rounds.size(), LIVE_CHURN, LIVE_CHURN, LIVE_CHURN,
                LIVE_ROUND_SECONDS), rounds.stream().allMatch(o -> Boolean.TRUE.equals(o.get("settled"))) ? "all settled"
                : "NOT all settled", "each settles", rounds.stream().allMatch(o -> Boolean.TRUE.equals(o.get("settled")))));
        rows.add(new Row(section, String.format("longest gap between polls of an untouched tenant (%,d), per round %s s",
                LIVE_TENANTS - 3 * LIVE_CHURN, perRound), String.format("%.1f s (quiet: %.1f s)", longest,
                num(r, "quietLongestGapMillis") / 1000), String.format("≤ %.0f s (interval + 5 s)", bound), longest <= bound));
        double[] add = addedToPoll.stream().mapToDouble(Double::doubleValue).toArray();
        rows.add(new Row(section, String.format("file added → its tenant's first poll, min / median / max over %d", add.length),
                String.format("%.1f / %.1f / %.1f s", min(add) / 1000, p50(add) / 1000, max(add) / 1000),
                "(reported)", null));
        double worst = rounds.stream().mapToDouble(o -> Math.abs(num(o, "heapDriftPercent"))).max().orElse(Double.NaN);
        Map<String, Object> last = rounds.isEmpty() ? Map.of() : rounds.get(rounds.size() - 1);
        rows.add(new Row(section, String.format("heap after GC before → after round %d (largest drift of any round)",
                rounds.size()), String.format("%,d → %,d MiB (%+.1f %%; %.1f %%)", base[0] >> 20,
                (long) num(last, "heapAfterGcBytes") >> 20, num(last, "heapDriftPercent"), worst),
                "within 10 %", Math.abs(num(last, "heapDriftPercent")) <= 10));
        rows.add(new Row(section, "threads before → after; poller routes after", String.format("%d → %d; %d", base[1],
                (long) num(last, "threads"), (long) num(last, "pollerRoutes")), "(reported)", null));
        rows.add(new Row(section, "API requests of removed tenants after their routes were gone",
                Long.toString(pollsAfterRemoval), "0", pollsAfterRemoval == 0));
    }

    private static void writeTenantFile(Path dir, int tenant, int variant) throws IOException {
        // written beside, then renamed in: the watch never reads half a file, as an operator's editor or a
        // ConfigMap update would not show one either
        String name = TenantsRun.name(tenant);
        Path tmp = dir.resolve("." + name + ".tmp");
        Files.writeString(tmp, "tenant-id=" + TenantsRun.tenantId(tenant) + "\n"
                + (variant % 2 == 1 ? "trigger.severity=High,Low\n" : ""));
        Files.move(tmp, dir.resolve(name + ".properties"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** Sleeps until one step after {@code stepAt}; returns that time, so that the steps keep their pace overall. */
    private static long pace(long stepAt, long stepMillis) throws InterruptedException {
        long next = stepAt + TimeUnit.MILLISECONDS.toNanos(stepMillis);
        long wait = next - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
        return next;
    }

    /** Heap after GC, threads and poller routes of the bundle's JVM. */
    private static long[] measure(Fork fork, java.util.concurrent.BlockingQueue<String> events) throws Exception {
        fork.tell("measure");
        String[] m = expect(events, "measured", 120).split(" ");
        return new long[] {Long.parseLong(m[1]), Long.parseLong(m[2]), Long.parseLong(m[3])};
    }

    private static String expect(java.util.concurrent.BlockingQueue<String> events, String kind, long seconds)
            throws InterruptedException {
        String event = events.poll(seconds, TimeUnit.SECONDS);
        if (event == null || !event.split(" ")[0].equals(kind)) {
            throw new IllegalStateException("the bundle did not answer '" + kind + "' within " + seconds + " s: " + event);
        }
        return event;
    }

    /** Milliseconds from each tenant's file written to its first poll after it, for those polled. */
    private static double[] sinceWritten(PollWatch polls, List<Integer> tenants, Map<Integer, Long> writtenAt) {
        return tenants.stream().mapToDouble(t -> {
            long first = polls.firstPollAfter(TenantsRun.tenantId(t), writtenAt.get(t));
            return first < 0 ? -1 : (first - writtenAt.get(t)) / 1e6;
        }).filter(ms -> ms >= 0).toArray();
    }

    private static String nameOf(String tenantId) {
        return tenantId.isEmpty() ? "-" : TenantsRun.name(Integer.parseInt(tenantId.substring(tenantId.lastIndexOf('-') + 1)));
    }

    private static double p50(double[] values) {
        return values.length == 0 ? Double.NaN : BenchSupport.percentile(values, 50);
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    // --- 9. formats ------------------------------------------------------------------------------------------------

    /** Each sink format's transformer on the same alerts of each source, raw being no transformation at all. */
    @SuppressWarnings("unchecked")
    private void formats() throws Exception {
        Map<String, Object> r = Fork.start("formats", outDir, List.of("-Xmx1g"), FormatsRun.class,
                List.of(Integer.toString(FORMAT_ROUNDS), Integer.toString(FORMAT_ALERTS_PER_ROUND)), null).await(900);
        raw.put("formats", r);
        for (Object o : (List<?>) r.get("runs")) {
            Map<String, Object> run = (Map<String, Object>) o;
            rows.add(new Row("9 formats", String.format("%s → %s, one thread (median of %d rounds of %,d)", run.get("source"),
                    run.get("format"), FORMAT_ROUNDS, FORMAT_ALERTS_PER_ROUND), String.format("%,.0f alerts/s (%.1f µs; %.2f × the size)",
                    num(run, "alertsPerSecond"), num(run, "microsPerAlert"), num(run, "bytesOutPerIn")), "(reported)", null));
        }
    }

    // --- 2. memory ------------------------------------------------------------------------------------------------

    private void memory(String bootstrap) throws Exception {
        try (DefenderEmulator emulator = DefenderEmulator.start(0)) {
            emulator.registerClient(BenchSupport.TENANT, Bundle.CLIENT_ID, Bundle.CLIENT_SECRET);
            Random random = new Random(11);
            Instant now = Instant.now();
            List<String> everyType = List.of("User", "Process", "File", "Ip", "Url");
            int warmAlerts = 50;
            for (int i = 0; i < warmAlerts; i++) {
                emulator.putAlert(BenchSupport.TENANT, evidenceAlert(random, now.minus(Duration.ofHours(3)), everyType));
            }
            String topic = "memory";
            BenchSupport.createTopic(bootstrap, topic, false);
            AtomicLong warmQueries = new AtomicLong();
            Fork fork = Fork.start("memory", outDir, List.of("-Xmx256m"), MemoryRun.class,
                    List.of(emulator.baseUrl(), bootstrap, topic, work("memory").toString()), (f, event) -> {
                        if (event.equals("warm")) {
                            warmQueries.set(emulator.requestQueries(BenchSupport.TENANT).size());
                            Instant band = now.minus(Duration.ofHours(2));
                            for (int i = 0; i < MEMORY_PAGE_ALERTS; i++) {
                                emulator.putAlert(BenchSupport.TENANT,
                                        evidenceAlert(random, band.plusMillis(random.nextInt(3_600_000)), everyType));
                            }
                            f.tell("go");
                        }
                    });
            Map<String, Object> r = new LinkedHashMap<>(fork.await(600));
            List<String> queries = emulator.requestQueries(BenchSupport.TENANT);
            List<String> pageQueries = queries.subList((int) warmQueries.get(), queries.size());
            BenchSupport.ApiClient api = new BenchSupport.ApiClient(emulator.baseUrl());
            long largestPage = 0;
            List<Long> pageBytes = new ArrayList<>();
            for (String query : pageQueries) {
                long bytes = api.page(query).length;
                pageBytes.add(bytes);
                largestPage = Math.max(largestPage, bytes);
            }
            long onTopic = BenchSupport.countRecords(bootstrap, topic, warmAlerts + MEMORY_PAGE_ALERTS, Duration.ofSeconds(60));
            r.put("pageBytes", pageBytes);
            r.put("recordsOnTopic", onTopic);
            raw.put("memory", r);
            boolean through = onTopic == warmAlerts + MEMORY_PAGE_ALERTS;
            double mb = 1024.0 * 1024.0;
            rows.add(new Row("2 memory", String.format("a %,d-alert page with evidence (%.1f MiB) through with -Xmx256m",
                    MEMORY_PAGE_ALERTS, largestPage / mb), String.format("%s, %d ms", through ? "delivered" : "NOT delivered",
                    (long) num(r, "pollMillis")), "goes through", through));
            rows.add(new Row("2 memory", "peak heap in use during that poll (most live after a GC)",
                    String.format("%.0f MiB (%.0f MiB)", num(r, "peakHeapBytes") / mb, num(r, "maxHeapAfterGcBytes") / mb),
                    "≤ 256 MiB", through && num(r, "peakHeapBytes") <= 256 * mb));
            rows.add(new Row("2 memory", "allocation per alert", String.format("%.1f KB (page %.1f KB/alert)",
                    num(r, "allocatedBytes") / MEMORY_PAGE_ALERTS / 1024.0, largestPage / 1024.0 / MEMORY_PAGE_ALERTS),
                    "(reported)", null));
        }
    }

    private static String evidenceAlert(Random random, Instant at, List<String> types) {
        String id = "da" + Long.toUnsignedString(random.nextLong()) + "_" + random.nextInt(1_000_000);
        return AlertJson.alert(id, AlertJson.timestamp(at), random.nextBoolean() ? "New" : "InProgress", "High",
                AlertJson.CATEGORIES.get(random.nextInt(AlertJson.CATEGORIES.size())), types);
    }

    // --- 5. dedup -------------------------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private void dedup() throws Exception {
        Map<String, Object> r = Fork.start("dedup", outDir, List.of("-Xmx1g"), DedupRun.class,
                List.of(work("dedup").toString(), Integer.toString(DEDUP_KEYS)), null).await(600);
        raw.put("dedup", r);
        for (String kind : List.of("memory", "file")) {
            Map<String, Object> k = (Map<String, Object>) r.get(kind);
            Map<String, Object> small = (Map<String, Object>) r.get(kind + "AtFifth");
            double first = num(k, "addNanosFirstTenth");
            double last = num(k, "addNanosLastTenth");
            double hitSmall = num(small, "containsHitNanos");
            double hit = num(k, "containsHitNanos");
            String section = "5 dedup (" + kind + ")";
            rows.add(new Row(section, "insert at 10^5 keys → at 10^6 keys", String.format("%.0f ns → %.0f ns", first, last),
                    "constant (≤ 2×)", last <= 2 * first));
            rows.add(new Row(section, "lookup hit / miss at 10^6 keys (hit at 2·10^5)", String.format("%.0f / %.0f ns (%.0f ns)",
                    hit, num(k, "containsMissNanos"), hitSmall), "constant (≤ 2×)", hit <= 2 * hitSmall));
            rows.add(new Row(section, "heap per key", String.format("%.0f B", num(k, "heapBytesPerKey")), "(reported)", null));
            if (kind.equals("file")) {
                rows.add(new Row(section, "disk per key; replay of 10^6 keys at start", String.format("%.1f B; %d ms",
                        num(k, "diskBytesPerKey"), (long) num(k, "replayMillisAtStart")), "(reported)", null));
            }
            rows.add(new Row(section, "keys left once all pass the horizon; eviction pass at 10^6",
                    String.format("%d; %.0f ms once a minute", (long) num(k, "keysAfterHorizon"), num(k, "evictionPassMillis")),
                    "bounded by age", num(k, "keysAfterHorizon") <= 1));
        }
    }

    // --- 6. start-up ----------------------------------------------------------------------------------------------

    private void startup() throws Exception {
        Path jar = projectDir.resolve("target").resolve("defender-alert-routes-runnable.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run with 'package' or 'verify' first");
        }
        try (DefenderEmulator emulator = DefenderEmulator.start(0)) {
            emulator.registerClient(BenchSupport.TENANT, Bundle.CLIENT_ID, Bundle.CLIENT_SECRET);
            List<Double> ready = new ArrayList<>();
            List<Double> firstCall = new ArrayList<>();
            List<String> camelLines = new ArrayList<>();
            for (int run = 0; run < STARTUP_RUNS; run++) {
                double[] times = startOnce(emulator, jar, "startup-" + run, List.of(), camelLines);
                ready.add(times[0]);
                firstCall.add(times[1]);
            }
            // the same starts from an application class-data archive (AppCDS), made by one training start that is
            // not counted: the JVM maps the classes the start-up loads instead of reading and verifying them again
            Path archive = outDir.resolve("defender-alert-routes.jsa");
            Files.deleteIfExists(archive);
            startOnce(emulator, jar, "startup-cds-training", List.of("-XX:ArchiveClassesAtExit=" + archive), new ArrayList<>());
            List<Double> cdsReady = new ArrayList<>();
            List<Double> cdsFirstCall = new ArrayList<>();
            if (Files.exists(archive)) {
                for (int run = 0; run < STARTUP_RUNS; run++) {
                    double[] times = startOnce(emulator, jar, "startup-cds-" + run, List.of("-XX:SharedArchiveFile=" + archive),
                            new ArrayList<>());
                    cdsReady.add(times[0]);
                    cdsFirstCall.add(times[1]);
                }
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("readyMillis", ready);
            r.put("firstApiCallMillis", firstCall);
            r.put("cdsReadyMillis", cdsReady);
            r.put("cdsFirstApiCallMillis", cdsFirstCall);
            r.put("cdsArchiveBytes", Files.exists(archive) ? Files.size(archive) : 0);
            r.put("camelStartedLines", camelLines);
            double readyMedian = BenchSupport.median(ready);
            double callMedian = BenchSupport.median(firstCall);
            if (readyMedian >= 3000 || callMedian >= 3000) {
                // one more start, under the flight recorder and not counted, shows where the time goes
                Path jfr = outDir.resolve("startup.jfr");
                Files.deleteIfExists(jfr);
                double[] profiled = startOnce(emulator, jar, "startup-profiled", List.of(
                        "-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true"), new ArrayList<>());
                r.put("profiledRunMillis", profiled);
                r.put("cpuProfile", Profiles.summarize(jfr, "jdk.ExecutionSample", t -> true));
            }
            raw.put("startup", r);
            rows.add(new Row("6 start-up", String.format("java -jar → routes up, scheduler starting (median of %d)", STARTUP_RUNS),
                    String.format("%.2f s", readyMedian / 1000), "< 3 s", readyMedian < 3000));
            rows.add(new Row("6 start-up", "java -jar → first poll's API call (poll on start)",
                    String.format("%.2f s", callMedian / 1000), "< 3 s", callMedian < 3000));
            if (!cdsReady.isEmpty()) {
                double cdsReadyMedian = BenchSupport.median(cdsReady);
                double cdsCallMedian = BenchSupport.median(cdsFirstCall);
                rows.add(new Row("6 start-up", String.format("with AppCDS (-XX:SharedArchiveFile, %d MiB archive): routes up",
                        Files.size(archive) >> 20), String.format("%.2f s", cdsReadyMedian / 1000), "< 3 s", cdsReadyMedian < 3000));
                rows.add(new Row("6 start-up", "with AppCDS: first poll's API call",
                        String.format("%.2f s", cdsCallMedian / 1000), "< 3 s", cdsCallMedian < 3000));
            } else {
                rows.add(new Row("6 start-up", "with AppCDS: the training start wrote no archive", "-", "< 3 s", false));
            }
        }
    }

    /** One start of the jar as users run it; milliseconds to camel-main's started line and to the first API call. */
    private double[] startOnce(DefenderEmulator emulator, Path jar, String name, List<String> flags, List<String> camelLines)
            throws Exception {
        Path dir = work(name);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(flags);
        command.addAll(BenchSupport.trustFlags());
        BenchSupport.bundleSettings(emulator.baseUrl(), dir).forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-Ddefender.poll.on-start=true");
        command.add("-jar");
        command.add(jar.toString());
        int callsBefore = emulator.apiRequests(BenchSupport.TENANT);
        AtomicLong startedLine = new AtomicLong(-1);
        long t0 = System.nanoTime();
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        Path log = outDir.resolve("logs").resolve(name + ".log");
        Files.createDirectories(log.getParent());
        CountDownLatch drained = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 var out = Files.newBufferedWriter(log)) {
                String line;
                while ((line = lines.readLine()) != null) {
                    // camel-main's line once every route is up; the scheduler starts right after it
                    if (line.contains(") started in ") && startedLine.get() < 0) {
                        startedLine.set(System.nanoTime() - t0);
                        camelLines.add(line.substring(line.indexOf("Apache Camel")));
                    }
                    out.write(line);
                    out.write('\n');
                }
            } catch (IOException e) {
                // the process ended
            } finally {
                drained.countDown();
            }
        });
        reader.setDaemon(true);
        reader.start();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(60);
        while (emulator.apiRequests(BenchSupport.TENANT) == callsBefore && System.nanoTime() < deadline && process.isAlive()) {
            Thread.sleep(1);
        }
        long call = System.nanoTime() - t0;
        boolean polled = emulator.apiRequests(BenchSupport.TENANT) > callsBefore;
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        drained.await(10, TimeUnit.SECONDS);
        if (!polled || startedLine.get() < 0) {
            throw new IllegalStateException("the jar did not start and poll within 60 s; see " + log);
        }
        return new double[] {startedLine.get() / 1e6, call / 1e6};
    }

    // --- 4. latency -----------------------------------------------------------------------------------------------

    private void latency(String bootstrap) throws Exception {
        try (DefenderEmulator emulator = DefenderEmulator.start(0)) {
            emulator.registerClient(BenchSupport.TENANT, Bundle.CLIENT_ID, Bundle.CLIENT_SECRET);
            String topic = "latency";
            BenchSupport.createTopic(bootstrap, topic, true);
            Map<String, Long> appeared = new ConcurrentHashMap<>();
            Map<String, Long> onKafka = new ConcurrentHashMap<>();
            AtomicBoolean consuming = new AtomicBoolean(true);
            Thread consumer = new Thread(() -> {
                try (KafkaConsumer<String, byte[]> c = BenchSupport.consumer(bootstrap, topic)) {
                    while (consuming.get()) {
                        for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(100))) {
                            onKafka.putIfAbsent(record.key(), record.timestamp());
                        }
                    }
                }
            }, "latency-consumer");
            consumer.start();
            Fork fork = Fork.start("latency", outDir, List.of("-Xmx512m"), LatencyRun.class,
                    List.of(emulator.baseUrl(), bootstrap, topic, work("latency").toString()), null);
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (emulator.apiRequests(BenchSupport.TENANT) == 0) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the bundle did not poll within 60 s of its start");
                    }
                    Thread.sleep(1);
                }
                long firstPoll = System.currentTimeMillis();
                // alerts appear at random (Poisson) times over whole intervals, stopping just before a poll
                long stopAt = firstPoll + LATENCY_INTERVALS * 60_000L - 1_500;
                Random random = new Random(5);
                while (true) {
                    long gap = (long) (-Math.log(1 - random.nextDouble()) * 600);
                    if (System.currentTimeMillis() + gap >= stopAt) {
                        break;
                    }
                    Thread.sleep(gap);
                    String alert = AlertJson.randomAlert(random, Instant.now());
                    emulator.putAlert(BenchSupport.TENANT, alert);
                    appeared.put(BenchSupport.JSON.readTree(alert).get("id").asText(), System.currentTimeMillis());
                }
                long waitUntil = firstPoll + LATENCY_INTERVALS * 60_000L + 45_000;
                while (onKafka.keySet().containsAll(appeared.keySet()) == false && System.currentTimeMillis() < waitUntil) {
                    Thread.sleep(100);
                }
                fork.tell("stop");
                fork.await(120);
            } finally {
                fork.kill();
                consuming.set(false);
                consumer.join(10_000);
            }
            double[] latencies = appeared.entrySet().stream().filter(e -> onKafka.containsKey(e.getKey()))
                    .mapToDouble(e -> (onKafka.get(e.getKey()) - e.getValue()) / 1000.0).toArray();
            int missing = appeared.size() - latencies.length;
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("samples", latencies.length);
            r.put("missing", missing);
            r.put("intervals", LATENCY_INTERVALS);
            r.put("p50Seconds", BenchSupport.percentile(latencies, 50));
            r.put("p99Seconds", BenchSupport.percentile(latencies, 99));
            r.put("maxSeconds", Arrays.stream(latencies).max().orElse(Double.NaN));
            r.put("minSeconds", Arrays.stream(latencies).min().orElse(Double.NaN));
            r.put("apiCalls", emulator.apiRequests(BenchSupport.TENANT));
            r.put("tokenRequests", emulator.tokenRequests(BenchSupport.TENANT));
            raw.put("latency", r);
            String over = String.format("%d alerts over %d min, 1-min interval", latencies.length, LATENCY_INTERVALS);
            rows.add(new Row("4 latency", "emulator → Kafka p50 (" + over + ")",
                    String.format("%.1f s", num(r, "p50Seconds")), "", null));
            rows.add(new Row("4 latency", "emulator → Kafka p99 (max " + String.format("%.1f s", num(r, "maxSeconds")) + ")",
                    String.format("%.1f s", num(r, "p99Seconds")), "≤ 62 s, none lost",
                    num(r, "p99Seconds") <= 62 && missing == 0));
        }
    }

    // --- 3. API economy -------------------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private void economy(Map<String, Object> r) {
        raw.put("economy", r);
        int steadyCalls = (int) num(r, "steadyCalls");
        int steadyPolls = (int) num(r, "steadyPolls");
        rows.add(new Row("3 API economy", "calls per poll, steady state, nothing new (" + steadyPolls + " polls)",
                String.format("%.2f", steadyCalls / (double) steadyPolls), "1 (minimum)", steadyCalls == steadyPolls));
        int catchUpCalls = (int) num(r, "catchUpCalls");
        int minimum = (int) num(r, "catchUpMinimumCalls");
        rows.add(new Row("3 API economy", String.format("catch-up of %,d alerts over 30 days, page %,d (%,d delivered)",
                (long) num(r, "catchUpAlerts"), (long) num(r, "pageSize"), (long) num(r, "catchUpDelivered")),
                catchUpCalls + " calls", minimum + " = ceil(N / page size)", catchUpCalls == minimum));
        rows.add(new Row("3 API economy", "token requests in that catch-up and the steady polls",
                Long.toString((long) num(r, "tokenRequests")), "1", num(r, "tokenRequests") == 1));
        // A token is reused until msal4j's refresh margin before its expiry; measured with short-lived tokens.
        List<Number> gaps = (List<Number>) r.get("reuseGapsMillis");
        double lifetime = num(r, "reuseTokenLifetimeSeconds");
        if (gaps != null && !gaps.isEmpty()) {
            double reuse = BenchSupport.median(gaps.stream().map(Number::doubleValue).toList()) / 1000.0;
            double margin = lifetime - reuse;
            double entraLifetime = 3599;
            double perHour = 3600 / (entraLifetime - margin);
            r.put("measuredRefreshMarginSeconds", margin);
            r.put("tokensPerHour", perHour);
            rows.add(new Row("3 API economy", String.format("token requests per hour at Entra's 3599 s tokens "
                    + "(msal4j renews %.0f s before expiry, measured)", margin), String.format("%.2f", perHour), "1",
                    perHour <= 1.0));
        } else {
            rows.add(new Row("3 API economy", "token requests per hour", "not measured: no token was renewed", "1", false));
        }
    }

    // --- report ---------------------------------------------------------------------------------------------------

    private void report(Duration took) throws IOException {
        Map<String, Object> machine = machine();
        StringBuilder table = new StringBuilder();
        table.append(String.format("%ndefender-alert-routes benchmark, %s%n", Instant.now()));
        table.append(String.format("machine: %s%n%n", machine.get("summary")));
        int w0 = 16;
        int w1 = Math.max(6, rows.stream().mapToInt(r -> r.figure.length()).max().orElse(0));
        int w2 = Math.max(5, rows.stream().mapToInt(r -> r.value.length()).max().orElse(0));
        int w3 = Math.max(6, rows.stream().mapToInt(r -> r.target.length()).max().orElse(0));
        String format = "%-" + w0 + "s  %-" + w1 + "s  %-" + w2 + "s  %-" + w3 + "s  %s%n";
        table.append(String.format(format, "part", "figure", "value", "target", "met"));
        table.append("-".repeat(w0 + w1 + w2 + w3 + 12)).append('\n');
        for (Row row : rows) {
            table.append(String.format(format, row.section, row.figure, row.value, row.target,
                    row.met == null ? "" : row.met ? "yes" : "NO"));
        }
        appendProfiles(table);
        table.append(String.format("%ntook %d min %d s; JSON: %s%nreproduce: %s%n", took.toMinutes(), took.toSecondsPart(),
                outDir.resolve("benchmark.json"), COMMAND));
        System.out.print(table);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("generated", Instant.now().toString());
        json.put("command", COMMAND);
        json.put("seconds", took.toSeconds());
        json.put("machine", machine);
        List<Map<String, Object>> figures = new ArrayList<>();
        for (Row row : rows) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("part", row.section);
            f.put("figure", row.figure);
            f.put("value", row.value);
            f.put("target", row.target);
            f.put("met", row.met);
            figures.add(f);
        }
        json.put("figures", figures);
        json.put("details", raw);
        BenchSupport.writeResult(outDir.resolve("benchmark.json"), json);
        Files.writeString(outDir.resolve("benchmark.txt"), table.toString());
    }

    /** The measured profiles behind the figures, so a missed target comes with where its time or memory went. */
    @SuppressWarnings("unchecked")
    private void appendProfiles(StringBuilder out) {
        profile(out, "throughput: bundle CPU samples by part", "throughput", "bundleCpuProfile", "partsPercent", 6);
        profile(out, "throughput: bundle CPU samples by first caller outside the JDK", "throughput", "bundleCpuProfile",
                "callersOutsideJdkPercent", 4);
        profile(out, "memory: sampled allocation by part", "memory", "allocationProfile", "partsPercent", 5);
        profile(out, "memory: sampled allocation by first caller outside the JDK", "memory", "allocationProfile",
                "callersOutsideJdkPercent", 4);
        Object memory = raw.get("memory");
        if (memory instanceof Map<?, ?> m && m.get("liveHeapHistogramTop") instanceof String histogram) {
            out.append("\nmemory: live heap once it passed half of -Xmx (class histogram, top 3)\n");
            histogram.lines().skip(2).limit(3).forEach(l -> out.append("    ").append(l.trim()).append('\n'));
        }
        if (raw.get("startup") instanceof Map<?, ?> startup && startup.get("cpuProfile") instanceof Map<?, ?> prof) {
            out.append(String.format("%nstart-up: %s classes loaded; camel-main: %s%n", prof.get("classesLoaded"),
                    startup.get("camelStartedLines") instanceof List<?> lines && !lines.isEmpty() ? lines.get(lines.size() / 2) : "?"));
        }
        profile(out, "start-up: CPU samples of one profiled start by part", "startup", "cpuProfile", "partsPercent", 6);
    }

    @SuppressWarnings("unchecked")
    private void profile(StringBuilder out, String title, String part, String profile, String key, int n) {
        if (!(raw.get(part) instanceof Map<?, ?> p) || !(p.get(profile) instanceof Map<?, ?> prof)
                || !(prof.get(key) instanceof Map<?, ?> shares)) {
            return;
        }
        out.append(String.format("%n%s (%s samples)%n", title, prof.get("samples")));
        ((Map<String, Object>) shares).entrySet().stream().limit(n)
                .forEach(e -> out.append(String.format("    %5.1f %%  %s%n", ((Number) e.getValue()).doubleValue(), e.getKey())));
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        int cores = Runtime.getRuntime().availableProcessors();
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(cpu);
        } catch (IOException e) {
            // not Linux: the CPU model stays unknown
        }
        m.put("cores", cores);
        m.put("cpu", cpu);
        m.put("memoryBytes", memory);
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("summary", String.format("%d cores (%s), %.1f GiB, %s, %s", cores, cpu, memory / (1024.0 * 1024 * 1024),
                m.get("java"), m.get("os")));
        return m;
    }

    private static double num(Map<String, Object> map, String key) {
        Object value = map.get(key);
        if (!(value instanceof Number number)) {
            throw new IllegalStateException("no figure '" + key + "' in " + map.keySet());
        }
        return number.doubleValue();
    }

    private record Row(String section, String figure, String value, String target, Boolean met) {
    }
}
