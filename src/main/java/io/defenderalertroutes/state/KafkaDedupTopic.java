package io.defenderalertroutes.state;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import io.defenderalertroutes.config.InvalidConfigurationException;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one compacted topic that holds every tenant's dedup keys ({@link KafkaDedupStore}), and the one producer that
 * writes them, for the whole process: a tenant added or removed creates or deletes no topic, so a cluster that allows
 * no topic creation at run time can take the topic from the deployment.
 * <p>
 * A key's record is keyed {@code <tenant>/<dedup key>} (a tenant's name holds no '/'); a removed key is a tombstone,
 * which compaction drops. Each tenant's records go to one partition, chosen from a CRC-32 of its name, so a tenant
 * reads its own partition rather than every tenant's keys. The record keyed by the tenant's bare name says that the
 * tenant's old topic of its own was read once, as it upgraded.
 */
public final class KafkaDedupTopic extends ServiceSupport implements CamelContextAware {

    /** Its name in the registry, where each tenant's store finds it as it starts. */
    public static final String BEAN = "defenderDedupTopic";
    public static final String TOPIC_KEY = "defender.dedup.kafka.topic";
    public static final String CREATE_KEY = "defender.dedup.kafka.create-topic";
    static final String DELIVERED = "delivered";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaDedupTopic.class);
    private static final char TENANT_SEPARATOR = '/';
    private static final long START_CHECK_MILLIS = 10_000;
    /** The values Camel's KafkaIdempotentRepository wrote: the action on the key. */
    private static final Set<String> OLD_ACTIONS = Set.of("add", "remove", "clear");

    private final String topic;
    private final int partitions;
    private final boolean createTopic;
    private CamelContext camelContext;
    private Properties producerProperties;
    private Properties consumerProperties;
    private long timeoutMillis;
    private volatile int partitionCount;
    private KafkaProducer<String, String> producer;

    public KafkaDedupTopic(String topic, int partitions, boolean createTopic) {
        this.topic = topic;
        this.partitions = partitions;
        this.createTopic = createTopic;
    }

    public String topic() {
        return topic;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    /**
     * Checks the topic as the process starts, so that a topic the deployment should have created stops start-up in
     * one line. A broker that does not answer yet is no reason to stop, nor to hold the start for long: each tenant's
     * poller opens its store, and with it the topic, again, with the route controller's backoff.
     */
    @Override
    protected void doStart() {
        try {
            open(START_CHECK_MILLIS);
        } catch (InvalidConfigurationException mistake) {
            throw mistake;
        } catch (RuntimeException e) {
            LOG.warn("The dedup topic {} could not be checked at start ({}); each tenant's poller tries again as it starts",
                    topic, e.getMessage());
        }
    }

    /** The topic checked (or created) and the producer made, once for the process; again after a failure. */
    void open() {
        open(Long.MAX_VALUE);
    }

    private synchronized void open(long checkMillis) {
        if (producer != null) {
            return;
        }
        KafkaConfiguration kafka = camelContext.getComponent("kafka", KafkaComponent.class).getConfiguration();
        Properties client = kafka.createProducerProperties();
        // the component adds the brokers per endpoint, not to these properties
        client.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokers());
        // a key must be on every in-sync replica before the alert counts as delivered
        client.put(ProducerConfig.ACKS_CONFIG, "all");
        client.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        client.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        Properties consumer = kafka.createConsumerProperties();
        consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokers());
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        // read by assignment, never by a group: nothing to commit, no group to leave
        consumer.remove(ConsumerConfig.GROUP_ID_CONFIG);
        // as long as a send may block for its metadata: the store is no use without its broker
        timeoutMillis = kafka.getMaxBlockMs() == null ? 60_000 : kafka.getMaxBlockMs();
        OptionalInt count;
        try {
            count = KafkaTopics.ensure(consumer, topic, partitions, true, createTopic, Math.min(timeoutMillis, checkMillis));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicAuthorizationException || e.getCause() instanceof PolicyViolationException) {
                throw new InvalidConfigurationException(TOPIC_KEY, "the topic " + topic + " is missing and Kafka "
                        + "refused to create it (" + e.getCause().getMessage() + "); create it at deployment, compacted, "
                        + "with " + partitions + " partitions, and set " + CREATE_KEY + "=false");
            }
            throw new IllegalStateException("cannot check the dedup topic " + topic + ": " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the dedup topic " + topic, e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot check the dedup topic " + topic + ": " + e, e);
        }
        if (count.isEmpty()) {
            throw new InvalidConfigurationException(TOPIC_KEY, "the topic " + topic + " does not exist and "
                    + CREATE_KEY + " is false: create it at deployment, compacted (cleanup.policy=compact), with "
                    + partitions + " partitions");
        }
        partitionCount = count.getAsInt();
        producerProperties = onlyKnown(client, ProducerConfig.configNames());
        consumerProperties = onlyKnown(consumer, ConsumerConfig.configNames());
        producer = new KafkaProducer<>(producerProperties);
    }

    private static Properties onlyKnown(Properties all, Set<String> names) {
        Properties known = new Properties();
        all.forEach((k, v) -> {
            if (names.contains(k.toString())) {
                known.put(k, v);
            }
        });
        return known;
    }

    /**
     * The partition of a tenant's keys: fixed by its name and the topic's partition count, the same in every
     * instance and every run (a CRC-32 of the name, not a hash code that a JVM may compute otherwise). Adding
     * partitions to the topic later moves tenants, whose stores then start empty.
     */
    static int partitionOf(String tenant, int partitionCount) {
        CRC32 crc = new CRC32();
        crc.update(tenant.getBytes(StandardCharsets.UTF_8));
        return (int) Math.floorMod(crc.getValue(), (long) partitionCount);
    }

    private TopicPartition partition(String tenant) {
        return new TopicPartition(topic, partitionOf(tenant, partitionCount));
    }

    static String recordKey(String tenant, String key) {
        return tenant + TENANT_SEPARATOR + key;
    }

    /**
     * Writes the records and returns once Kafka has acknowledged every one: a key counts as stored only then.
     *
     * @param value {@link #DELIVERED}, or null for a tombstone
     */
    void write(String tenant, List<String> keys, String value) {
        List<Future<?>> sent = new ArrayList<>(keys.size());
        int partition = partition(tenant).partition();
        for (String key : keys) {
            sent.add(producer.send(new ProducerRecord<>(topic, partition, recordKey(tenant, key), value)));
        }
        try {
            for (Future<?> each : sent) {
                each.get(timeoutMillis, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing dedup keys of tenant " + tenant, e);
        } catch (Exception e) {
            throw new IllegalStateException("the dedup keys of tenant " + tenant + " could not be written to " + topic
                    + ": " + (e instanceof ExecutionException ? e.getCause() : e), e);
        }
    }

    /**
     * Tombstones every key of a tenant removed for longer than {@code defender.tenants.dir.keep-state}, so that
     * compaction drops them. Its upgrade marker stays: the old topic of its own is not read again.
     *
     * @return how many keys were tombstoned
     */
    public int forget(String tenant) {
        java.util.List<String> keys = java.util.List.copyOf(read(tenant, Integer.MAX_VALUE).keys());
        if (!keys.isEmpty()) {
            write(tenant, keys, null);
        }
        return keys.size();
    }

    /**
     * What a tenant's partition holds for it: its keys, oldest first, and the old topic of its own it was upgraded
     * from (null before its first start with this topic).
     */
    record TenantKeys(LinkedHashSet<String> keys, String upgradedFrom) {
    }

    /**
     * The tenant's keys as the topic holds them now, at most {@code maxKeys}, the most recent kept: its partition read
     * from the start to the end it has now, by a consumer of its own that goes with the read.
     */
    TenantKeys read(String tenant, int maxKeys) {
        TopicPartition partition = partition(tenant);
        String prefix = recordKey(tenant, "");
        LinkedHashSet<String> keys = new LinkedHashSet<>();
        String[] upgradedFrom = {null};
        readToEnd(List.of(partition), record -> {
            String key = record.key();
            if (key == null) {
                return;
            }
            if (key.equals(tenant)) {
                upgradedFrom[0] = record.value();
            } else if (key.startsWith(prefix)) {
                String dedupKey = key.substring(prefix.length());
                // a key added again is as recent as its last record
                keys.remove(dedupKey);
                if (record.value() != null) {
                    keys.add(dedupKey);
                    if (keys.size() > maxKeys) {
                        keys.remove(keys.iterator().next());
                    }
                }
            }
        });
        return new TenantKeys(keys, upgradedFrom[0]);
    }

    /**
     * Copies the keys of a tenant's old topic of its own (as Camel's KafkaIdempotentRepository wrote them: the key,
     * and the action as the value) into this topic, then marks the tenant as upgraded from that topic, so that no later
     * start looks for it again; so it is marked too when there is no such topic (a tenant added since). The old topic
     * is left as it is.
     *
     * @return how many keys were copied, or -1 when there is no such topic
     */
    int upgrade(String tenant, String oldTopic, int maxKeys) {
        OptionalInt oldPartitions;
        try {
            // only looked for: the old topic is never created, nor auto-created by a consumer asking for it
            oldPartitions = KafkaTopics.ensure(consumerProperties, oldTopic, 1, false, false, timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while looking for the old dedup topic " + oldTopic, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot look for the old dedup topic " + oldTopic + ": " + e, e);
        }
        if (oldPartitions.isEmpty()) {
            mark(tenant, oldTopic);
            return -1;
        }
        List<TopicPartition> partitions = java.util.stream.IntStream.range(0, oldPartitions.getAsInt())
                .mapToObj(p -> new TopicPartition(oldTopic, p)).toList();
        LinkedHashSet<String> keys = new LinkedHashSet<>();
        readToEnd(partitions, record -> {
            if (record.value() == null || !OLD_ACTIONS.contains(record.value())) {
                // a record of another shape (this topic's own, when the two are one) is not the old repository's
                return;
            }
            switch (record.value()) {
                case "add" -> {
                    if (record.key() != null) {
                        keys.remove(record.key());
                        keys.add(record.key());
                        if (keys.size() > maxKeys) {
                            keys.remove(keys.iterator().next());
                        }
                    }
                }
                case "remove" -> keys.remove(record.key());
                default -> keys.clear();
            }
        });
        if (!keys.isEmpty()) {
            write(tenant, List.copyOf(keys), DELIVERED);
        }
        mark(tenant, oldTopic);
        return keys.size();
    }

    private void mark(String tenant, String oldTopic) {
        try {
            producer.send(new ProducerRecord<>(topic, partition(tenant).partition(), tenant, oldTopic))
                    .get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while marking the upgrade of tenant " + tenant, e);
        } catch (Exception e) {
            throw new IllegalStateException("the upgrade of tenant " + tenant + " could not be marked in " + topic
                    + ": " + (e instanceof ExecutionException ? e.getCause() : e), e);
        }
    }

    /** Reads the partitions from their start to the ends they have now. */
    private void readToEnd(List<TopicPartition> partitions, java.util.function.Consumer<ConsumerRecord<String, String>> each) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(timeoutMillis, 30_000));
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProperties)) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofMillis(timeoutMillis));
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the dedup topic " + partitions.get(0).topic()
                            + " could not be read to its end in time");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(each);
            }
        }
    }

    @Override
    protected synchronized void doStop() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
