package io.defenderalertroutes.testsupport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 2, unit = TimeUnit.MINUTES)
class KafkaBrokerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void recordsProducedWithAcksAllAreConsumedWithKeysValuesAndHeaders() throws Exception {
        assertTrue(KafkaBroker.bootstrapServers().matches("localhost:\\d+"), KafkaBroker.bootstrapServers());
        String topic = KafkaBroker.uniqueTopic("alerts");

        String[] keys = {"da-1", "da-2", "da-3"};
        String[] values = {
            "{\"id\":\"da-1\",\"severity\":\"high\"}",
            "{\"id\":\"da-2\",\"title\":\"Suspicious PowerShell \\u00e9\"}",
            "{\"id\":\"da-3\",\"note\":\"résumé ✓\"}",
        };
        try (KafkaProducer<String, String> producer = producer()) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < keys.length; i++) {
                ProducerRecord<String, String> record = new ProducerRecord<>(topic, keys[i], values[i]);
                record.headers().add("tenant", ("contoso-" + i).getBytes(UTF_8));
                sent.add(producer.send(record));
            }
            for (Future<RecordMetadata> f : sent) {
                f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        }

        List<ConsumerRecord<String, byte[]>> records = KafkaBroker.consume(topic, 3, WAIT);

        assertEquals(3, records.size(), () -> "records: " + records);
        for (int i = 0; i < keys.length; i++) {
            ConsumerRecord<String, byte[]> r = records.get(i);
            assertEquals(topic, r.topic());
            assertEquals(i, r.offset());
            assertEquals(keys[i], r.key());
            assertArrayEquals(values[i].getBytes(UTF_8), r.value());
            Header header = r.headers().lastHeader("tenant");
            assertNotNull(header, "tenant header on record " + i);
            assertArrayEquals(("contoso-" + i).getBytes(UTF_8), header.value());
        }

        // a second call is a fresh consumer group: it reads the topic from the start again
        List<ConsumerRecord<String, byte[]>> again = KafkaBroker.consume(topic, 3, WAIT);
        assertEquals(3, again.size());
        assertEquals(keys[0], again.get(0).key());
        // what the topic holds now, without waiting for more: the three acknowledged records; none of an empty topic
        // or of one that does not exist
        assertEquals(List.of(keys), KafkaBroker.all(topic).stream().map(ConsumerRecord::key).toList());
        assertEquals(List.of(), KafkaBroker.all(KafkaBroker.uniqueTopic("empty")));
        assertEquals(List.of(), KafkaBroker.all("never-made-" + java.util.UUID.randomUUID()));
    }

    @Test
    void createTopicMakesAllPartitionsUsable() throws Exception {
        String topic = "three-partitions-" + UUID.randomUUID();
        KafkaBroker.createTopic(topic, 3);
        KafkaBroker.createTopic(topic, 3); // idempotent

        try (KafkaProducer<String, String> producer = producer()) {
            for (int p = 0; p < 3; p++) {
                RecordMetadata md = producer.send(new ProducerRecord<>(topic, p, "k" + p, "v" + p))
                        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertEquals(p, md.partition());
            }
        }
        List<ConsumerRecord<String, byte[]>> records = KafkaBroker.consume(topic, 3, WAIT);
        assertEquals(3, records.size(), () -> "records: " + records);
        for (ConsumerRecord<String, byte[]> r : records) {
            assertEquals("k" + r.partition(), r.key());
            assertArrayEquals(("v" + r.partition()).getBytes(UTF_8), r.value());
        }
    }

    @Test
    void consumeReturnsWhatArrivedWhenTheTimeoutPasses() {
        String topic = KafkaBroker.uniqueTopic("empty");
        assertNotEquals(topic, KafkaBroker.uniqueTopic("empty"));

        Duration timeout = Duration.ofMillis(1500);
        long start = System.nanoTime();
        List<ConsumerRecord<String, byte[]>> records = KafkaBroker.consume(topic, 1, timeout);
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertTrue(records.isEmpty(), () -> "records: " + records);
        assertTrue(elapsedMs >= timeout.toMillis() - 50, "returned early after " + elapsedMs + " ms");
        assertTrue(elapsedMs < timeout.toMillis() + 3000, "blocked for " + elapsedMs + " ms");
    }

    @Test
    void consumeSeesATopicCreatedAfterItStarted() throws Exception {
        String topic = "late-" + UUID.randomUUID();
        CompletableFuture<List<ConsumerRecord<String, byte[]>>> consumed =
                CompletableFuture.supplyAsync(() -> KafkaBroker.consume(topic, 1, WAIT));

        KafkaBroker.createTopic(topic, 1);
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(topic, "k", "{}")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        List<ConsumerRecord<String, byte[]>> records = consumed.get(WAIT.toSeconds() + 5, TimeUnit.SECONDS);
        assertEquals(1, records.size(), () -> "records: " + records);
        assertArrayEquals("{}".getBytes(UTF_8), records.get(0).value());
    }

    private static KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "20000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }
}
