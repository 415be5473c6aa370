package io.defenderalertroutes.benchmark;

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
import io.defenderalertroutes.schedule.PollTimers;
import io.defenderalertroutes.testsupport.Bundle;

/**
 * API calls and token requests the bundle makes, counted by the emulator: a catch-up of N alerts spread over the
 * 30-day historical start, then polls with nothing new. Then how long msal4j reuses a token, measured with tokens
 * that live a little over its refresh margin, which is what turns a token lifetime into token requests per hour.
 *
 * <p>Args: result file, work directory, catch-up alerts, steady polls, token lifetime for the reuse test (s),
 * reuse test duration (s), seconds between its polls.
 */
public final class EconomyRun {

    public static void main(String[] args) throws Exception {
        BenchSupport.trustEmulator();
        Path out = Path.of(args[0]);
        Path dir = Path.of(args[1]);
        int catchUp = Integer.parseInt(args[2]);
        int steadyPolls = Integer.parseInt(args[3]);
        int shortLifetime = Integer.parseInt(args[4]);
        int reuseSeconds = Integer.parseInt(args[5]);
        int reusePollEvery = Integer.parseInt(args[6]);
        Map<String, Object> result = new LinkedHashMap<>();

        try (DefenderEmulator emulator = DefenderEmulator.start(0)) {
            emulator.registerClient(BenchSupport.TENANT, Bundle.CLIENT_ID, Bundle.CLIENT_SECRET);
            Random random = new Random(7);
            Instant now = Instant.now();
            long span = Duration.ofDays(30).minus(Duration.ofHours(1)).toMillis();
            for (int i = 0; i < catchUp; i++) {
                emulator.putAlert(BenchSupport.TENANT,
                        AlertJson.randomAlert(random, now.minusMillis(60_000 + (long) (random.nextDouble() * span))));
            }
            Map<String, String> settings = BenchSupport.bundleSettings(emulator.baseUrl(), Files.createDirectories(dir.resolve("economy")));
            try (Bundle bundle = Bundle.start(settings)) {
                PollTimers.pollNow(bundle.context(), "contoso", Duration.ofMinutes(5));
                int catchUpCalls = emulator.apiRequests(BenchSupport.TENANT);
                // the page size the bundle asked for, whatever configured it
                String firstQuery = emulator.requestQueries(BenchSupport.TENANT).get(0);
                java.util.regex.Matcher top = java.util.regex.Pattern.compile("\\$top=(\\d+)").matcher(firstQuery);
                if (!top.find()) {
                    throw new IllegalStateException("no $top in the bundle's query " + firstQuery);
                }
                int pageSize = Integer.parseInt(top.group(1));
                result.put("catchUpAlerts", catchUp);
                result.put("pageSize", pageSize);
                result.put("catchUpCalls", catchUpCalls);
                result.put("catchUpMinimumCalls", (catchUp + pageSize - 1) / pageSize);
                result.put("catchUpQueries", emulator.requestQueries(BenchSupport.TENANT));
                long delivered;
                try (var files = Files.walk(dir.resolve("economy").resolve("alerts"))) {
                    delivered = files.filter(Files::isRegularFile).count();
                }
                result.put("catchUpDelivered", delivered);
                for (int i = 0; i < steadyPolls; i++) {
                    PollTimers.pollNow(bundle.context(), "contoso", Duration.ofMinutes(1));
                }
                result.put("steadyPolls", steadyPolls);
                result.put("steadyCalls", emulator.apiRequests(BenchSupport.TENANT) - catchUpCalls);
                result.put("tokenRequests", emulator.tokenRequests(BenchSupport.TENANT));
            }
        }

        try (DefenderEmulator emulator = DefenderEmulator.start(0)) {
            emulator.registerClient(BenchSupport.TENANT, Bundle.CLIENT_ID, Bundle.CLIENT_SECRET);
            emulator.setTokenLifetime(Duration.ofSeconds(shortLifetime));
            Map<String, String> settings = BenchSupport.bundleSettings(emulator.baseUrl(), Files.createDirectories(dir.resolve("tokens")));
            try (Bundle bundle = Bundle.start(settings)) {
                List<Long> fetchedAt = new ArrayList<>();
                long start = System.nanoTime();
                int seen = 0;
                int polls = 0;
                while (System.nanoTime() - start < Duration.ofSeconds(reuseSeconds).toNanos()) {
                    PollTimers.pollNow(bundle.context(), "contoso", Duration.ofMinutes(1));
                    polls++;
                    int tokens = emulator.tokenRequests(BenchSupport.TENANT);
                    for (; seen < tokens; seen++) {
                        fetchedAt.add((System.nanoTime() - start) / 1_000_000);
                    }
                    Thread.sleep(reusePollEvery * 1000L);
                }
                List<Long> gaps = new ArrayList<>();
                for (int i = 1; i < fetchedAt.size(); i++) {
                    gaps.add(fetchedAt.get(i) - fetchedAt.get(i - 1));
                }
                result.put("reuseTokenLifetimeSeconds", shortLifetime);
                result.put("reusePolls", polls);
                result.put("reuseTokenFetchedAtMillis", fetchedAt);
                result.put("reuseGapsMillis", gaps);
            }
        }
        BenchSupport.writeResult(out, result);
        System.exit(0);
    }
}
