package io.defenderalertroutes.observe;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.defenderalertroutes.defender.Timestamps;
import io.defenderalertroutes.tenant.TenantNames;
import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of one tenant's poller. DOWN until its first poll went through (a token was issued, every page
 * was read and every alert delivered), and DOWN again while its last {@code failuresForDown} polls failed: a
 * window that keeps failing is retried at every poll, and this is the alarm that says so. An instance standing
 * by while another one leads the tenant is ready: it has nothing to do until it takes over.
 */
public final class PollHealthCheck extends AbstractHealthCheck {

    private final String tenant;
    private final int failuresForDown;
    private final Clock clock;

    private java.util.function.BooleanSupplier leadership = () -> true;
    private FailureNotifier notifier;
    private String unstartable;
    private Instant lastSuccess;
    private Instant lastFailure;
    private String lastError;
    private int consecutiveFailures;
    private long succeeded;
    private long failed;
    private Instant lastPoll;
    private long lastPollMillis = -1;
    private java.util.function.Supplier<java.util.Optional<Instant>> credentialExpires = java.util.Optional::empty;
    private java.time.Duration credentialWarning = java.time.Duration.ZERO;
    private Instant warnedFor;

    public PollHealthCheck(String tenant, int failuresForDown, Clock clock) {
        super("defender", new TenantNames(tenant).healthCheckId());
        this.tenant = tenant;
        this.failuresForDown = failuresForDown;
        this.clock = clock;
    }

    @Override
    public boolean isLiveness() {
        // a failing poll is Microsoft's trouble or the network's, not a reason to restart the process
        return false;
    }

    /** Where the alarm and the recovery are reported, besides readiness; null for nowhere. */
    public synchronized void notifyThrough(FailureNotifier notifier) {
        this.notifier = notifier;
    }

    /**
     * Watches the certificate the tenant signs in with: within {@code warning} of its expiry it shows on the status
     * page and in readiness's details, and is logged and noticed once per certificate (a renewal is a new one).
     */
    public synchronized void watchCredential(java.util.function.Supplier<java.util.Optional<Instant>> expires,
            java.time.Duration warning) {
        this.credentialExpires = expires;
        this.credentialWarning = warning;
    }

    /** The expiry of the tenant's certificate when it is within its warning period or past; else null. */
    private Instant credentialExpiring() {
        Instant expires;
        try {
            expires = credentialExpires.get().orElse(null);
        } catch (RuntimeException e) {
            // the sign-in's own trouble is the poll's to report; readiness and the page go on without the date
            return null;
        }
        return expires != null && expires.isBefore(clock.instant().plus(credentialWarning)) ? expires : null;
    }

    /** The notice to send, once the lock is let go, when the certificate came within its warning period; or null. */
    private Runnable warnOfCredential() {
        Instant expiring = credentialExpiring();
        if (expiring == null || expiring.equals(warnedFor)) {
            return null;
        }
        warnedFor = expiring;
        org.slf4j.LoggerFactory.getLogger(PollHealthCheck.class).warn("Tenant {}: the certificate it signs in with "
                + "expires at {}, within the warning period (defender.auth.certificate.warn-days); renew it", tenant,
                Timestamps.format(expiring));
        FailureNotifier to = notifier;
        return to == null ? null : () -> to.credentialExpiring(tenant, expiring);
    }

    /** Called by the poller route once the checkpoint is committed. */
    public void succeeded(Exchange exchange) {
        List<Runnable> notices = new ArrayList<>(2);
        synchronized (this) {
            boolean wasAlarm = consecutiveFailures >= failuresForDown;
            lastSuccess = clock.instant();
            ended(exchange, lastSuccess, notices);
            consecutiveFailures = 0;
            succeeded++;
            FailureNotifier to = notifier;
            if (wasAlarm && to != null) {
                notices.add(() -> to.tenantRecovered(tenant));
            }
        }
        // outside the lock: readiness, the status page and the meters read this check meanwhile
        notices.forEach(Runnable::run);
    }

