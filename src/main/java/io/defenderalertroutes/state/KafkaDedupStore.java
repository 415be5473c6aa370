package io.defenderalertroutes.state;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.LongSupplier;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tenant's delivered keys in the one Kafka topic every tenant and every instance of the bundle shares
 * ({@link KafkaDedupTopic}): what the leader delivered is known to the instance that takes over from it, so a takeover
 * neither re-delivers nor skips. Each instance reads the tenant's keys at start (its warm-up, which readiness waits
 * for) and again when it takes the lead of the tenant. Brokers and security are the Kafka component's
 * ({@code camel.component.kafka.*}), so a managed cluster is set up once for sinks and dedup alike.
 * <p>
 * Every key added also marks its alert id, so that another instance can tell an update from a new alert when every
 * update fires. Bounded by {@code maxKeys}, the most recent kept.
 */
public final class KafkaDedupStore extends ServiceSupport implements DedupStore, CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaDedupStore.class);

    private final String tenant;
    private final int maxKeys;
    private final String oldTopic;
    private CamelContext camelContext;
    private volatile KafkaDedupTopic shared;
    /** Oldest first; guarded by itself. */
    private LinkedHashSet<String> keys = new LinkedHashSet<>();
    private volatile LongSupplier leadTerm = () -> 0;
    private long syncedTerm;

    /**
     * @param oldTopic the tenant's topic of its own from before the tenants shared one, read once as it upgrades (if
     *                 it exists), or null
     */
    public KafkaDedupStore(String tenant, int maxKeys, String oldTopic) {
        this.tenant = tenant;
        this.maxKeys = maxKeys;
        this.oldTopic = oldTopic;
    }

    public String tenant() {
        return tenant;
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
    protected void doStart() {
        shared = camelContext.getRegistry().lookupByNameAndType(KafkaDedupTopic.BEAN, KafkaDedupTopic.class);
        if (shared == null) {
            throw new IllegalStateException("no " + KafkaDedupTopic.BEAN + " in the registry: the dedup topic shared "
                    + "by the tenants is bound with the bundle's shared beans");
        }
        shared.open();
        syncedTerm = leadTerm.getAsLong();
        KafkaDedupTopic.TenantKeys read = shared.read(tenant, maxKeys);
        if (oldTopic != null && !oldTopic.equals(read.upgradedFrom())) {
            int copied = shared.upgrade(tenant, oldTopic, maxKeys);
            if (copied >= 0) {
                LOG.info("Tenant {}: {} dedup keys read once from its old topic {} into {}; the old topic is no longer "
                        + "used", tenant, copied, oldTopic, shared.topic());
                read = shared.read(tenant, maxKeys);
            }
        }
        replace(read.keys());
    }

    private void replace(LinkedHashSet<String> fresh) {
        synchronized (this) {
            keys = fresh;
        }
    }

    @Override
    public void followLeadTerm(LongSupplier term) {
        this.leadTerm = term;
    }

    /**
     * Before the first poll of a new lead: reading the tenant's keys afresh up to the topic's end takes in every key
     * the previous leader added, those of a moment ago included, so the takeover poll does not deliver again what it
     * delivered. Only the tenant's leader writes its keys, so between takeovers there is nothing to follow.
     */
    @Override
    public void beforePoll() {
        long term = leadTerm.getAsLong();
        if (term == syncedTerm) {
            return;
        }
        replace(shared.read(tenant, maxKeys).keys());
        syncedTerm = term;
    }

    @Override
    protected void doStop() {
        // the shared topic's producer is the process's, stopped with it
    }

    @Override
    public boolean add(String key) {
        List<String> missing = new ArrayList<>(2);
        int separator = key.indexOf(LocalDedupStore.VERSION_SEPARATOR);
        synchronized (this) {
            if (separator > 0 && !keys.contains(key.substring(0, separator))) {
                missing.add(key.substring(0, separator));
            }
            if (!keys.contains(key)) {
                missing.add(key);
            }
        }
        if (missing.isEmpty()) {
            return false;
        }
        // written before it is known here: a key Kafka did not take must not hold back the alert's next delivery
        shared.write(tenant, missing, KafkaDedupTopic.DELIVERED);
        synchronized (this) {
            keys.addAll(missing);
            while (keys.size() > maxKeys) {
                keys.remove(keys.iterator().next());
            }
            return missing.contains(key);
        }
    }

    @Override
    public synchronized boolean contains(String key) {
        return keys.contains(key);
    }

    @Override
    public boolean remove(String key) {
        synchronized (this) {
            if (!keys.contains(key)) {
                return false;
            }
        }
        shared.write(tenant, List.of(key), null);
        synchronized (this) {
            return keys.remove(key);
        }
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    /** Every key of the tenant tombstoned, those beyond what this instance keeps in memory included. */
    @Override
    public void clear() {
        List<String> all = List.copyOf(shared.read(tenant, Integer.MAX_VALUE).keys());
        if (!all.isEmpty()) {
            shared.write(tenant, all, null);
        }
        replace(new LinkedHashSet<>());
    }

    @Override
    public synchronized boolean hasDelivered(String alertId) {
        return keys.contains(alertId);
    }
}
