package io.defenderalertroutes.observe;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.defenderalertroutes.defender.Timestamps;
import io.defenderalertroutes.tenant.TenantNames;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed guide's "notification on failure": a JSON notice, logged, and sent to {@code defender.notify.url} if set (through the
 * {@code direct:defender-notify} route, which does the HTTP and its retries) when a route exhausts its supervised
 * restarts, when a tenant's polls keep failing (its readiness alarm), and when it recovers. Notices carry names
 * and reasons, never credentials.
 */
public final class FailureNotifier extends EventNotifierSupport {

    /** The webhook's route. */
    public static final String WEBHOOK = "direct:defender-notify";
    /** The e-mail's route. */
    public static final String EMAIL = "direct:defender-notify-email";

    private static final Logger LOG = LoggerFactory.getLogger(FailureNotifier.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;
    private final Map<String, PollHealthCheck> healthByTenant;
    private final List<String> channels;
    private ProducerTemplate producer;

    /**
     * @param healthByTenant each tenant's readiness, which an exhausted route of the tenant turns DOWN
     * @param channels       where notices go besides the log: {@link #WEBHOOK}, {@link #EMAIL}, or none
     */
    public FailureNotifier(Clock clock, Map<String, PollHealthCheck> healthByTenant, List<String> channels) {
        this.clock = clock;
        // read at each use: tenants come and go while the bundle runs (defender.tenants.dir)
        this.healthByTenant = healthByTenant;
        this.channels = List.copyOf(channels);
        // only restart failures are of interest; Camel skips creating every other event for this notifier
        setIgnoreExchangeEvents(true);
        setIgnoreCamelContextEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.RouteRestartingFailureEvent failure && failure.isExhausted();
    }

    @Override
    public void notify(CamelEvent event) {
        CamelEvent.RouteRestartingFailureEvent failure = (CamelEvent.RouteRestartingFailureEvent) event;
        String route = failure.getRoute().getRouteId();
        String tenant = TenantNames.tenantOfRoute(route);
        String reason = reason(failure.getCause());
        if (tenant != null && healthByTenant.containsKey(tenant)) {
            healthByTenant.get(tenant).routeExhausted(route, failure.getAttempt(), reason);
        }
        Map<String, Object> notice = notice("restarts-exhausted", tenant);
        notice.put("route", route);
        notice.put("attempts", failure.getAttempt());
        notice.put("reason", reason);
        send(notice);
    }

    /** Called by a tenant's health check when its run of failed polls reaches the alarm. */
    public void tenantFailing(String tenant, int failedPolls, String lastError) {
        Map<String, Object> notice = notice("tenant-failing", tenant);
        notice.put("failedPolls", failedPolls);
        notice.put("reason", lastError);
        send(notice);
    }

    /** Called by a tenant's health check once per certificate when it comes within its warning period. */
    public void credentialExpiring(String tenant, java.time.Instant expires) {
        Map<String, Object> notice = notice("credential-expiring", tenant);
        notice.put("expires", Timestamps.format(expires));
        notice.put("reason", "the certificate tenant " + tenant + " signs in with expires at " + Timestamps.format(expires));
        send(notice);
    }

    /** Called by a tenant's health check when a poll succeeds after the alarm. */
    public void tenantRecovered(String tenant) {
        send(notice("tenant-recovered", tenant));
    }

    private Map<String, Object> notice(String kind, String tenant) {
        Map<String, Object> notice = new LinkedHashMap<>();
        notice.put("source", "defender-alert-routes");
        notice.put("event", kind);
        notice.put("tenant", tenant);
        notice.put("time", Timestamps.format(clock.instant()));
        return notice;
    }

    private void send(Map<String, Object> notice) {
        try {
            String body = JSON.writeValueAsString(notice);
            LOG.warn("Failure notice: {}", body);
            if (producer != null) {
                for (String channel : channels) {
                    if (EMAIL.equals(channel)) {
                        // at once: the e-mail route only adds the notice to its digest (the mail goes out on the
                        // digest's own thread), and a notice handed over later could miss the digest sent at a stop
                        producer.sendBody(channel, body);
                    } else {
                        // asynchronous: a slow webhook must not hold up the poll or the route controller
                        producer.asyncSendBody(channel, body);
                    }
                }
            }
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.error("Could not send the failure notice {}: {}", notice.get("event"), e.toString());
        }
    }

    private static String reason(Throwable cause) {
        if (cause == null) {
            return "unknown";
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    @Override
    protected void doStart() throws Exception {
        // without a webhook or e-mail, notices are only logged
        if (!channels.isEmpty()) {
            CamelContext context = getCamelContext();
            producer = context.createProducerTemplate();
            producer.start();
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (producer != null) {
            producer.stop();
        }
    }
}
