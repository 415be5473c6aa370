package io.defenderalertroutes.observe;

import io.defenderalertroutes.defender.DefenderAlert;
import io.defenderalertroutes.meters.AlertMeters;
import io.defenderalertroutes.defender.AlertHeaders;
import io.defenderalertroutes.defender.UndeliveredAlerts;
import io.defenderalertroutes.tenant.Tenant;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What became of each branch of a split or fan-out that carries alerts, so that one alert's end never ends the
 * others'. Camel lets a {@code stop} (or a failure) of one branch end the whole split when it stops on exceptions, and
 * copies the last branch's state back otherwise; here the exchange that was split goes on as it came in, and each
 * branch counts on its own:
 * <ul>
 * <li>a branch that a {@code stop} ended (or an {@code onException} that handled its failure) dropped its alert: that is
 * a user's choice, counted ({@code defender_alerts_dropped_total{tenant,by}}) and logged at DEBUG;</li>
 * <li>a branch that failed (an exception, a {@code rollback}) did not deliver its alert: {@link #pageOfAPoll()} writes it
 * down for the poll's commit to refuse ({@link UndeliveredAlerts}), so the poll reads its other alerts and pages first;
 * {@link #eachOfAnAlert()} fails the alert with the first failure, after every branch had its turn;</li>
 * <li>but a sink that holds ({@link #SINK_HELD}) fails the page, and so the poll, at once: its policy is to wait.</li>
 * </ul>
 * The splits and fan-outs that use it run with {@code stopOnException: false}, or Camel would stop at the first
 * stopped branch before asking.
 */
public final class AlertOutcomes implements AggregationStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(AlertOutcomes.class);
    private static final String SINK_PREFIX = "defender-sink-";
    /**
     * Set by the sinks' error handler (routes/dead-letters.camel.yaml) on an alert a sink failed without dead-lettering it: a
     * sink that holds ({@code on-failure=hold}) or has no dead letter. Its failure is the sink's, not the alert's, so
     * it fails the poll at once, as that policy says; the page's split then takes no more alerts.
     */
    public static final String SINK_HELD = "DefenderSinkHeld";

    private final boolean pageOfAPoll;

    private AlertOutcomes(boolean pageOfAPoll) {
        this.pageOfAPoll = pageOfAPoll;
    }

    /** The poll's split of a page into alerts: an alert that failed fails the poll at its commit, not at once. */
    public static AlertOutcomes pageOfAPoll() {
        return new AlertOutcomes(true);
    }

    /** The fan-out of one alert to its sinks (or of an incident to its alerts): the first failure fails the alert. */
    public static AlertOutcomes eachOfAnAlert() {
        return new AlertOutcomes(false);
    }

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        throw new UnsupportedOperationException("needs the input exchange: Camel's split, multicast and recipient list give it");
    }

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange branch, Exchange input) {
        if (branch == null || branch == input) {
            return input;
        }
        Throwable failure = branch.getException();
        if (failure != null || branch.isRollbackOnly() || branch.isRollbackOnlyLast()) {
            failed(branch, input, failure);
        } else if (branch.isRouteStop() || handledNotContinued(branch)) {
            dropped(branch);
        }
        return input;
    }

    /**
     * An {@code onException} with {@code handled} ended the branch on purpose; one that {@code continued} (the sinks'
     * dead letter) let it go on to the end of its route, which is no drop.
     */
    private static boolean handledNotContinued(Exchange branch) {
        return Boolean.TRUE.equals(branch.getExchangeExtension().getErrorHandlerHandled())
                && branch.getProperty(ExchangePropertyKey.EXCEPTION_HANDLED) == null
                && !branch.getProperty(AlertMeters.DEAD_LETTERED, false, Boolean.class);
    }

    private void failed(Exchange branch, Exchange input, Throwable failure) {
        boolean held = branch.getProperty(SINK_HELD, false, Boolean.class);
        UndeliveredAlerts undelivered = pageOfAPoll ? UndeliveredAlerts.of(input) : null;
        if (undelivered == null || held) {
            // the alert (or, from a sink that holds, the page and with it the poll) fails at once, as Camel would;
            // outside a poll (a user's own split) there is nothing to hold back either
            if (input.getException() == null) {
                input.setException(failure != null ? failure
                        : new org.apache.camel.RollbackExchangeException("a branch of the alert's flow rolled back", branch));
                if (held) {
                    input.setProperty(SINK_HELD, true);
                    if (undelivered != null) {
                        undelivered.held();
                    }
                }
            }
            return;
        }
        String alertId = alertId(branch);
        String reason = failure == null ? "rolled back" : failure.getClass().getSimpleName() + ": " + failure.getMessage();
        undelivered.add(alertId, reason);
        LOG.warn("Alert {} of tenant {} did not get through the alert flow ({}); the poll goes on with the next alerts "
                + "and keeps its checkpoint, so the next poll offers it again", alertId, Tenant.nameOf(branch), reason);
    }

    private void dropped(Exchange branch) {
        String by = pageOfAPoll ? "alert-flow" : droppedBy(branch);
        meters(branch).dropped(branch, by);
        LOG.debug("Alert {} of tenant {} dropped by {} ({}, {}, {})", alertId(branch), Tenant.nameOf(branch),
                by.equals("alert-flow") ? "a stop in the alert flow" : "a stop in sink " + by,
                branch.getMessage().getHeader(AlertHeaders.SEVERITY), branch.getMessage().getHeader(AlertHeaders.STATUS),
                branch.getMessage().getHeader(AlertHeaders.CATEGORY));
    }

    /** The sink whose route stopped the alert: {@code file} for direct:defender-sink-file, else the endpoint. */
    private static String droppedBy(Exchange branch) {
        String endpoint = branch.getProperty(ExchangePropertyKey.RECIPIENT_LIST_ENDPOINT, String.class);
        if (endpoint == null) {
            return "alert-flow";
        }
        String plain = endpoint.replaceFirst("^direct://", "direct:");
        int at = plain.indexOf(SINK_PREFIX);
        return plain.startsWith("direct:") && at == "direct:".length() ? plain.substring(at + SINK_PREFIX.length()) : plain;
    }

    private static String alertId(Exchange branch) {
        String id = branch.getMessage().getHeader(AlertHeaders.ALERT_ID, String.class);
        if (id == null && branch.getMessage().getBody() instanceof DefenderAlert alert) {
            id = alert.id();
        }
        return id == null ? "(not yet described)" : id;
    }

    private static AlertMeters meters(Exchange exchange) {
        return exchange.getContext().getRegistry().lookupByNameAndType("defenderAlertMeters", AlertMeters.class);
    }
}
