package io.defenderalertroutes.state;

import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;

/** A tenant's dedup repository, which also knows whether any version of an alert went out before. */
public interface DedupStore extends IdempotentRepository {

    /** True once some version of the alert was delivered: what makes the next version an update. */
    boolean hasDelivered(String alertId);

    /**
     * With high availability: the term of this instance's lead of the tenant, which changes each time it takes the
     * lead. A store that other instances write too reads their keys afresh before the first poll of each term.
     */
    default void followLeadTerm(java.util.function.LongSupplier term) {
    }

    /** Before each poll of the tenant, the first step of its poller. */
    default void beforePoll() throws Exception {
    }

    /**
     * The idempotent consumer adds an alert's key when the alert flow is done with it; an alert a sink has taken but
     * not yet acknowledged ({@link PendingDeliveries}) gets its key when it is acknowledged instead.
     */
    @Override
    default boolean add(Exchange exchange, String key) {
        PendingDeliveries pending = exchange.getProperty(PendingDeliveries.PROPERTY, PendingDeliveries.class);
        if (pending != null && pending.deferKey(key, this)) {
            return true;
        }
        return add(key);
    }
}
