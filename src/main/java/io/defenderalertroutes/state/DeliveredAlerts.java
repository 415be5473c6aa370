package io.defenderalertroutes.state;

import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;

/** A tenant's dedup repository, which also knows whether any version of an alert went out before. */
public interface DeliveredAlerts extends IdempotentRepository {

    /** True once some version of the alert was delivered: what makes the next version an update. */
    boolean hasDelivered(String alertId);

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
