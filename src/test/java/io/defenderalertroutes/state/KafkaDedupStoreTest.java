package io.defenderalertroutes.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.defenderalertroutes.app.Application;
import io.defenderalertroutes.config.InvalidConfigurationException;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.KafkaBroker;
import io.defenderalertroutes.testsupport.LogCapture;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every tenant's dedup keys in one compacted topic on a real broker: each tenant sees its own keys only, a restart
 * reads them back, a new lead reads what another instance added, no topic is made per tenant, a topic the deployment
 * should have created stops start-up, and an upgrade reads a tenant's old topic once.
 */
class KafkaDedupStoreTest {

    private static final AtomicLong RUN = new AtomicLong();

    @TempDir
    Path dir;

    private final String run = "d" + UUID.randomUUID().toString().substring(0, 8);
    private final List<CamelContext> contexts = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (CamelContext context : contexts) {
            context.close();
        }
    }

    /** One instance of the bundle, as far as its dedup is concerned: a context with the shared topic bound. */
    private CamelContext instance(String topic, boolean createTopic) throws Exception {
        DefaultCamelContext context = new DefaultCamelContext();
        contexts.add(context);
        context.getComponent("kafka", KafkaComponent.class).getConfiguration().setBrokers(KafkaBroker.bootstrapServers());
        context.getComponent("kafka", KafkaComponent.class).getConfiguration().setMaxBlockMs(10_000);
        KafkaDedupTopic shared = new KafkaDedupTopic(topic, 4, createTopic);
        shared.setCamelContext(context);
        context.getRegistry().bind(KafkaDedupTopic.BEAN, shared);
        context.addService(shared, true, false);
        context.start();
        return context;
    }

    private static KafkaDedupStore store(CamelContext instance, String tenant) {
        return store(instance, tenant, () -> 0);
    }

    /** A store that follows its instance's lead term of the tenant, as high availability has it do from the start. */
    private static KafkaDedupStore store(CamelContext instance, String tenant, java.util.function.LongSupplier term) {
        KafkaDedupStore store = new KafkaDedupStore(tenant, 1_000, "defender-dedup-" + tenant);
        store.followLeadTerm(term);
        store.setCamelContext(instance);
        ServiceHelper.startService(store);
        return store;
    }

    private static Set<String> topics() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers()))) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void tenantsShareOneTopicAndEachSeesOnlyItsOwnKeys() throws Exception {
        String topic = run + "-dedup";
        String contoso = run + "-contoso";
        String fabrikam = run + "-fabrikam";
        Set<String> before = topics();
        CamelContext first = instance(topic, true);
        KafkaDedupStore contosoStore = store(first, contoso);
        KafkaDedupStore fabrikamStore = store(first, fabrikam);

        assertTrue(contosoStore.add("alert-1"));
        assertFalse(contosoStore.add("alert-1"), "a key is added once");
        assertTrue(fabrikamStore.add("alert-2|2026-11-01T00:00:00Z"));
        assertTrue(contosoStore.contains("alert-1"));
        assertFalse(contosoStore.contains("alert-2|2026-11-01T00:00:00Z"), "another tenant's key");
        assertFalse(fabrikamStore.contains("alert-1"), "another tenant's key");
        assertTrue(fabrikamStore.hasDelivered("alert-2"), "a version's key marks its alert too");

        Set<String> made = new HashSet<>(topics());
        made.removeAll(before);
        assertEquals(Set.of(topic), made, "one topic for both tenants, none of their own");

        // a restart: new stores read what the topic holds
        assertTrue(contosoStore.add("alert-3"));
        assertTrue(contosoStore.remove("alert-3"));
        CamelContext restarted = instance(topic, true);
        KafkaDedupStore contosoAgain = store(restarted, contoso);
        KafkaDedupStore fabrikamAgain = store(restarted, fabrikam);
        assertTrue(contosoAgain.contains("alert-1"));
        assertFalse(contosoAgain.contains("alert-3"), "a removed key stays removed");
        assertFalse(contosoAgain.contains("alert-2|2026-11-01T00:00:00Z"));
        assertTrue(fabrikamAgain.contains("alert-2|2026-11-01T00:00:00Z"));
        assertTrue(fabrikamAgain.hasDelivered("alert-2"));
        assertFalse(fabrikamAgain.contains("alert-1"));

        // each tenant's records are in one partition of the topic, keyed by tenant and key
        Map<String, Set<Integer>> partitions = new java.util.HashMap<>();
        KafkaBroker.consume(topic, 7, Duration.ofSeconds(10)).forEach(r -> partitions
                .computeIfAbsent(r.key().substring(0, r.key().indexOf('/') < 0 ? r.key().length() : r.key().indexOf('/')),
                        t -> new HashSet<>()).add(r.partition()));
        assertEquals(1, partitions.get(contoso).size(), partitions.toString());
        assertEquals(1, partitions.get(fabrikam).size(), partitions.toString());
    }

    @Test
    void aTenantRemovedLongerThanKeepStateHasItsKeysForgottenAndNoOtherTenantLosesAny() throws Exception {
        String topic = run + "-dedup";
        String contoso = run + "-contoso";
        String fabrikam = run + "-fabrikam";
        CamelContext instance = instance(topic, true);
        KafkaDedupStore contosoStore = store(instance, contoso);
        KafkaDedupStore fabrikamStore = store(instance, fabrikam);
        contosoStore.add("alert-1");
        contosoStore.add("alert-3|2026-11-02T00:00:00Z");
        fabrikamStore.add("alert-2");
        ServiceHelper.stopService(contosoStore);

        KafkaDedupTopic shared = instance.getRegistry().lookupByNameAndType(KafkaDedupTopic.BEAN, KafkaDedupTopic.class);
        // its two keys and the alert id the versioned one marks
        assertEquals(3, shared.forget(contoso));

        KafkaDedupStore putBack = store(instance, contoso);
        assertFalse(putBack.contains("alert-1"), "forgotten: the file put back starts afresh");
        assertFalse(putBack.hasDelivered("alert-3"));
        assertTrue(store(instance, fabrikam).contains("alert-2"), "another tenant's keys stay");
        assertEquals(0, shared.forget(contoso), "nothing left to forget");
    }

    @Test
    void aNewLeadReadsWhatAnotherInstanceAdded() throws Exception {
        String topic = run + "-dedup";
        String tenant = run + "-contoso";
        AtomicLong term = new AtomicLong(1);
        KafkaDedupStore here = store(instance(topic, true), tenant, term::get);
        KafkaDedupStore there = store(instance(topic, true), tenant);

        there.add("alert-from-the-other-leader");
        here.beforePoll();
        assertFalse(here.contains("alert-from-the-other-leader"), "the same lead term: not read again");
        term.incrementAndGet();
        here.beforePoll();
        assertTrue(here.contains("alert-from-the-other-leader"), "a new lead term reads the keys afresh");
    }

    @Test
    void aTopicThatMayNotBeCreatedAndIsMissingIsRefusedNamingTheKey() throws Exception {
        String topic = run + "-not-deployed";
        InvalidConfigurationException refused = Application.configurationMistake(assertThrows(Exception.class,
                () -> instance(topic, false)));
        assertNotNull(refused);
        assertEquals("Invalid configuration: defender.dedup.kafka.topic: the topic " + topic + " does not exist and "
                + "defender.dedup.kafka.create-topic is false: create it at deployment, compacted "
                + "(cleanup.policy=compact), with 4 partitions", refused.getMessage());
        assertFalse(topics().contains(topic), "not created");

        KafkaBroker.createTopic(topic, 4);
        KafkaDedupStore store = store(instance(topic, false), run + "-contoso");
        assertTrue(store.add("alert-1"), "a topic made at deployment is used as it is");
    }

    @Test
    void theBundleDoesNotStartWithoutTheTopicItMayNotCreate() throws Exception {
        String topic = run + "-not-deployed-" + RUN.incrementAndGet();
        Map<String, String> settings = Bundle.tenantOn("https://localhost:1", dir);
        settings.put("defender.dedup", "kafka");
        settings.put("defender.dedup.kafka.topic", topic);
        settings.put("defender.dedup.kafka.create-topic", "false");
        settings.put("camel.component.kafka.brokers", KafkaBroker.bootstrapServers());
        Exception failure = assertThrows(Exception.class, () -> Bundle.start(settings).close());
        InvalidConfigurationException mistake = Application.configurationMistake(failure);
        assertNotNull(mistake, () -> "not reported as a configuration mistake: " + failure);
        assertTrue(mistake.getMessage().startsWith("Invalid configuration: defender.dedup.kafka.topic: the topic "
                + topic + " does not exist and defender.dedup.kafka.create-topic is false"), mistake.getMessage());
        assertFalse(mistake.getMessage().contains("\n"), "one line");
    }

    @Test
    void anUpgradeReadsATenantsOldTopicOnce() throws Exception {
        String tenant = run + "-contoso";
        String old = "defender-dedup-" + tenant;
        // as Camel's KafkaIdempotentRepository wrote them: the key, and the action as the value
        KafkaBroker.createTopic(old, 1);
        send(old, "alert-1", "add", "alert-2", "add", "alert-2", "remove", "alert-3|2026-11-01T00:00:00Z", "add",
                "alert-3", "add");
        String topic = run + "-dedup";
        KafkaDedupStore upgraded;
        try (LogCapture log = new LogCapture()) {
            upgraded = store(instance(topic, true), tenant);
            assertEquals(1, log.lines().stream().filter(l -> l.contains("Tenant " + tenant + ": 3 dedup keys read once "
                    + "from its old topic " + old + " into " + topic)).count(), String.join("\n", log.lines()));
        }
        assertTrue(upgraded.contains("alert-1"));
        assertFalse(upgraded.contains("alert-2"), "removed in the old topic");
        assertTrue(upgraded.contains("alert-3|2026-11-01T00:00:00Z"));
        assertTrue(upgraded.hasDelivered("alert-3"));

        // written to the old topic after the upgrade (an instance not yet upgraded): no longer read
        send(old, "alert-late", "add", "alert-1", "remove");
        KafkaDedupStore again = store(instance(topic, true), tenant);
        assertFalse(again.contains("alert-late"), "the old topic is read once");
        assertTrue(again.contains("alert-1"));
        assertTrue(topics().contains(old), "the old topic is left for the operator to delete");

        // another tenant's old topic is not read for this one
        String other = run + "-fabrikam";
        KafkaDedupStore fabrikam = store(instance(topic, true), other);
        assertFalse(fabrikam.contains("alert-1"));
        assertFalse(topics().contains("defender-dedup-" + other), "a tenant without an old topic gets none");
    }

    private static void send(String topic, String... keysAndValues) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < keysAndValues.length; i += 2) {
                producer.send(new ProducerRecord<>(topic, keysAndValues[i], keysAndValues[i + 1])).get(30, TimeUnit.SECONDS);
            }
        }
    }
}
