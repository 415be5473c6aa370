package io.defenderalertroutes.packaged;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import io.defenderalertroutes.emulator.DefenderEmulator;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.JarInstance;
import io.defenderalertroutes.testsupport.KafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Two instances of the jar for one tenant, one broker, one emulator: one leads and polls, the other stands by.
 * The leader is killed (-9) in the middle of a poll; the other takes over and finishes it, and the topic ends up
 * with every alert, the repeats counted and limited to what was in flight.
 */
@ResourceLock(JarInstance.FLEET)
class HighAvailabilityIT {

    private static final int ALERTS = 400;

    @TempDir
    Path dir;

    private final List<JarInstance> instances = new ArrayList<>();

    private JarInstance start(String name, Map<String, String> env) throws Exception {
        JarInstance instance = JarInstance.start(name, dir.resolve(name), env);
        instances.add(instance);
        return instance;
    }

    @Test
    void whenTheLeaderDiesMidPollTheStandbyTakesOverAndNothingIsLost() throws Exception {
        String topic = KafkaBroker.uniqueTopic("ha-alerts");
        try (DefenderEmulator emulator = Emulated.tenant()) {
            Instant first = Instant.now().minus(Duration.ofHours(6));
            Set<String> served = new TreeSet<>(Emulated.seed(emulator, "ha", ALERTS, first, Duration.ofSeconds(30)));
            // pages that take a while, so that the leader is surely mid-poll when it dies
            emulator.setResponseDelay(Duration.ofMillis(400));
            Map<String, String> env = Emulated.jarEnvironment(emulator, "ha");
            env.put("DEFENDER_POLL_PAGE_SIZE", "20");
            env.put("DEFENDER_SINKS", "kafka");
            env.put("DEFENDER_SINK_KAFKA_TOPIC", topic);
            env.putAll(Map.of(
                    "DEFENDER_HA", "file",
                    "DEFENDER_STATE_DIR", dir.resolve("shared-state").toString(),
                    "DEFENDER_DEDUP", "kafka",
                    "DEFENDER_DEDUP_KAFKA_TOPIC", topic + "-dedup",
                    "CAMEL_COMPONENT_KAFKA_BROKERS", KafkaBroker.bootstrapServers()));

            try {
                JarInstance a = start("a", env);
                JarInstance b = start("b", env);
                await().atMost(Duration.ofSeconds(90)).until(() -> {
                    String ra = a.role();
                    String rb = b.role();
                    return (ra.equals("leader") && rb.equals("standby")) || (rb.equals("leader") && ra.equals("standby"));
                });
                JarInstance leader = a.role().equals("leader") ? a : b;
                JarInstance standby = leader == a ? b : a;

                await().atMost(Duration.ofSeconds(60)).until(() -> KafkaBroker.consume(topic, 60, Duration.ofMillis(500)).size() >= 60);
                leader.kill();
                assertFalse(leader.process().isAlive(), "killed");
                int beforeTakeover = KafkaBroker.all(topic).size();
                assertTrue(beforeTakeover < ALERTS, "the leader died mid-poll, having delivered " + beforeTakeover);
                long killedAt = System.nanoTime();

                emulator.setResponseDelay(Duration.ZERO);
                await().atMost(Duration.ofSeconds(60)).until(() -> standby.role().equals("leader"));
                long takeoverMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
                await().atMost(Duration.ofSeconds(120)).until(() ->
                        Files.exists(dir.resolve("shared-state/ha.checkpoint")));

                // the checkpoint is written only once every record of the poll is acknowledged
                List<ConsumerRecord<String, byte[]>> records = KafkaBroker.all(topic);
                Set<String> delivered = new TreeSet<>();
                records.forEach(r -> delivered.add(r.key()));
                int repeats = records.size() - delivered.size();
                System.out.printf("HA takeover: %d alerts served, %d delivered by the leader before kill -9, %d distinct "
                        + "on the topic, %d repeats, standby led after %d ms%n", ALERTS, beforeTakeover, delivered.size(),
                        repeats, takeoverMillis);
                assertEquals(served, delivered, "every alert delivered");
                // the Kafka sink sends a page's records together and adds their dedup keys once Kafka acknowledged
                // them: a kill between the two repeats at most that page (defender.sink.kafka.batch=false: one alert)
                assertTrue(repeats <= 20, "repeats limited to the page in flight at the kill (20 alerts), were " + repeats);
                assertTrue(takeoverMillis < 30_000, "takeover within seconds, took " + takeoverMillis + " ms");
                assertTrue(standby.output().contains("acquired"), standby.output());
            } catch (AssertionError | RuntimeException e) {
                for (JarInstance instance : instances) {
                    System.out.println("---- instance " + instance.name() + " ----\n" + instance.output());
                }
                throw e;
            } finally {
                for (JarInstance instance : instances) {
                    instance.close();
                }
            }
        }
    }
}
