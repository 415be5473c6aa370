package io.defenderalertroutes.state;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every tenant's poll checkpoint in one compacted topic (key: the tenant's name), for instances that share no disk:
 * each instance reads the topic from its start into memory and follows it, and writes the checkpoints of the tenants
 * it polls, acknowledged by every in-sync replica. Before a poll reads its checkpoint the reader catches up with the
 * topic's end, so an instance that has just taken a tenant over starts where the previous owner's last poll ended.
 */
public final class KafkaCheckpoints extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaCheckpoints.class);
    private static final Duration CATCH_UP = Duration.ofSeconds(30);

    private final java.util.function.Supplier<Properties> settings;
    private Properties client;
    private final String topic;
    private final TopicPartition partition;
    private final Map<String, String> latest = new ConcurrentHashMap<>();
    private final Object progress = new Object();
    private volatile long position;
    private volatile boolean running;
    private KafkaProducer<String, String> producer;
    private KafkaConsumer<String, String> reader;
    private Admin admin;
    private Thread follower;

    /** @param client the Kafka client settings (brokers, security), asked for when the service starts */
    public KafkaCheckpoints(java.util.function.Supplier<Properties> client, String topic) {
        this.settings = client;
        this.topic = topic;
        this.partition = new TopicPartition(topic, 0);
    }

    public String topic() {
        return topic;
    }

    @Override
    protected void doStart() throws Exception {
        client = settings.get();
        // one partition: one end to catch up with, and a few thousand small records a minute at most
        KafkaTopics.ensure(client, topic, 1, true, 30_000);
        Properties producerProps = new Properties();
        producerProps.putAll(client);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(onlyKnown(producerProps, ProducerConfig.configNames()));
        Properties readerProps = new Properties();
        readerProps.putAll(client);
        readerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        readerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        readerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        readerProps.remove(ConsumerConfig.GROUP_ID_CONFIG);
        reader = new KafkaConsumer<>(onlyKnown(readerProps, ConsumerConfig.configNames()));
        reader.assign(List.of(partition));
        reader.seekToBeginning(List.of(partition));
        Properties adminProps = onlyKnown(client, AdminClientConfig.configNames());
        admin = Admin.create(adminProps);
        running = true;
        follower = new Thread(this::follow, "defender-checkpoints");
        follower.setDaemon(true);
        follower.start();
        catchUp();
        LOG.info("Checkpoints in Kafka topic {}: {} tenants", topic, latest.size());
    }

    private static Properties onlyKnown(Properties all, java.util.Set<String> names) {
        Properties known = new Properties();
        all.forEach((k, v) -> {
            if (names.contains(k.toString())) {
                known.put(k, v);
            }
        });
        return known;
    }

    private void follow() {
        try {
            while (running) {
                for (ConsumerRecord<String, String> record : reader.poll(Duration.ofMillis(200))) {
                    if (record.value() == null) {
                        latest.remove(record.key());
                    } else {
                        latest.put(record.key(), record.value());
                    }
                }
                position = reader.position(partition);
                synchronized (progress) {
                    progress.notifyAll();
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            LOG.error("Reading the checkpoint topic {} stopped: {}", topic, e.toString());
        } finally {
            reader.close(Duration.ofSeconds(5));
        }
    }

    /** Waits until everything written to the topic so far, by any instance, is read. */
    public void catchUp() throws Exception {
        long end = admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition)
                .get(CATCH_UP.toMillis(), TimeUnit.MILLISECONDS).offset();
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        synchronized (progress) {
            while (position < end) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !running) {
                    throw new IllegalStateException("the checkpoint topic " + topic + " could not be read up to offset "
                            + end + " within " + CATCH_UP.toSeconds() + " s (read up to " + position + ")");
                }
                progress.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    public Optional<String> read(String tenant) {
        return Optional.ofNullable(latest.get(tenant));
    }

    public void write(String tenant, String checkpoint) {
        try {
            producer.send(new ProducerRecord<>(topic, tenant, checkpoint)).get(CATCH_UP.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the checkpoint of tenant " + tenant + " could not be written to " + topic
                    + ": " + e.getMessage(), e);
        }
        if (checkpoint != null) {
            latest.put(tenant, checkpoint);
        }
    }

    /** A tombstone: compaction drops the tenant's checkpoint, and a new start is the historical start's. */
    public void forget(String tenant) {
        write(tenant, null);
        latest.remove(tenant);
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        if (reader != null) {
            reader.wakeup();
        }
        if (follower != null) {
            follower.join(TimeUnit.SECONDS.toMillis(10));
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }
}