    /** Called by the poller route when a poll ended in an error; the checkpoint stayed where it was. */
    public void failed(Exchange exchange) {
        List<Runnable> notices = new ArrayList<>(2);
        synchronized (this) {
            Throwable error = exchange.getException() != null ? exchange.getException()
                    : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            lastFailure = clock.instant();
            ended(exchange, lastFailure, notices);
            lastError = reason(error);
            consecutiveFailures++;
            failed++;
            FailureNotifier to = notifier;
            if (consecutiveFailures == failuresForDown && to != null) {
                int failures = consecutiveFailures;
                String why = lastError;
                notices.add(() -> to.tenantFailing(tenant, failures, why));
            }
        }
        notices.forEach(Runnable::run);
    }

    private void ended(Exchange exchange, Instant at, List<Runnable> notices) {
        Runnable credential = warnOfCredential();
        if (credential != null) {
            notices.add(credential);
        }
        lastPoll = at;
        lastPollMillis = exchange == null ? -1 : exchange.getClock().elapsed();
    }

    /** The tenant's polls as the status page shows them. */
    public record Snapshot(boolean leading, Instant lastPoll, long lastPollMillis, boolean lastPollFailed,
            int consecutiveFailures, boolean down, String lastError, Instant lastFailure, String unstartable,
            Instant credentialExpiring) {
    }

    public synchronized Snapshot snapshot() {
        boolean leading = leadership.getAsBoolean();
        boolean lastFailed = lastPoll != null && lastPoll.equals(lastFailure);
        boolean down = unstartable != null || leading && (consecutiveFailures >= failuresForDown
                || lastSuccess == null && lastError != null);
        return new Snapshot(leading, lastPoll, lastPollMillis, lastFailed, consecutiveFailures, down, lastError,
                lastFailure, unstartable, credentialExpiring());
    }

    /** What an operator needs to read of a failed poll: for a refused call, the permission to grant. */
    static String reason(Throwable error) {
        if (error == null) {
            return "unknown";
        }
        if (error instanceof HttpOperationFailedException http && http.getStatusCode() == 403) {
            return "HTTP 403 from " + http.getUri() + ": the app registration lacks the application permission "
                    + "Alert.Read.All on WindowsDefenderATP (source defender-api) or SecurityAlert.Read.All on Microsoft "
                    + "Graph (source graph); grant it, with admin consent";
        }
        return error.getClass().getSimpleName() + ": " + error.getMessage();
    }

    /** Called when one of the tenant's routes could not be started within its supervised restarts. */
    public synchronized void routeExhausted(String route, long attempts, String reason) {
        unstartable = "route " + route + " of tenant " + tenant + " could not start after " + attempts
                + " attempts, the last failing with " + reason;
    }

    /** With high availability: tells whether this instance holds the tenant's leadership. */
    public synchronized void leadership(java.util.function.BooleanSupplier leadership) {
        this.leadership = leadership;
    }

    public synchronized int consecutiveFailures() {
        return consecutiveFailures;
    }

    public synchronized long succeededCount() {
        return succeeded;
    }

    public synchronized long failedCount() {
        return failed;
    }

    @Override
    protected synchronized void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        boolean leading = leadership.getAsBoolean();
        builder.detail("tenant", tenant);
        builder.detail("role", leading ? "leader" : "standby");
        builder.detail("polls.succeeded", succeeded);
        builder.detail("polls.failed", failed);
        builder.detail("polls.failed.consecutive", consecutiveFailures);
        if (lastSuccess != null) {
            builder.detail("poll.last-success", Timestamps.format(lastSuccess));
        }
        if (lastFailure != null) {
            builder.detail("poll.last-failure", Timestamps.format(lastFailure));
            builder.detail("poll.last-error", lastError);
        }
        Instant expiring = credentialExpiring();
        if (expiring != null) {
            builder.detail("credential.expires", Timestamps.format(expiring));
        }
        if (unstartable != null) {
            builder.message(unstartable).down();
        } else if (!leading) {
            builder.message("standing by: another instance polls tenant " + tenant).up();
        } else if (consecutiveFailures >= failuresForDown) {
            builder.message("the last " + consecutiveFailures + " polls of tenant " + tenant + " failed, the last with "
                    + lastError).down();
        } else if (lastSuccess == null && lastError != null) {
            builder.message("the first poll of tenant " + tenant + " has not gone through yet: " + lastError).down();
        } else if (lastSuccess == null) {
            builder.message("tenant " + tenant + " has not completed a poll yet").down();
        } else {
            builder.up();
        }
    }
}
