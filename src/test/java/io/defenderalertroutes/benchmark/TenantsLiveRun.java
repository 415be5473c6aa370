package io.defenderalertroutes.benchmark;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.defenderalertroutes.testsupport.Bundle;

/**
 * The bundle of the {@code tenants-live} part: every tenant from a file of a watched tenant directory, which the
 * parent changes while this process polls. The emulator, the files and the clock that times the polls are the
 * parent's, so this heap and these threads are the bundle's alone; the parent asks here only what it cannot see.
 *
 * <p>Args: result file, tenant directory, work directory, the emulator's URL, poll interval, rescan. Events:
 * {@code up} once started; then on stdin {@code routes} answers {@code routes <poller routes>} and {@code measure}
 * answers {@code measured <heap after GC> <threads> <poller routes>}; {@code stop} ends the run.
 */
public final class TenantsLiveRun {

    public static void main(String[] args) throws Exception {
        BenchSupport.trustEmulator();
        Path out = Path.of(args[0]);
        Path tenantsDir = Path.of(args[1]);
        Path dir = Files.createDirectories(Path.of(args[2]));
        Map<String, String> settings = BenchSupport.bundleSettings(args[3], dir);
        settings.remove("defender.tenant-id");
        settings.remove("defender.tenant-name");
        settings.put("defender.tenants.dir", tenantsDir.toString());
        settings.put("defender.tenants.dir.rescan", args[5]);
        settings.put("defender.poll.interval", args[4]);
        settings.put("defender.poll.on-start", "true");
        settings.put("defender.sinks", "file");
        Map<String, Object> result = new LinkedHashMap<>();
        long start = System.nanoTime();
        try (Bundle bundle = Bundle.start(settings)) {
            result.put("routesUpMillis", (System.nanoTime() - start) / 1_000_000);
            BenchSupport.event("up");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.equals("stop")) {
                if (line.equals("routes")) {
                    BenchSupport.event("routes " + pollers(bundle));
                } else if (line.equals("measure")) {
                    long heap = BenchSupport.heapUsedAfterGc();
                    BenchSupport.event("measured " + heap + " " + ManagementFactory.getThreadMXBean().getThreadCount()
                            + " " + pollers(bundle));
                }
            }
            result.put("routesAtEnd", bundle.context().getRoutes().size());
        }
        BenchSupport.writeResult(out, result);
        System.exit(0);
    }

    private static long pollers(Bundle bundle) {
        return bundle.context().getRoutes().stream().filter(r -> r.getRouteId().startsWith("defender-poll-")).count();
    }
}
