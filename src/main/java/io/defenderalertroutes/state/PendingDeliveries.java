package io.defenderalertroutes.state;

/**
 * Deliveries handed to a sink that acknowledges them later, together (the Kafka sink sends a page's records as one
 * batch): an alert's dedup key must wait for that acknowledgement, or a batch that fails would leave keys of alerts
 * that never arrived. The object travels with the poll's alerts in the exchange property {@link #PROPERTY}.
 */
public interface PendingDeliveries {

    String PROPERTY = "DefenderPendingDeliveries";

    /**
     * Asked when the alert flow is done with an alert and its dedup key would be added.
     *
     * @return true if the alert still waits for an acknowledgement: this object adds the key to {@code dedup} once the
     *         alert is acknowledged (never, if it is not); false if nothing waits and the key may be added now
     */
    boolean deferKey(String key, DedupStore dedup);

    /**
     * How many alerts handed to the sink are not yet acknowledged (nor dead-lettered): asked at the poll's commit,
     * which refuses while any is, so that a route edit that leaves a batch unsent fails the poll rather than passing
     * its alerts.
     */
    int unsettled();
}
