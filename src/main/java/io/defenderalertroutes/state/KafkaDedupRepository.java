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
 * which readiness waits for) and follows it afterwards. Brokers and security are the Kafka component's
 * ({@code camel.component.kafka.*}), so a managed cluster is set up once for sinks and dedup alike.
 * <p>
 * Every key added also marks its alert id, so that another instance can tell an update from a new alert
 * when every update fires. Bounded by {@code maxKeys}, the most recent kept; the topic itself should be compacted.
 */
public final class KafkaDedupRepository extends ServiceSupport implements DeliveredAlerts, CamelContextAware {

    private final String topic;
    private final int maxKeys;
    private CamelContext camelContext;
    private KafkaIdempotentRepository keys;

    public KafkaDedupRepository(String topic, int maxKeys) {
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
        keys = new KafkaIdempotentRepository(topic, consumer, producer, maxKeys, 100);
        keys.setCamelContext(camelContext);
        ServiceHelper.startService(keys);
    }

    @Override
    protected void doStop() {
        ServiceHelper.stopService(keys);
    }

    @Override
    public boolean add(String key) {
        int separator = key.indexOf(AlertDedupRepository.VERSION_SEPARATOR);
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
