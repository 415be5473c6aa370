package io.defenderalertroutes.ha;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import io.defenderalertroutes.state.KafkaTopics;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Camel cluster service whose leadership comes from Kafka's consumer-group protocol: every instance joins one
 * group on a slot topic (no records, only partitions), each namespace (a tenant's poller) belongs to one slot, and an
 * instance leads the namespaces of the slots the group assigned it. Kafka's group coordinator does the agreeing: an
 * instance that dies stops heartbeating and its slots go to the others after the session timeout; one that joins
 * takes its share. The cooperative sticky assignor moves only the slots that must move, so a rebalance does not stop
 * every poller. Camel's {@code master:} consumers run on top of it unchanged.
 */
public final class KafkaClusterService extends AbstractCamelClusterService<KafkaClusterView> {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaClusterService.class);

    private final java.util.function.Supplier<Properties> client;
    private final String topic;
    private final String group;
    private final int slots;
    private final int sessionTimeoutMillis;
    private final String memberId = "defender-" + UUID.randomUUID();
    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
    private final Map<Integer, Long> epochs = new ConcurrentHashMap<>();
    private final Map<String, KafkaClusterView> views = new ConcurrentHashMap<>();
    private volatile boolean running;
    private volatile java.util.function.Predicate<String> busy = namespace -> false;
    private final Duration drainTimeout;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread member;
    private final CountDownLatch joined = new CountDownLatch(1);

    /**
     * @param client  the Kafka client settings (brokers, security) the bundle's Kafka component uses
     * @param topic   the slot topic, one partition per slot (created when missing)
     * @param slots   how many slots: tenants are spread over them, the group spreads them over instances
     */
    public KafkaClusterService(java.util.function.Supplier<Properties> client, String topic, String group, int slots, int sessionTimeoutMillis) {
        this.client = client;
        this.topic = topic;
        this.group = group;
        this.slots = slots;
        this.sessionTimeoutMillis = sessionTimeoutMillis;
        // well inside the consumer's max.poll.interval.ms (5 min), which bounds how long the group waits for us
        this.drainTimeout = Duration.ofMinutes(2);
        setId("defender-ha-kafka");
    }

    /**
     * What tells whether a namespace's work is in flight (a tenant's poll): a slot the group takes away is handed
     * over only once its work has ended, so that no tenant is polled by two instances at once.
     */
    public void drainWith(java.util.function.Predicate<String> inFlight) {
        this.busy = inFlight;
    }

    /**
     * A namespace's slot, from its name alone: every instance computes the same slot whatever else it serves, and a
     * tenant added or removed moves no other tenant (a slot by position in the tenant list moved every tenant after
     * it). CRC-32 of the UTF-8 name, as the JDK computes it the same on every version.
     */
    static int slotOf(String namespace, int slots) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(namespace.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return (int) (crc.getValue() % slots);
    }

    int slotOf(String namespace) {
        return slotOf(namespace, slots);
    }

    boolean owns(int slot) {
        return owned.contains(slot);
    }

    /** Counts the times this instance gained the slot: a poll begun under one count commits only under the same. */
    long epoch(int slot) {
        return epochs.getOrDefault(slot, 0L);
    }

    String memberId() {
        return memberId;
    }

    /** The slots this instance leads now. */
    public Set<Integer> ownedSlots() {
        return Set.copyOf(owned);
    }

    @Override
    protected KafkaClusterView createView(String namespace) {
        KafkaClusterView view = new KafkaClusterView(this, namespace, slotOf(namespace));
        views.put(namespace, view);
        return view;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        Properties settings = client.get();
        int partitions = KafkaTopics.ensure(settings, topic, slots, false, 30_000);
        if (partitions != slots) {
            throw new IllegalStateException("the slot topic " + topic + " has " + partitions + " partitions, not "
                    + slots + " (defender.ha.kafka.slots): every instance must count the same slots");
        }
        Properties props = new Properties();
        props.putAll(settings);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, memberId);
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, sessionTimeoutMillis);
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Math.max(500, sessionTimeoutMillis / 3));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumer = new KafkaConsumer<>(props);
        running = true;
        member = new Thread(this::membership, "defender-ha-kafka");
        member.setDaemon(true);
        member.start();
    }

    /** The group membership: polls the slot topic (which holds no records) so that Kafka keeps this instance in. */
    private void membership() {
        try {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    joined.countDown();
                    change(partitions, true, "assigned");
                }

                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    change(partitions, false, "revoked");
                    // the group gives these slots to another instance once this callback returns
                    drain(partitions);
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    change(partitions, false, "lost");
                }
            });
            while (running) {
                consumer.poll(Duration.ofMillis(200));
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            LOG.error("The Kafka high-availability member of group {} stopped: {}", group, e.toString());
        } finally {
            change(owned.stream().map(s -> new TopicPartition(topic, s)).toList(), false, "given up");
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void change(Collection<TopicPartition> partitions, boolean gained, String how) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<Integer, Boolean> changed = new HashMap<>();
        for (TopicPartition partition : partitions) {
            int slot = partition.partition();
            if (gained ? owned.add(slot) : owned.remove(slot)) {
                if (gained) {
                    epochs.merge(slot, 1L, Long::sum);
                }
                changed.put(slot, gained);
            }
        }
        if (changed.isEmpty()) {
            return;
        }
        LOG.info("Slots {} {} (group {}): this instance now leads {} of {} slots", changed.keySet(), how, group,
                owned.size(), slots);
        views.values().forEach(view -> {
            if (changed.containsKey(view.slot())) {
                view.leadershipChanged();
            }
        });
    }

    private void drain(Collection<TopicPartition> partitions) {
        Set<Integer> revoked = new java.util.HashSet<>();
        partitions.forEach(p -> revoked.add(p.partition()));
        List<String> draining = views.keySet().stream().filter(ns -> revoked.contains(slotOf(ns))).toList();
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        for (String namespace : draining) {
            while (busy.test(namespace)) {
                if (System.nanoTime() > deadline) {
                    LOG.warn("The poll of {} is still running {} s after its slot was taken away; handing it over anyway "
                            + "(it will not commit its checkpoint)", namespace, drainTimeout.toSeconds());
                    return;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Waits until the group has given this instance its first slots (none, if others hold them all). */
    public boolean awaitJoined(long timeout, TimeUnit unit) throws InterruptedException {
        return joined.await(timeout, unit);
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (member != null) {
            member.join(TimeUnit.SECONDS.toMillis(10));
        }
        super.doStop();
    }
}
