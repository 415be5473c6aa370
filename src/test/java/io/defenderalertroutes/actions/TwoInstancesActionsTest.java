package io.defenderalertroutes.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.EmulatedTenant;
import io.defenderalertroutes.testsupport.KafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two instances in one consumer group, sharing the result store: two copies of one request, written to two
 * partitions at once while each instance holds one, are run once. The bundle keys each request by its requestId, so
 * the copies meet in one partition, one after the other; the second finds the kept result.
 */
class TwoInstancesActionsTest {

    @RegisterExtension
    final EmulatedTenant tenant = new EmulatedTenant();

    @Test
    void twoCopiesOfARequestOnTwoInstancesRunOnce() throws Exception {
        String topic = "two-instances-" + java.util.UUID.randomUUID();
        KafkaBroker.createTopic(topic, 2);
        // calls take a while, so that two runs of the copies at once would overlap and both reach Microsoft
        tenant.emulator().setResponseDelay(Bundle.TENANT_ID, Duration.ofSeconds(1));
        Map<String, String> settings = tenant.settings();
        settings.put("camel.component.kafka.brokers", KafkaBroker.bootstrapServers());
        settings.put("defender.actions.allowed", "add-indicator");
        settings.put("defender.actions.topic", topic);
        settings.put("defender.actions.group-id", topic);
        settings.put("defender.actions.results", "file");
        settings.put("defender.actions.results.dir", tenant.dir().resolve("results").toString());
        settings.put("defender.actions.store-dir", tenant.dir().resolve("shared-store").toString());
        Map<String, String> second = new HashMap<>(settings);
        second.put("defender.state-dir", tenant.dir().resolve("state-2").toString());
        String request = ResponseActionsTest.request("dup-1", "add-indicator", null, "{\"indicatorValue\":\"evil.example\","
                + "\"indicatorType\":\"DomainName\",\"action\":\"Block\",\"title\":\"t\",\"description\":\"d\"}");
        try (Bundle one = tenant.start(); Bundle two = Bundle.start(second)) {
            awaitMembers(topic, 2);
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
                producer.send(new ProducerRecord<>(topic, 0, null, request)).get();
                producer.send(new ProducerRecord<>(topic, 1, null, request)).get();
            }
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> auditLines(tenant.dir()).size() == 2);
        }
        assertEquals(1, tenant.emulator().indicators(Bundle.TENANT_ID).size(), "one indicator, not two");
        List<String> audit = auditLines(tenant.dir());
        assertEquals(1, audit.stream().filter(l -> l.contains("\"repeat\":true")).count(), audit.toString());
    }

    private static void awaitMembers(String group, int members) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> admin.describeConsumerGroups(List.of(group))
                    .all().get().get(group).members().stream().filter(m -> !m.assignment().topicPartitions().isEmpty())
                    .count() == members);
        }
    }

    /** The audit lines of both instances (each writes under its own state directory). */
    private static List<String> auditLines(Path dir) throws Exception {
        List<String> lines = new java.util.ArrayList<>();
        for (String state : List.of("state", "state-2")) {
            Path audit = dir.resolve(state).resolve("audit");
            if (Files.isDirectory(audit)) {
                try (var files = Files.list(audit)) {
                    for (Path file : files.toList()) {
                        lines.addAll(Files.readAllLines(file));
                    }
                }
            }
        }
        return lines;
    }
}
