package io.defenderalertroutes.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import io.defenderalertroutes.state.LocalDedupStore;

/**
 * {@link LocalDedupStore} at 10^6 keys, in memory and file-backed: cost of an insert and of a lookup (hit and
 * miss) at 10^5 and at 10^6 keys (constant time shows as equal costs), heap and disk per key, the once-a-minute
 * eviction pass, the replay of a full file at start, and what is left once the keys pass the horizon.
 *
 * <p>Keys look like MDE alert ids ({@code da<ticks>_<int>}). Args: result file, work directory, keys.
 */
public final class DedupRun {

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Path dir = Files.createDirectories(Path.of(args[1]));
        int keys = Integer.parseInt(args[2]);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("keys", keys);
        // warm the JIT on a throw-away repository of each kind, so the first measured kind is not penalised
        for (String kind : new String[] {"memory", "file"}) {
            result.put(kind + "AtFifth", measure(kind, dir.resolve("warm-" + kind), keys / 5, false));
        }
        for (String kind : new String[] {"memory", "file"}) {
            result.put(kind, measure(kind, dir.resolve(kind), keys, true));
        }
        BenchSupport.writeResult(out, result);
        System.exit(0);
    }

    private static Map<String, Object> measure(String kind, Path dir, int keys, boolean full) throws Exception {
        Files.createDirectories(dir);
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        Supplier<Instant> horizon = () -> clock.instant().minus(Duration.ofDays(30));
        Path file = kind.equals("file") ? dir.resolve("contoso.dedup") : null;
        if (file != null) {
            Files.deleteIfExists(file);
        }
        Map<String, Object> r = new LinkedHashMap<>();

        // heap per key: keys made on the fly and held only by the repository, as in production
        long heapBefore = BenchSupport.heapUsedAfterGc();
        LocalDedupStore repo = new LocalDedupStore(file, horizon, clock);
        repo.start();
        Random random = new Random(1);
        int tenth = keys / 10;
        double[] addNanosByTenth = new double[10];
        for (int chunk = 0; chunk < 10; chunk++) {
            // made before the clock starts, dropped after: only the repository keeps them
            String[] batch = new String[tenth];
            for (int i = 0; i < tenth; i++) {
                batch[i] = key(random);
            }
            long t = System.nanoTime();
            for (String key : batch) {
                repo.add(key);
            }
            addNanosByTenth[chunk] = (System.nanoTime() - t) / (double) tenth;
        }
        long heapAfter = BenchSupport.heapUsedAfterGc();
        if (repo.size() != keys) {
            throw new IllegalStateException(kind + ": " + repo.size() + " keys held, expected " + keys);
        }
        r.put("addNanosFirstTenth", addNanosByTenth[0]);
        r.put("addNanosLastTenth", addNanosByTenth[9]);
        r.put("addNanosByTenth", addNanosByTenth);
        r.put("heapBytesPerKey", (heapAfter - heapBefore) / (double) keys);

        // lookups at full size, against keys of the same shape: half held, half never added
        Random replay = new Random(1);
        String[] hits = new String[Math.min(keys, 200_000)];
        for (int i = 0; i < keys; i++) {
            String key = key(replay);
            if (i % (keys / hits.length) == 0 && i / (keys / hits.length) < hits.length) {
                hits[i / (keys / hits.length)] = key;
            }
        }
        Random other = new Random(99);
        String[] misses = new String[hits.length];
        for (int i = 0; i < misses.length; i++) {
            misses[i] = key(other);
        }
        r.put("containsHitNanos", lookups(repo, hits, true));
        r.put("containsMissNanos", lookups(repo, misses, false));

        if (file != null) {
            r.put("diskBytesPerKey", Files.size(file) / (double) keys);
            repo.stop();
            // a restart replays the whole log
            long t = System.nanoTime();
            LocalDedupStore reopened = new LocalDedupStore(file, horizon, clock);
            reopened.start();
            r.put("replayMillisAtStart", (System.nanoTime() - t) / 1_000_000);
            repo = reopened;
        }
        if (full) {
            // in production the clock moves: one insert a minute pays a pass over every key
            clock.advance(Duration.ofMinutes(1));
            long t = System.nanoTime();
            repo.add(key(random));
            r.put("evictionPassMillis", (System.nanoTime() - t) / 1e6);
            // keys older than the horizon go: the repository is bounded by age, not by count
            clock.advance(Duration.ofDays(31));
            repo.add(key(random));
            r.put("keysAfterHorizon", repo.size());
            if (file != null) {
                r.put("diskBytesAfterHorizon", Files.size(file));
            }
        }
        repo.stop();
        return r;
    }

    /** Mean nanoseconds per contains over the keys, after a warm-up pass over them. */
    private static double lookups(LocalDedupStore repo, String[] keys, boolean expected) {
        for (String key : keys) {
            if (repo.contains(key) != expected) {
                throw new IllegalStateException("contains(" + key + ") was not " + expected);
            }
        }
        long t = System.nanoTime();
        int found = 0;
        for (int pass = 0; pass < 5; pass++) {
            for (String key : keys) {
                found += repo.contains(key) ? 1 : 0;
            }
        }
        long spent = System.nanoTime() - t;
        if (found != (expected ? 5 * keys.length : 0)) {
            throw new IllegalStateException("lookups changed their answer");
        }
        return spent / (5.0 * keys.length);
    }

    private static String key(Random random) {
        long ticks = 638_000_000_000_000_000L + (random.nextLong() & 0xFFFF_FFFF_FFFFL);
        return "da" + ticks + "_" + random.nextInt();
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
