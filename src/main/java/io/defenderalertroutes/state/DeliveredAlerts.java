package io.defenderalertroutes.state;

import org.apache.camel.spi.IdempotentRepository;

/** A tenant's dedup repository, which also knows whether any version of an alert went out before. */
public interface DeliveredAlerts extends IdempotentRepository {

    /** True once some version of the alert was delivered: what makes the next version an update. */
    boolean hasDelivered(String alertId);
}
