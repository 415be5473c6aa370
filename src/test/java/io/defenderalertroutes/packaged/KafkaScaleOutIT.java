package io.defenderalertroutes.packaged;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.defenderalertroutes.emulator.DefenderEmulator;
import io.defenderalertroutes.testsupport.JarInstance;
import io.defenderalertroutes.testsupport.KafkaBroker;
import io.defenderalertroutes.testsupport.PlaybookHandler;
import io.defenderalertroutes.testsupport.TenantFleet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Scale-out without a shared disk ({@code defender.ha=kafka}): three packaged jars, each with a state directory of
 * its own, share 60 tenants through a Kafka consumer group on one real broker; checkpoints and dedup keys live in
 * Kafka. Every alert reaches the playbook handler; each instance leads a share of the tenants; after {@code kill -9} of one instance its
 * tenants are polled by the others within the group's session timeout, a fourth instance started afterwards takes its
 * share, and nothing is lost, repeats coming only from polls in flight.
 */
@ResourceLock(JarInstance.FLEET)
class KafkaScaleOutIT {

    private static final int TENANTS = 60;
    private static final int ALERTS = 10;
    private static final int SESSION_TIMEOUT_MS = 10_000;
    private static final Duration INTERVAL = Duration.ofSeconds(15);
    private static final String LATE_START = "a poll began after this instance lost the tenant's lead";

    @TempDir
    Path dir;

    @Test
    void sixtyTenantsOverThreeInstancesBalancedTakenOverAndRebalancedWithNothingLost() throws Exception {
        try (DefenderEmulator emulator = DefenderEmulator.start(0); PlaybookHandler handler = new PlaybookHandler()) {
            TenantFleet fleet = new TenantFleet("s", 0x5ca1e000, TENANTS, emulator);
            Map<String, String> served = fleet.served();
            Instant first = Instant.now().minus(Duration.ofHours(2));
            for (int i = 0; i < TENANTS; i++) {
                for (int a = 0; a < ALERTS; a++) {
                    fleet.putAlert(emulator, i, String.format("%s-a%02d", fleet.name(i), a), first.plusSeconds(60L * a));
                }
            }
            String run = KafkaBroker.uniqueTopic("scale");
            Map<String, String> env = fleet.environment(emulator, run + "-dedup", handler.url("/playbook"), 5);
            env.put("DEFENDER_POLL_INTERVAL", INTERVAL.toString());
            env.put("DEFENDER_HA", "kafka");
            env.put("DEFENDER_HA_KAFKA_GROUP", run + "-group");
            env.put("DEFENDER_HA_KAFKA_TOPIC", run + "-slots");
            env.put("DEFENDER_HA_KAFKA_CHECKPOINT_TOPIC", run + "-checkpoints");
            env.put("DEFENDER_HA_KAFKA_SESSION_TIMEOUT", Duration.ofMillis(SESSION_TIMEOUT_MS).toString());

            Map<String, JarInstance> instances = new LinkedHashMap<>();
            // every instance ever started, the killed one included, for the logs
            Map<String, JarInstance> started = new LinkedHashMap<>();
            try {
                for (String name : List.of("a", "b", "c")) {
                    // no directory is shared: each instance has its own
                    instances.put(name, JarInstance.start(name, dir.resolve(name), withState(env, dir.resolve(name)), "-Xmx384m"));
                    started.put(name, instances.get(name));
                }
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2))
                        .until(() -> delivered(handler).size() >= served.size());
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> led(instances.values()).values().stream().mapToInt(List::size).sum() == TENANTS);
                Map<String, Integer> before = counts(led(instances.values()));
                int repeatsBefore = handler.requests().size() - delivered(handler).size();

