package io.defenderalertroutes.state;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The topics the bundle keeps its own state in, created when missing (brokers often do not create them on demand). */
public final class KafkaTopics {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTopics.class);

    private KafkaTopics() {
    }

    /**
     * The topic's partition count, once the broker answering knows the topic: a topic just created (by this instance
     * or one starting beside it) reaches each broker's metadata a moment after its creation returns, and until then
     * the broker answers that it does not host it.
     */
    private static int partitionCount(Admin admin, String topic, long timeoutMillis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            try {
                return admin.describeTopics(List.of(topic)).allTopicNames().get(left, TimeUnit.MILLISECONDS)
                        .get(topic).partitions().size();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * Creates the topic when it is missing, with the broker's default replication.
     *
     * @param client        Kafka client settings (brokers, security); the ones an admin client takes are used
     * @param partitions    how many partitions a new topic gets
     * @param compacted     whether a new topic keeps only the latest record of each key
     * @param timeoutMillis how long the broker may take to answer
     * @return the topic's partition count (which may differ from {@code partitions} when it existed), once the
     *         broker knows the topic
     */
    public static int ensure(Properties client, String topic, int partitions, boolean compacted, long timeoutMillis)
            throws Exception {
        return ensure(client, topic, partitions, compacted, true, timeoutMillis).getAsInt();
    }

    /**
     * The topic's partition count, or none when it is missing and {@code create} is false: for a topic created at
     * deployment, where a cluster may forbid creating topics at run time.
     */
    public static java.util.OptionalInt ensure(Properties client, String topic, int partitions, boolean compacted,
            boolean create, long timeoutMillis) throws Exception {
        Properties adminProperties = new Properties();
        client.forEach((k, v) -> {
            if (AdminClientConfig.configNames().contains(k.toString())) {
                adminProperties.put(k, v);
            }
        });
        Admin admin = Admin.create(adminProperties);
        try {
            if (!admin.listTopics().names().get(timeoutMillis, TimeUnit.MILLISECONDS).contains(topic)) {
                if (!create) {
                    return java.util.OptionalInt.empty();
                }
                NewTopic created = new NewTopic(topic, Optional.of(partitions), Optional.empty());
                if (compacted) {
                    created.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
                }
                try {
                    admin.createTopics(List.of(created)).all().get(timeoutMillis, TimeUnit.MILLISECONDS);
                    LOG.info("Created the {}topic {} ({} partitions)", compacted ? "compacted " : "", topic, partitions);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            return java.util.OptionalInt.of(partitionCount(admin, topic, timeoutMillis));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka at " + adminProperties.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)
                    + " did not answer within " + timeoutMillis + " ms (camel.component.kafka.max-block-ms)", e);
        } finally {
            // without a bound, closing waits for the unanswered request's own timeout
            admin.close(java.time.Duration.ofMillis(timeoutMillis));
        }
    }
}
