package io.defenderalertroutes.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import io.defenderalertroutes.schedule.PollTimers;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.EmulatedTenant;
import io.defenderalertroutes.testsupport.KafkaProcess;
import io.defenderalertroutes.testsupport.Management;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Kafka sink holds (its default, defender.sink.kafka.on-failure=hold): a broker stopped for two minutes in the
 * middle of a catch-up costs failed polls, not alerts, and no dead letter; once it is back the next poll delivers
 * everything, and the only repeats are alerts the poll in flight had sent before the broker went.
 */
class BrokerOutageTest {

    private static final String TOPIC = "outage-alerts";
    private static final int ALERTS = 400;
    /** Long enough for several polls to fail and hold (each fails after the producer's 5 s delivery timeout). */
    private static final Duration OUTAGE = Duration.ofSeconds(30);

    @RegisterExtension
    final EmulatedTenant tenant = new EmulatedTenant();

    @Test
    void aBrokerStoppedMidCatchUpLosesNothingAndDeadLettersNothing() throws Exception {
        List<String> ids = Emulated.seed(tenant.emulator(), "o", ALERTS, Instant.now().minus(Duration.ofDays(2)),
                Duration.ofMinutes(5));
        // a catch-up of 20 pages that takes a while: the broker goes in the middle of it
        tenant.emulator().setResponseDelay(Bundle.TENANT_ID, Duration.ofMillis(300));
        try (KafkaProcess broker = new KafkaProcess(tenant.dir().resolve("kafka"))) {
            broker.start();
            Management management = Management.on(tenant.settings());
            Map<String, String> settings = tenant.settings();
            settings.put("defender.sinks", "kafka");
            settings.put("defender.sink.kafka.topic", TOPIC);
            settings.put("defender.poll.page-size", "20");
            settings.put("defender.sink.retries", "1");
            settings.put("defender.sink.retry-delay", "PT0.2S");
            settings.put("camel.component.kafka.brokers", broker.bootstrapServers());
            settings.put("camel.component.kafka.request-timeout-ms", "2000");
            settings.put("camel.component.kafka.delivery-timeout-ms", "5000");
            settings.put("camel.component.kafka.max-block-ms", "5000");
            try (Bundle bundle = tenant.start()) {
                var scheduler = bundle.context().getComponent("quartz", org.apache.camel.component.quartz.QuartzComponent.class)
                        .getScheduler();
                scheduler.triggerJob(org.quartz.JobKey.jobKey("poll-contoso", "defender"));
                await().atMost(Duration.ofSeconds(60)).until(() -> broker.countByKey(TOPIC, 60, Duration.ofSeconds(5))
                        .values().stream().mapToInt(Integer::intValue).sum() >= 60);
                broker.stop();
                Instant stopped = Instant.now();

                // OUTAGE without a broker (several producer delivery timeouts long): the poll in flight and every poll after it fail, and hold
                int failedPolls = 0;
                while (Duration.between(stopped, Instant.now()).compareTo(OUTAGE) < 0) {
                    PollTimers.pollNow(bundle.context(), "contoso", Duration.ofSeconds(90));
                    // each takes its sink's retries and the producer's delivery timeout (5 s here) to fail
                    failedPolls = (int) failed(management);
                }
                assertTrue(failedPolls >= 2, "polls failed while the broker was down: " + failedPolls);
                assertFalse(Files.exists(tenant.dir().resolve("state/dead-letter")), "nothing was dead-lettered");
                String checkpointWhileDown = Files.exists(tenant.dir().resolve("state/contoso.checkpoint"))
                        ? Files.readString(tenant.dir().resolve("state/contoso.checkpoint")).trim() : "none";

                broker.start();
                long sentBeforeTheStop = broker.endOffset(TOPIC);
                // no operator action: the next polls deliver
                await().atMost(Duration.ofMinutes(3)).until(() -> {
                    PollTimers.pollNow(bundle.context(), "contoso", Duration.ofSeconds(90));
                    return Files.exists(tenant.dir().resolve("state/contoso.checkpoint"))
                            && !Files.readString(tenant.dir().resolve("state/contoso.checkpoint")).trim().equals(checkpointWhileDown)
                            && broker.endOffset(TOPIC) >= ALERTS;
                });
                Map<String, Integer> onTopic = broker.countByKey(TOPIC, ALERTS, Duration.ofSeconds(60));
                int records = onTopic.values().stream().mapToInt(Integer::intValue).sum();
                int repeats = records - onTopic.size();
                System.out.printf("Broker outage: stopped %d s mid-catch-up, after %d of %d alerts were on the topic; "
                        + "%d polls failed and held meanwhile, 0 dead-lettered; after the restart %d records for %d "
                        + "alerts, %d repeats (all from the poll in flight, which had sent %d)%n",
                        Duration.between(stopped, Instant.now()).toSeconds(), sentBeforeTheStop, ALERTS, failedPolls, records, onTopic.size(),
                        repeats, sentBeforeTheStop);
                assertEquals(new HashSet<>(ids), onTopic.keySet(), "every alert is on the topic");
                assertTrue(repeats <= sentBeforeTheStop, "repeats come only from the poll in flight: " + repeats);
                assertFalse(Files.exists(tenant.dir().resolve("state/dead-letter")), "nothing was dead-lettered");
            }
        }
    }

    private static double failed(Management management) throws Exception {
        return Management.sample(management.metrics(), "defender_polls_total", "tenant=\"contoso\"", "outcome=\"failed\"")
                .orElse(0);
    }
}