                // new alerts for every tenant, the API slow to answer, then kill -9 of the instance leading the most
                // tenants as soon as one of its tenants' polls has called the API: that poll is in flight
                String victimName = before.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
                JarInstance victim = instances.remove(victimName);
                Set<String> victimTenants = new HashSet<>(victim.tenantsLed());
                Map<String, Integer> callsBefore = new HashMap<>();
                for (int i = 0; i < TENANTS; i++) {
                    callsBefore.put(fleet.name(i), emulator.apiRequests(fleet.id(i)));
                }
                emulator.setResponseDelay(Duration.ofSeconds(3));
                Instant later = Instant.now();
                for (int i = 0; i < TENANTS; i++) {
                    fleet.putAlert(emulator, i, fleet.name(i) + "-b", later);
                }
                String[] inFlight = new String[1];
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20)).until(() -> {
                    for (int i = 0; i < TENANTS; i++) {
                        if (victimTenants.contains(fleet.name(i)) && emulator.apiRequests(fleet.id(i)) > callsBefore.get(fleet.name(i))) {
                            inFlight[0] = fleet.name(i);
                            return true;
                        }
                    }
                    return false;
                });
                Instant killed = Instant.now();
                victim.kill();
                emulator.setResponseDelay(Duration.ZERO);
                await().atMost(Duration.ofMillis(SESSION_TIMEOUT_MS * 3L)).pollInterval(Duration.ofMillis(250))
                        .until(() -> led(instances.values()).values().stream().mapToInt(List::size).sum() == TENANTS);
                Duration takeover = Duration.between(killed, Instant.now());
                Map<String, Integer> afterKill = counts(led(instances.values()));

                JarInstance joining = JarInstance.start("d", dir.resolve("d"), withState(env, dir.resolve("d")), "-Xmx384m");
                instances.put("d", joining);
                started.put("d", joining);
                Instant joined = Instant.now();
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                        .until(() -> {
                            Map<String, Integer> now = counts(led(instances.values()));
                            return now.getOrDefault("d", 0) > 0 && now.values().stream().mapToInt(Integer::intValue).sum() == TENANTS;
                        });
                Duration rebalance = Duration.between(joined, Instant.now());
                Map<String, Integer> afterJoin = counts(led(instances.values()));

                Instant last = Instant.now();
                for (int i = 0; i < TENANTS; i++) {
                    fleet.putAlert(emulator, i, fleet.name(i) + "-c", last);
                }
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2))
                        .until(() -> delivered(handler).keySet().containsAll(served.keySet()));
                Map<String, Integer> deliveries = delivered(handler);
                int repeats = handler.requests().size() - deliveries.size();
                // 60 tenants over four instances made no topic of any tenant's own: one for all their dedup keys
                Set<String> topics;
                try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
                        "bootstrap.servers", KafkaBroker.bootstrapServers()))) {
                    topics = admin.listTopics().names().get(30, java.util.concurrent.TimeUnit.SECONDS);
                }
                assertEquals(Set.of(run, run + "-dedup", run + "-slots", run + "-checkpoints"), topics.stream()
                        .filter(t -> t.startsWith(run)).collect(java.util.stream.Collectors.toSet()));
                assertTrue(java.util.stream.IntStream.range(0, TENANTS)
                        .noneMatch(i -> topics.contains("defender-dedup-" + fleet.name(i))), "no per-tenant dedup topic");

                System.out.printf("Kafka scale-out: %d tenants x %d alerts over 3 instances (no shared disk), interval %s, "
                        + "session timeout %d ms%n", TENANTS, ALERTS, INTERVAL, SESSION_TIMEOUT_MS);
                System.out.printf("  tenants led before the kill: %s; instance %s (%d tenants) killed -9 while its poll "
                        + "of %s waited for the API%n", before, victimName, victimTenants.size(), inFlight[0]);
                System.out.printf("  all %d tenants led by the others %.1f s after the kill: %s%n", TENANTS,
                        takeover.toMillis() / 1000.0, afterKill);
                System.out.printf("  instance d started: its share taken %.1f s later: %s%n", rebalance.toMillis() / 1000.0,
                        afterJoin);
                System.out.printf("  alerts: %d served, %d delivered, %d repeats (%d before the kill), 0 lost: %s%n",
                        served.size(), deliveries.size(), repeats, repeatsBefore,
                        served.keySet().equals(deliveries.keySet()));
                Map<String, Long> lateStarts = new TreeMap<>();
                for (JarInstance instance : started.values()) {
                    lateStarts.put(instance.name(), instance.output().lines().filter(l -> l.contains(LATE_START)).count());
                }
                System.out.printf("  polls that began as their tenant's lead went, and ended before reading: %s%n", lateStarts);

                assertEquals(served.keySet(), deliveries.keySet(), "every alert reaches the handler");
                assertEquals(3, before.size(), "three instances lead tenants: " + before);
                // a tenant's slot is a hash of its name (stable as tenants come and go), so the share is even only on
                // average: Kafka evens out the slots, and 60 tenants in 60 slots leave some slots with 2 or 3
                int fair = TENANTS / 3;
                assertTrue(before.values().stream().allMatch(n -> n >= fair / 3 && n <= 2 * fair),
                        "each instance leads a share of the tenants: " + before);
                assertTrue(afterJoin.values().stream().allMatch(n -> n >= TENANTS / 4 / 3 && n <= 2 * TENANTS / 4),
                        "each instance, d too, leads a share once d joined: " + afterJoin);
                assertTrue(takeover.toMillis() <= SESSION_TIMEOUT_MS * 2L, "taken over within the session timeout "
                        + "(and a rebalance): " + takeover);
                assertEquals(0, repeatsBefore, "no alert delivered twice before the kill");
                assertTrue(repeats <= victimTenants.size() * 5, "repeats only from polls in flight (a page each): " + repeats);
            } catch (AssertionError | RuntimeException e) {
                for (JarInstance instance : started.values()) {
                    String out = instance.output();
                    System.out.println("---- instance " + instance.name() + " (last 150 lines) ----");
                    out.lines().skip(Math.max(0, out.lines().count() - 150)).forEach(System.out::println);
                }
                throw e;
            } finally {
                for (JarInstance instance : instances.values()) {
                    instance.close();
                }
            }
        }
    }

    private static Map<String, String> withState(Map<String, String> env, Path home) {
        Map<String, String> own = new HashMap<>(env);
        own.put("DEFENDER_STATE_DIR", home.resolve("state").toString());
        return own;
    }

    private static Map<String, List<String>> led(java.util.Collection<JarInstance> instances) {
        Map<String, List<String>> led = new TreeMap<>();
        for (JarInstance instance : instances) {
            List<String> tenants = instance.tenantsLed();
            led.put(instance.name(), tenants == null ? List.of() : tenants);
        }
        return led;
    }

    private static Map<String, Integer> counts(Map<String, List<String>> led) {
        Map<String, Integer> counts = new TreeMap<>();
        led.forEach((name, tenants) -> counts.put(name, tenants.size()));
        return counts;
    }

    private static Map<String, Integer> delivered(PlaybookHandler handler) {
        return TenantFleet.delivered(handler);
    }
}
