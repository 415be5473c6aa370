package io.defenderalertroutes.benchmark;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.defenderalertroutes.schedule.PollTimers;
import io.defenderalertroutes.testsupport.Bundle;

/**
 * One poll of a full page with evidence through the real routes in this JVM, run with a small heap. The emulator
 * and the broker live in the parent JVM, so this heap holds only the bundle. A small poll first loads the classes
 * and starts the token, HTTP and Kafka clients, so the figures are those of the page, not of the start.
 *
 * <p>Args: result file, emulator URL, kafka bootstrap, topic, work directory. Events: {@code warm} after the warm-up
 * poll, then it waits for a line on stdin (the parent has loaded the page's alerts).
 */
public final class MemoryRun {

    public static void main(String[] args) throws Exception {
        BenchSupport.trustEmulator();
        Path out = Path.of(args[0]);
        String emulatorUrl = args[1];
        String bootstrap = args[2];
        String topic = args[3];
        Path dir = Files.createDirectories(Path.of(args[4]));

        Map<String, String> settings = BenchSupport.bundleSettings(emulatorUrl, dir);
        settings.put("defender.sinks", "kafka,file");
        settings.put("defender.sink.kafka.topic", topic);
        settings.put("camel.component.kafka.brokers", bootstrap);
        settings.put("defender.poll.expand-evidence", "true");
        Map<String, Object> result = new LinkedHashMap<>();
        AtomicLong maxAfterGc = new AtomicLong();
        AtomicLong maxBeforeGc = new AtomicLong();
        try (Bundle bundle = Bundle.start(settings)) {
            PollTimers.pollNow(bundle.context(), "contoso", Duration.ofMinutes(2));
            BenchSupport.event("warm");
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();

            java.util.concurrent.atomic.AtomicReference<String> histogram = new java.util.concurrent.atomic.AtomicReference<>();
            listenToGc(maxBeforeGc, maxAfterGc, histogram);
            jdk.jfr.Recording recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
            long liveBefore = BenchSupport.heapUsedAfterGc();
            long[] gcBefore = BenchSupport.gcCountAndMillis();
            BenchSupport.resetHeapPeaks();
            maxBeforeGc.set(0);
            maxAfterGc.set(0);
            recording.start();
            Map<Long, Long> allocatedBefore = BenchSupport.allocatedBytes();
            long start = System.nanoTime();
            PollTimers.pollNow(bundle.context(), "contoso", Duration.ofMinutes(5));
            long elapsed = System.nanoTime() - start;
            recording.stop();
            Path jfr = out.resolveSibling("memory.jfr");
            recording.dump(jfr);
            long allocated = BenchSupport.allocatedBetween(allocatedBefore, BenchSupport.allocatedBytes());
            long peaks = BenchSupport.heapPeaks();
            long[] gcAfter = BenchSupport.gcCountAndMillis();

            result.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
            result.put("liveHeapBeforeBytes", liveBefore);
            // between collections the heap only grows, so its peak is what a collection found on arrival
            result.put("peakHeapBytes", maxBeforeGc.get());
            result.put("peakPoolSumBytes", peaks);
            result.put("maxHeapBeforeGcBytes", maxBeforeGc.get());
            result.put("maxHeapAfterGcBytes", maxAfterGc.get());
            result.put("allocatedBytes", allocated);
            result.put("pollMillis", elapsed / 1_000_000);
            result.put("gcCount", gcAfter[0] - gcBefore[0]);
            result.put("gcMillis", gcAfter[1] - gcBefore[1]);
            result.put("liveHeapHistogramTop", histogram.get());
            result.put("allocationProfile", Profiles.summarize(jfr, "jdk.ObjectAllocationSample", t -> true));
            result.put("gc", ManagementFactory.getGarbageCollectorMXBeans().stream().map(b -> b.getName()).toList());
        }
        BenchSupport.writeResult(out, result);
        System.exit(0);
    }

    /** Heap in use just before and just after each collection, as the collector itself reports it. */
    private static void listenToGc(AtomicLong maxBefore, AtomicLong maxAfter,
            java.util.concurrent.atomic.AtomicReference<String> histogram) {
        long max = Runtime.getRuntime().maxMemory();
        java.util.Set<String> heapPools = new java.util.HashSet<>();
        for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                if (!notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                    return;
                }
                var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                long before = heapUsed(info.getGcInfo().getMemoryUsageBeforeGc(), heapPools);
                long after = heapUsed(info.getGcInfo().getMemoryUsageAfterGc(), heapPools);
                maxBefore.accumulateAndGet(before, Math::max);
                maxAfter.accumulateAndGet(after, Math::max);
                // once the live set passes half the heap, what holds it (the histogram itself collects first)
                if (after > max / 2 && histogram.get() == null) {
                    histogram.set("pending");
                    new Thread(() -> histogram.set(liveHistogram()), "histogram").start();
                }
            }, null, null);
        }
    }

    private static long heapUsed(Map<String, java.lang.management.MemoryUsage> pools, java.util.Set<String> heapPools) {
        return pools.entrySet().stream().filter(e -> heapPools.contains(e.getKey()))
                .mapToLong(e -> e.getValue().getUsed()).sum();
    }

    private static String liveHistogram() {
        try {
            String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            return String.join("\n", text.lines().limit(10).toList());
        } catch (Exception e) {
            return "histogram failed: " + e;
        }
    }
}
