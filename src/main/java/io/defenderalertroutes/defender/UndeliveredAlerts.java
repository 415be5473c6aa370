package io.defenderalertroutes.defender;

import org.apache.camel.Exchange;

/**
 * The alerts of one poll that did not get through the alert flow (an exception, a rollback): the poll goes on with
 * the next alerts and pages, and then fails at its commit, so that the checkpoint never passes them and the next poll
 * offers them again (the dedup keys of the alerts that did get through keep those from repeating).
 */
public final class UndeliveredAlerts {

    public static final String PROPERTY = "DefenderUndeliveredAlerts";

    private int count;
    private String first;
    private volatile boolean held;

    /** The record of the poll this exchange (the poll's, or one of its alerts') belongs to; null outside a poll. */
    public static UndeliveredAlerts of(Exchange exchange) {
        return exchange.getProperty(PROPERTY, UndeliveredAlerts.class);
    }

    public synchronized void add(String alertId, String reason) {
        if (count++ == 0) {
            first = "alert " + alertId + ": " + reason;
        }
    }

    /** A sink that holds failed an alert: the poll fails at once, and its page's split takes no more alerts. */
    public void held() {
        held = true;
    }

    public boolean isHeld() {
        return held;
    }

    public synchronized int count() {
        return count;
    }

    /** What an operator reads of a poll that failed for them: how many, and the first with its reason. */
    public synchronized String describe() {
        return count + (count == 1 ? " alert" : " alerts") + " did not get through the alert flow (the first, " + first
                + "); the checkpoint stays and the next poll offers " + (count == 1 ? "it" : "them") + " again";
    }
}
