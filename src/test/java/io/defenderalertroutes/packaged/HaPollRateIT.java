package io.defenderalertroutes.packaged;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.defenderalertroutes.emulator.DefenderEmulator;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.JarInstance;
import io.defenderalertroutes.testsupport.KafkaBroker;
import io.defenderalertroutes.testsupport.PlaybookHandler;
import io.defenderalertroutes.testsupport.TenantFleet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * What docker-compose deploys, scaled up on this 2-core machine: three packaged jars sharing one lock directory and
 * one state directory ({@code defender.ha=file}), 60 tenants of 40 alerts each, a 10-second interval and a one-second
 * heartbeat (the counting is the same at any interval; seconds make it a two-minute test), pages of 10,
 * dedup keys in Kafka, alerts to a playbook handler. Polls are counted from the instances' logs over several
 * intervals, then again after {@code kill -9} of the instance leading the most tenants: each tenant is polled at most
 * once per interval, plus once each time an instance takes it over, and every alert reaches the handler once.
 */
@ResourceLock(JarInstance.FLEET)
class HaPollRateIT {

    private static final int TENANTS = 60;
    private static final int ALERTS = 40;
    private static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);
    private static final Pattern POLL = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) .*Poll of tenant (t\\d+) done",
            Pattern.MULTILINE);
    private static final Pattern SKIPPED = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) .*Skipped a poll of tenant (t\\d+)",
            Pattern.MULTILINE);
    private static final Pattern GAINED = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) .*Lock on file \\S*defender-poll-(t\\d+) acquired",
            Pattern.MULTILINE);
    private static final Pattern LOST = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) .*Lock on file \\S*defender-poll-(t\\d+) lost",
            Pattern.MULTILINE);

    @TempDir
    Path dir;

    private record Event(Instant at, String tenant, String instance) {
    }

    private record Phase(String name, Instant from, Instant to) {
        boolean holds(Instant t) {
            return !t.isBefore(from) && t.isBefore(to);
        }

        double intervals() {
            return Duration.between(from, to).toMillis() / (double) INTERVAL.toMillis();
        }
    }

    @Test
    void eachTenantIsPolledOncePerIntervalPlusOncePerTakeover() throws Exception {
        try (DefenderEmulator emulator = DefenderEmulator.start(0); PlaybookHandler handler = new PlaybookHandler()) {
            TenantFleet fleet = new TenantFleet("t", 0x5eed0000, TENANTS, emulator);
            Map<String, String> served = fleet.served();
            Instant first = Instant.now().minus(Duration.ofHours(3));
            for (int i = 0; i < TENANTS; i++) {
                for (int a = 0; a < ALERTS; a++) {
                    fleet.putAlert(emulator, i, String.format("%s-a%02d", fleet.name(i), a), first.plusSeconds(60L * a));
                }
            }
            Map<String, String> env = fleet.environment(emulator, KafkaBroker.uniqueTopic("ha-rate-dedup"),
                    handler.url("/playbook"), 10);
            env.put("DEFENDER_POLL_INTERVAL", INTERVAL.toString());
            env.put("DEFENDER_HA_HEARTBEAT", HEARTBEAT.toString());
            env.put("DEFENDER_HA", "file");
            env.put("DEFENDER_STATE_DIR", dir.resolve("shared-state").toString());

            List<JarInstance> instances = new ArrayList<>();
            try {
                Instant started = Instant.now();
                for (String name : List.of("a", "b", "c")) {
                    instances.add(JarInstance.start(name, dir.resolve(name), env, "-Xmx512m"));
                }
                await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2))
                        .until(() -> delivered(handler).size() >= TENANTS * ALERTS);
                // a new alert for every tenant while the instances run
                Instant fresh = Instant.now();
                for (int i = 0; i < TENANTS; i++) {
                    fleet.putAlert(emulator, i, fleet.name(i) + "-b", fresh);
                }
                // several intervals of steady state, the first poll of every tenant included
                sleepUntil(started.plus(INTERVAL.multipliedBy(6)));
                int repeatsBeforeKill = handler.requests().size() - delivered(handler).size();

                JarInstance victim = instances.stream().max(Comparator.comparingInt(i -> led(i).size())).orElseThrow();
                List<String> victimTenants = led(victim);
                Instant killed = Instant.now();
                victim.kill();
                Instant later = Instant.now();
                for (int i = 0; i < TENANTS; i++) {
                    fleet.putAlert(emulator, i, fleet.name(i) + "-c", later);
                }
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2))
                        .until(() -> delivered(handler).keySet().containsAll(served.keySet()));
                sleepUntil(killed.plus(INTERVAL.multipliedBy(4)));
                Instant ended = Instant.now();
                for (JarInstance instance : instances) {
                    if (instance != victim) {
                        instance.close();
                    }
                }

                Map<String, Integer> deliveries = delivered(handler);
                int repeats = handler.requests().size() - deliveries.size();
                List<Event> polls = new ArrayList<>();
                List<Event> skipped = new ArrayList<>();
                List<Event> gained = new ArrayList<>();
                List<Event> lost = new ArrayList<>();
                for (JarInstance instance : instances) {
                    String log = instance.output();
                    polls.addAll(events(POLL, log, instance.name()));
                    skipped.addAll(events(SKIPPED, log, instance.name()));
                    gained.addAll(events(GAINED, log, instance.name()));
                    lost.addAll(events(LOST, log, instance.name()));
                }
                List<Phase> phases = List.of(new Phase("steady state", started, killed),
                        new Phase("after kill -9", killed, ended));

                System.out.printf("HA poll rate: %d instances, %d tenants x %d alerts, interval %s; instance %s led %d "
                        + "tenants and was killed -9%n", instances.size(), TENANTS, ALERTS, INTERVAL, victim.name(),
                        victimTenants.size());
                List<String> violations = new ArrayList<>();
                for (Phase phase : phases) {
                    Map<String, Long> perTenant = count(polls, phase);
                    Map<String, Long> takeovers = count(gained, phase);
                    long allowedBase = (long) Math.floor(phase.intervals()) + 1;
                    double maxPerInterval = 0;
                    for (int i = 0; i < TENANTS; i++) {
                        String t = fleet.name(i);
                        long n = perTenant.getOrDefault(t, 0L);
                        long allowed = allowedBase + takeovers.getOrDefault(t, 0L);
                        maxPerInterval = Math.max(maxPerInterval, n / phase.intervals());
                        if (n > allowed) {
                            violations.add(String.format("%s: tenant %s polled %d times in %.1f intervals, %d takeovers; "
                                    + "at most %d allowed", phase.name(), t, n, phase.intervals(),
                                    takeovers.getOrDefault(t, 0L), allowed));
                        }
                    }
                    long total = perTenant.values().stream().mapToLong(Long::longValue).sum();
                    System.out.printf("  %s: %.1f intervals, %d polls (%.2f per tenant per interval, max %.2f), %d "
                            + "skipped as too soon, %d leadership gains, %d losses%n", phase.name(), phase.intervals(),
                            total, total / (TENANTS * phase.intervals()), maxPerInterval,
                            count(skipped, phase).values().stream().mapToLong(Long::longValue).sum(),
                            count(gained, phase).values().stream().mapToLong(Long::longValue).sum(),
                            count(lost, phase).values().stream().mapToLong(Long::longValue).sum());
                }
                List<Long> gaps = new ArrayList<>();
                polls.stream().collect(Collectors.groupingBy(Event::tenant)).values().forEach(list -> {
                    List<Instant> times = list.stream().map(Event::at).sorted().toList();
                    for (int i = 1; i < times.size(); i++) {
                        gaps.add(Duration.between(times.get(i - 1), times.get(i)).toMillis());
                    }
                });
                gaps.sort(Long::compare);
                if (!gaps.isEmpty()) {
                    System.out.printf("  time between two polls of a tenant (all instances): min %.1f s, median %.1f s, "
                            + "max %.1f s%n", gaps.get(0) / 1000.0, gaps.get(gaps.size() / 2) / 1000.0,
                            gaps.get(gaps.size() - 1) / 1000.0);
                }
                System.out.printf("  alerts: %d served, %d distinct delivered, %d repeats (%d before the kill)%n",
                        served.size(), deliveries.size(), repeats, repeatsBeforeKill);

                assertEquals(served.keySet(), deliveries.keySet(), "every alert reaches the handler");
                assertEquals(0, repeatsBeforeKill, "no alert delivered twice before the kill");
                assertTrue(repeats <= victimTenants.size(),
                        "repeats only from the killed instance's polls in flight: " + repeats);
                assertEquals(List.of(), violations);
                // the log counts polls that completed (one INFO line each); the API calls Microsoft's side counted are
                // printed beside them, for the record
                Map<String, Long> completed = polls.stream().collect(Collectors.groupingBy(Event::tenant, Collectors.counting()));
                long calls = 0;
                for (int i = 0; i < TENANTS; i++) {
                    calls += emulator.apiRequests(fleet.id(i));
                }
                System.out.printf("  API calls: %d for %d completed polls%n", calls,
                        completed.values().stream().mapToLong(Long::longValue).sum());
            } catch (AssertionError | RuntimeException e) {
                for (JarInstance instance : instances) {
                    String out = instance.output();
                    System.out.println("---- instance " + instance.name() + " (last 200 lines) ----");
                    out.lines().skip(Math.max(0, out.lines().count() - 200)).forEach(System.out::println);
                }
                throw e;
            } finally {
                for (JarInstance instance : instances) {
                    instance.close();
                }
            }
        }
    }

    private static Map<String, Integer> delivered(PlaybookHandler handler) {
        return TenantFleet.delivered(handler);
    }

    private static List<String> led(JarInstance instance) {
        List<String> led = instance.tenantsLed();
        return led == null ? List.of() : led;
    }

    private static void sleepUntil(Instant when) {
        Duration wait = Duration.between(Instant.now(), when);
        if (!wait.isNegative()) {
            // waiting on the clock is the test's subject here: polls are counted over whole intervals
            await().pollDelay(wait).atMost(wait.plusSeconds(5)).until(() -> true);
        }
    }

    /** The log lines matching {@code pattern}, each with its time (logs carry the time of day only) and tenant. */
    private static List<Event> events(Pattern pattern, String log, String instance) {
        List<Event> events = new ArrayList<>();
        Matcher m = pattern.matcher(log);
        ZoneId zone = ZoneId.systemDefault();
        ZonedDateTime now = ZonedDateTime.now(zone);
        while (m.find()) {
            ZonedDateTime at = ZonedDateTime.of(LocalDate.now(zone), LocalTime.parse(m.group(1)), zone);
            if (at.isAfter(now.plusHours(1))) {
                at = at.minusDays(1);
            }
            events.add(new Event(at.toInstant(), m.group(2), instance));
        }
        return events;
    }

    private static Map<String, Long> count(List<Event> events, Phase phase) {
        return events.stream().filter(e -> phase.holds(e.at()))
                .collect(Collectors.groupingBy(Event::tenant, TreeMap::new, Collectors.counting()));
    }
}
