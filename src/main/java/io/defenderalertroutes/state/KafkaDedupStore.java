package io.defenderalertroutes.state;

import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.processor.idempotent.kafka.KafkaIdempotentRepository;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * A tenant's delivered keys in a Kafka topic that every instance of the bundle reads and writes, through
 * Camel's {@link KafkaIdempotentRepository}: what the leader delivered is known to the instance that takes over
 * from it, so a takeover neither re-delivers nor skips. Each instance replays the topic at start (its warm-up,
 * which readiness waits for) and again when it takes the lead of the tenant. Brokers and security are the Kafka component's
 * ({@code camel.component.kafka.*}), so a managed cluster is set up once for sinks and dedup alike.
 * <p>
 * Every key added also marks its alert id, so that another instance can tell an update from a new alert
 * when every update fires. Bounded by {@code maxKeys}, the most recent kept; the topic itself should be compacted.
 */
public final class KafkaDedupStore extends ServiceSupport implements DedupStore, CamelContextAware {

    private final String topic;
    private final int maxKeys;
    private CamelContext camelContext;
    private volatile KafkaIdempotentRepository keys;
    private Properties producerProperties;
    private Properties consumerProperties;
    private volatile java.util.function.LongSupplier leadTerm = () -> 0;
    private long syncedTerm;

    public KafkaDedupStore(String topic, int maxKeys) {
        this.topic = topic;
        this.maxKeys = maxKeys;
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

    @Override
    protected void doStart() throws Exception {
        KafkaConfiguration kafka = camelContext.getComponent("kafka", KafkaComponent.class).getConfiguration();
        Properties producer = kafka.createProducerProperties();
        // a key must be on every in-sync replica before the alert counts as delivered
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        Properties consumer = kafka.createConsumerProperties();
        // the component adds the brokers per endpoint, not to these properties
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokers());
        consumer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokers());
        // as long as a send may block for its metadata: the repository is no use without its broker
        // one partition, compacted: the repository reads every key
        KafkaTopics.ensure(consumer, topic, 1, true, kafka.getMaxBlockMs() == null ? 60_000 : kafka.getMaxBlockMs());
        producerProperties = producer;
        consumerProperties = consumer;
        syncedTerm = leadTerm.getAsLong();
        keys = startedRepository();
    }

    /**
     * A repository that has read the topic up to its end as it is now. It does not follow the topic in the
     * background: only the tenant's leader writes its keys, and a new leader reads them afresh ({@link #beforePoll}).
     * (Following it would also race its own stop: Camel closes the background consumer while it may be polling.)
     */
    private KafkaIdempotentRepository startedRepository() {
        KafkaIdempotentRepository repository = new KafkaIdempotentRepository(topic, consumerProperties,
                producerProperties, maxKeys, 100);
        repository.setStartupOnly(true);
        repository.setCamelContext(camelContext);
        ServiceHelper.startService(repository);
        return repository;
    }

    @Override
    public void followLeadTerm(java.util.function.LongSupplier term) {
        this.leadTerm = term;
    }

    /**
     * Before the first poll of a new lead: reading the topic afresh up to its end takes in every key the previous
     * leader added, those of a moment ago included, so the takeover poll does not deliver again what it delivered.
     */
    @Override
    public void beforePoll() {
        long term = leadTerm.getAsLong();
        if (term == syncedTerm) {
            return;
        }
        KafkaIdempotentRepository previous = keys;
        keys = startedRepository();
        syncedTerm = term;
        ServiceHelper.stopService(previous);
    }

    @Override
    protected void doStop() {
        ServiceHelper.stopService(keys);
    }

    @Override
    public boolean add(String key) {
        int separator = key.indexOf(LocalDedupStore.VERSION_SEPARATOR);
        if (separator > 0) {
            keys.add(key.substring(0, separator));
        }
        return keys.add(key);
    }

    @Override
    public boolean contains(String key) {
        return keys.contains(key);
    }

    @Override
    public boolean remove(String key) {
        return keys.remove(key);
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        keys.clear();
    }

    @Override
    public boolean hasDelivered(String alertId) {
        return keys.contains(alertId);
    }
}
