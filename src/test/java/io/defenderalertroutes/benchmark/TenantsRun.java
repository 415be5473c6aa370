package io.defenderalertroutes.benchmark;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.emulator.DefenderEmulator;
import io.defenderalertroutes.observe.PollHealthCheck;
import io.defenderalertroutes.tenant.TenantNames;
import io.defenderalertroutes.testsupport.Bundle;
import org.apache.camel.health.HealthCheckRegistry;

/**
 * One process polling many tenants: N tenants of the emulator, 40 alerts each, a one-minute interval, polled at
 * once; from the start of the application to every route up, to every tenant's first poll done, then whether each
 * tenant is polled in each of the following intervals; resident memory, heap and threads once all polled.
 *
 * <p>Args: result file, tenants, work directory, intervals to watch, the emulator's URL (see {@link #seed}).
 */
public final class TenantsRun {

    static String name(int i) {
        return String.format("t%04d", i);
    }

    static String tenantId(int i) {
        return String.format("00000000-0000-4000-8000-%012d", i);
    }

    /** The tenants of a run in the emulator, 40 alerts each over the last ten hours. */
    static void seed(DefenderEmulator emulator, int tenants) {
        Random random = new Random(7);
        Instant now = Instant.now();
        for (int i = 0; i < tenants; i++) {
            emulator.registerClient(tenantId(i), Bundle.CLIENT_ID, Bundle.CLIENT_SECRET);
            for (int a = 0; a < 40; a++) {
                emulator.putAlert(tenantId(i), AlertJson.randomAlert(random, now.minus(Duration.ofMinutes(10 + random.nextInt(600)))));
            }
        }
    }

    public static void main(String[] args) throws Exception {
        BenchSupport.trustEmulator();
        Path out = Path.of(args[0]);
        int tenants = Integer.parseInt(args[1]);
        Path dir = Files.createDirectories(Path.of(args[2]));
        int intervals = Integer.parseInt(args[3]);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("tenants", tenants);
        // the emulator runs in the parent process: this one's -Xmx512m is the bundle's alone
        String emulatorUrl = args[4];
        Map<String, String> settings = BenchSupport.bundleSettings(emulatorUrl, dir);
        settings.remove("defender.tenant-id");
        settings.remove("defender.tenant-name");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < tenants; i++) {
            String name = name(i);
            settings.put("defender.tenant." + name + ".tenant-id", tenantId(i));
            names.add(name);
        }
        settings.put("defender.tenants", String.join(",", names));
        settings.put("defender.poll.interval", "PT1M");
        settings.put("defender.poll.on-start", "true");
        settings.put("defender.sinks", "file");

        long start = System.nanoTime();
        try (Bundle bundle = Bundle.start(settings)) {
            long routesUp = System.nanoTime() - start;
            HealthCheckRegistry health = HealthCheckRegistry.get(bundle.context());
            List<PollHealthCheck> checks = names.stream().map(n -> (PollHealthCheck) health
                    .getCheck(new TenantNames(n).healthCheckId()).orElseThrow()).toList();
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (checks.stream().anyMatch(c -> c.succeededCount() < 1) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            long firstPolls = System.nanoTime() - start;
            long polledFirst = checks.stream().filter(c -> c.succeededCount() >= 1).count();
            System.gc();
            var memory = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            result.put("routesUpMillis", routesUp / 1_000_000);
            result.put("firstPollsDoneMillis", firstPolls / 1_000_000);
            result.put("tenantsPolledOnce", polledFirst);
            result.put("residentBytes", residentBytes());
            result.put("heapUsedAfterGcBytes", memory.getUsed());
            result.put("heapMaxBytes", memory.getMax());
            result.put("threads", ManagementFactory.getThreadMXBean().getThreadCount());
            result.put("routes", bundle.context().getRoutes().size());
            // each following interval: was every tenant polled in it?
            List<Long> polledPerInterval = new ArrayList<>();
            for (int i = 1; i <= intervals; i++) {
                long[] before = checks.stream().mapToLong(PollHealthCheck::succeededCount).toArray();
                Thread.sleep(Duration.ofMinutes(1).toMillis());
                long polled = 0;
                for (int t = 0; t < checks.size(); t++) {
                    if (checks.get(t).succeededCount() > before[t]) {
                        polled++;
                    }
                }
                polledPerInterval.add(polled);
            }
            result.put("tenantsPolledPerInterval", polledPerInterval);
            result.put("threadsAtEnd", ManagementFactory.getThreadMXBean().getThreadCount());
        }
        BenchSupport.writeResult(out, result);
        System.exit(0);
    }

    private static long residentBytes() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }
}
