package io.defenderalertroutes.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import kafka.testkit.KafkaClusterTestKit;
import kafka.testkit.TestKitNodes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real Apache Kafka broker for the whole test JVM: a single KRaft node that is broker and controller at once,
 * run in-process by Kafka's own {@link KafkaClusterTestKit}. It starts on first use, listens on a free port of
 * {@code localhost}, keeps its data in a temporary directory and is stopped (and the directory deleted) by a JVM
 * shutdown hook. All methods are static and thread-safe.
 *
 * <p>Broker settings are those of a one-node cluster: replication factors and min ISR of 1, one partition for new
 * and internal topics, no initial rebalance delay. Automatic topic creation stays on, as it is by default.
 */
public final class KafkaBroker {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);

    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);
    private static final AtomicLong TOPIC_COUNTER = new AtomicLong();

    private static volatile Running running;
    private static RuntimeException startFailure;

    private KafkaBroker() {
    }

    /** The broker's address, {@code localhost:PORT}; starts the broker on first use. */
    public static String bootstrapServers() {
        return running().bootstrapServers;
    }

    /** Creates {@code topic} with {@code partitions} partitions (replication factor 1) and waits until every partition has a leader. */
    public static void createTopic(String topic, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        Topic.validate(topic);
        Admin admin = running().admin;
        long deadline = System.nanoTime() + TOPIC_TIMEOUT.toNanos();
        try {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all().get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Could not create topic " + topic, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + topic, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Topic " + topic + " not created within " + TOPIC_TIMEOUT, e);
        }
        awaitTopic(admin, topic, partitions, deadline);
    }

    /** Creates a topic named {@code prefix-N} (N unique in this JVM) with one partition and returns its name. */
    public static String uniqueTopic(String prefix) {
        String topic = prefix + "-" + TOPIC_COUNTER.incrementAndGet();
        createTopic(topic, 1);
        return topic;
    }

    /**
     * Consumes from the beginning until `count` records arrived or the timeout passed; returns what arrived (never
     * blocks past timeout).
     *
     * <p>Each call uses a new consumer in a new consumer group (offsets reset to earliest, nothing committed), so
     * every call sees the topic from its first record. Records are returned in the order polled: in offset order
     * within a partition, interleaved across partitions. The list holds everything polled before returning, so it
     * may be longer than {@code count} when more records were already there.
     */
    /** Sends the values, in order, as records without key, and waits until the broker acknowledged each. */
    public static void produce(String topic, String... values) {
        Properties props = new Properties();
        props.put(org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(org.apache.kafka.clients.producer.ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.StringSerializer.class.getName());
        props.put(org.apache.kafka.clients.producer.ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.StringSerializer.class.getName());
        try (org.apache.kafka.clients.producer.KafkaProducer<String, String> producer =
                new org.apache.kafka.clients.producer.KafkaProducer<>(props)) {
            for (String value : values) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, value)).get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not produce to " + topic, e);
        }
    }

    public static List<ConsumerRecord<String, byte[]>> consume(String topic, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String bootstrap = bootstrapServers();
        List<ConsumerRecord<String, byte[]>> received = new ArrayList<>();
        if (count <= 0) {
            return received;
        }
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "kafka-broker-consume-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // a topic that does not exist yet is picked up soon after it is created, and is not created by us
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "500");
        // the group is thrown away: closing must not wait for (or warn about) a leave-group round trip
        props.put("internal.leave.group.on.close", "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            try {
                consumer.subscribe(List.of(topic));
                long remaining;
                while (received.size() < count && (remaining = deadline - System.nanoTime()) > 0) {
                    consumer.poll(Duration.ofNanos(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(200))))
                            .forEach(received::add);
                }
            } finally {
                consumer.close(Duration.ZERO);
            }
        }
        return received;
    }

    /**
     * Every record the topic holds now, up to its end offsets as they are at this call: for a check made once what
     * was sent is acknowledged (the bundle closed), which must prove that nothing more came without waiting out a
     * timeout for records that never will. A topic that does not exist holds none.
     */
    public static List<ConsumerRecord<String, byte[]>> all(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<String, byte[]>> received = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            List<org.apache.kafka.common.TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10))
                    .stream().map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            if (partitions.isEmpty()) {
                return received;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end offsets " + end);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
        }
        return received;
    }

    private static void awaitTopic(Admin admin, String topic, int partitions, long deadline) {
        String last = "not described yet";
        while (true) {
            try {
                Map<String, TopicDescription> described = admin.describeTopics(Set.of(topic))
                        .allTopicNames().get(1, TimeUnit.SECONDS);
                List<TopicPartitionInfo> infos = described.get(topic).partitions();
                if (infos.size() != partitions) {
                    throw new IllegalStateException(
                            "Topic " + topic + " exists with " + infos.size() + " partitions, not " + partitions);
                }
                if (infos.stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    return;
                }
                last = "partitions without a leader: " + infos;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("Could not describe topic " + topic, e.getCause());
                }
                last = e.getCause().toString();
            } catch (TimeoutException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for topic " + topic, e);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("Topic " + topic + " not ready within " + TOPIC_TIMEOUT + ": " + last);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for topic " + topic, e);
            }
        }
    }

    private static Running running() {
        Running r = running;
        if (r != null) {
            return r;
        }
        synchronized (KafkaBroker.class) {
            if (running == null) {
                if (startFailure != null) {
                    throw new IllegalStateException("The Kafka broker failed to start earlier", startFailure);
                }
                try {
                    running = Running.start();
                } catch (RuntimeException e) {
                    startFailure = e;
                    throw e;
                }
            }
            return running;
        }
    }

    private static final class Running {
        final KafkaClusterTestKit cluster;
        final Admin admin;
        final String bootstrapServers;

        private Running(KafkaClusterTestKit cluster, Admin admin, String bootstrapServers) {
            this.cluster = cluster;
            this.admin = admin;
            this.bootstrapServers = bootstrapServers;
        }

        static Running start() {
            long started = System.nanoTime();
            guardExitAndHalt();
            // Kafka's TestUtils.tempDirectory() registers its own hook that deletes the data directory; run
            // concurrently with our hook it would delete files under a broker that is still shutting down. Keep
            // those hooks and run them after the broker stopped.
            List<Runnable> kafkaHooks = Collections.synchronizedList(new ArrayList<>());
            KafkaClusterTestKit cluster = null;
            Admin admin = null;
            try {
                TestKitNodes nodes;
                Exit.setShutdownHookAdder((name, hook) -> kafkaHooks.add(hook));
                try {
                    nodes = new TestKitNodes.Builder()
                            .setCombined(true)
                            .setNumBrokerNodes(1)
                            .setNumControllerNodes(1)
                            .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                            .build();
                } finally {
                    Exit.resetShutdownHookAdder();
                }
                KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
                brokerConfig().forEach(builder::setConfigProp);
                cluster = builder.build();
                cluster.format();
                cluster.startup();
                cluster.waitForReadyBrokers();

                String bootstrap = cluster.bootstrapServers();
                Properties adminProps = new Properties();
                adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
                adminProps.put(AdminClientConfig.CLIENT_ID_CONFIG, "kafka-broker-admin");
                adminProps.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
                adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
                admin = Admin.create(adminProps);

                Running r = new Running(cluster, admin, bootstrap);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> r.stop(kafkaHooks), "kafka-broker-shutdown"));
                LOG.info("Kafka broker (KRaft, combined broker+controller) ready at {} in {} ms, data in {}",
                        bootstrap, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                        nodes.baseDirectory());
                return r;
            } catch (Exception e) {
                closeQuietly(admin);
                closeQuietly(cluster);
                kafkaHooks.forEach(KafkaBroker.Running::runQuietly);
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("Could not start the Kafka broker", e);
            }
        }

        private static Map<String, Object> brokerConfig() {
            return Map.ofEntries(
                    // a cluster of one node
                    Map.entry("offsets.topic.replication.factor", "1"),
                    Map.entry("offsets.topic.num.partitions", "1"),
                    Map.entry("transaction.state.log.replication.factor", "1"),
                    Map.entry("transaction.state.log.min.isr", "1"),
                    Map.entry("transaction.state.log.num.partitions", "1"),
                    Map.entry("default.replication.factor", "1"),
                    Map.entry("min.insync.replicas", "1"),
                    Map.entry("num.partitions", "1"),
                    Map.entry("group.initial.rebalance.delay.ms", "0"),
                    // behave like a released broker: the test kit would otherwise turn these on
                    Map.entry("unstable.api.versions.enable", "false"),
                    Map.entry("unstable.feature.versions.enable", "false"),
                    // light on threads and memory
                    Map.entry("num.network.threads", "2"),
                    Map.entry("num.io.threads", "2"),
                    Map.entry("background.threads", "2"),
                    Map.entry("num.recovery.threads.per.data.dir", "1"),
                    Map.entry("log.cleaner.threads", "1"),
                    // faster unfencing of the broker at start-up
                    Map.entry("broker.heartbeat.interval.ms", "200"));
        }

        /** A fatal error inside the broker must fail tests, not silently end the surefire JVM. */
        private static void guardExitAndHalt() {
            Exit.setExitProcedure((status, message) -> {
                LOG.error("Kafka broker asked to exit the JVM with status {} ({}); ignored in tests", status, message);
                throw new IllegalStateException("Kafka called Exit.exit(" + status + "): " + message);
            });
            Exit.setHaltProcedure((status, message) -> {
                LOG.error("Kafka broker asked to halt the JVM with status {} ({}); ignored in tests", status, message);
                throw new IllegalStateException("Kafka called Exit.halt(" + status + "): " + message);
            });
        }

        void stop(List<Runnable> kafkaHooks) {
            closeQuietly(admin);
            closeQuietly(cluster); // also deletes the data directory
            kafkaHooks.forEach(KafkaBroker.Running::runQuietly);
        }

        private static void closeQuietly(AutoCloseable closeable) {
            if (closeable == null) {
                return;
            }
            try {
                if (closeable instanceof Admin) {
                    ((Admin) closeable).close(Duration.ofSeconds(5));
                } else {
                    closeable.close();
                }
            } catch (Exception e) {
                LOG.warn("Error stopping the Kafka broker: {}", e.toString());
            }
        }

        private static void runQuietly(Runnable hook) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                LOG.warn("Error cleaning up after the Kafka broker: {}", e.toString());
            }
        }
    }
}
