package io.defenderalertroutes.assembly;

import io.defenderalertroutes.actions.ActionTenant;
import io.defenderalertroutes.ha.HighAvailability;
import io.defenderalertroutes.observe.FailureNotifier;
import io.defenderalertroutes.observe.PollHealthCheck;
import io.defenderalertroutes.observe.StatusReport;
import io.defenderalertroutes.observe.TenantMeters;
import io.defenderalertroutes.schedule.PollTimers;
import io.defenderalertroutes.tenant.Tenant;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.MicrometerUtils;
import org.apache.camel.health.HealthCheckRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenants this process serves, as they come and go: those of the start-up, and those a tenant file adds,
 * changes or removes while the bundle runs ({@code defender.tenants.dir}). Adding or removing one tenant touches
 * that tenant's poller route, timer, beans, checks and meters only; the other tenants' routes and timers run on.
 * The status page, the poll on demand, the failure notices, the dead letter's replay and the response actions read
 * the maps kept here at each use.
 */
public final class LiveTenants {

    private static final Logger LOG = LoggerFactory.getLogger(LiveTenants.class);

    /** A running tenant: its parts, and the watch on its leadership that ends with it. */
    private record Running(TenantParts parts, AutoCloseable leadership) {
    }

    private final CamelContext context;
    private final HighAvailability ha;
    private final Map<String, Running> running = new ConcurrentSkipListMap<>();
    private final Map<String, StatusReport.TenantView> views = new ConcurrentSkipListMap<>();
    private final Map<String, PollHealthCheck> health = new ConcurrentHashMap<>();
    private final Map<String, Tenant> sinkTenants = new ConcurrentHashMap<>();
    private final Map<String, ActionTenant> actionTenants = new ConcurrentSkipListMap<>();
    private volatile FailureNotifier notifier;

    public LiveTenants(CamelContext context, HighAvailability ha) {
        this.context = context;
        this.ha = ha;
    }

    /**
     * A tenant of the start-up, before the context starts: its route is made with the others' (from
     * {@link TenantRoutes}), its checks and meters are bound as the context starts.
     *
     * @return the delay of its first poll, in milliseconds
     */
    public long atStartUp(TenantParts tenant, StatusReport.TenantView view, TenantRoutes routes) throws Exception {
        TenantAssembly.bindTenantBeans(context, tenant);
        routes.add(tenant, ha.leadershipPrefix(tenant.name()));
        ha.join(haTenant(tenant));
        AutoCloseable leadership = ha.watchLeadership(context, tenant.name(), tenant.health(), tenant.alertQuery(),
                tenant.dedup(), leading -> PollTimers.takeoverPoll(context, tenant.name(), tenant.pollGuard(), leading));
        publish(tenant, view, leadership);
        LOG.info(tenant.describe());
        // As the seed service does, the first poll comes one interval after start unless asked for at once. With
        // high availability the first poll is the new leader's (PollTimers.takeoverPoll), and the timer is left as it
        // is: the election may already have moved it while the context was starting.
        return tenant.pollOnStart() || ha.enabled() ? 0 : tenant.intervalMillis();
    }

    /**
     * A tenant added while the bundle runs: it polls at once (or, with high availability, as soon as this
     * instance leads it), as a tenant in its first minute should.
     */
    /** @param forgetCheckpoint whether the tenant starts afresh from its historical start (a new tenant ID) */
    public synchronized void add(TenantParts tenant, StatusReport.TenantView view, boolean forgetCheckpoint)
            throws Exception {
        if (running.containsKey(tenant.name())) {
            throw new IllegalStateException("tenant " + tenant.name() + " is running already");
        }
        TenantAssembly.ensurePollerTemplate(context);
        TenantAssembly.bindTenantBeans(context, tenant);
        ObservabilityStarter.registerHealthChecks(context, List.of(tenant));
        TenantMeters.bind(meters(), tenant.name(), tenant.health(), tenant.checkpoints(), tenant.tokens(),
                tenant.alertQuery(), tenant.pollGuard(), Clock.systemUTC());
        ha.join(haTenant(tenant));
        if (forgetCheckpoint) {
            tenant.checkpoints().forget();
            LOG.info("Tenant {} polls another tenant ID now: it starts afresh from its historical start", tenant.name());
        }
        AutoCloseable leadership = ha.watchLeadership(context, tenant.name(), tenant.health(), tenant.alertQuery(),
                tenant.dedup(), leading -> PollTimers.takeoverPoll(context, tenant.name(), tenant.pollGuard(), leading));
        publish(tenant, view, leadership);
        // a Quartz timer made while the scheduler runs fires at once, its schedule running on from there
        TenantAssembly.addRoute(context, tenant.names().pollRouteId(),
                TenantRoutes.pollerParameters(tenant, ha.leadershipPrefix(tenant.name())));
        // the supervising route controller leaves a route added to a running context stopped
        context.getRouteController().startRoute(tenant.names().pollRouteId());
        if (!ha.enabled()) {
            // Camel's Quartz endpoint starts a trigger made while the scheduler runs half a second out, and its job
            // skips a fire that Quartz makes a millisecond before that start ("Trigger exists outside StartTime"):
            // the first poll would come an interval late. A start of now is behind any fire. (With HA the takeover
            // poll moves the trigger, and tries again after a fire that did not poll.)
            PollTimers.fireIn(context, tenant.name(), 0);
        }
        LOG.info("Added while running: {}", tenant.describe());
    }

    /**
     * Stops a tenant while the bundle runs, after its poll in flight: its poller route, timer, beans, checks and
     * meters go; its checkpoint and dedup keys stay where they are, for a tenant put back or changed.
     *
     * @param forGood whether the tenant leaves (its counters go too) or comes back at once with new settings
     */
    public synchronized void remove(String name, boolean forGood) throws Exception {
        Running gone = running.remove(name);
        if (gone == null) {
            return;
        }
        TenantParts tenant = gone.parts();
        String route = tenant.names().pollRouteId();
        // graceful: Camel's shutdown strategy lets the poll in flight end, its deliveries and checkpoint included
        context.getRouteController().stopRoute(route);
        context.removeRoute(route);
        gone.leadership().close();
        ha.leave(name);
        PollTimers.forget(context, name);
        HealthCheckRegistry checks = HealthCheckRegistry.get(context);
        if (checks != null) {
            checks.unregister(tenant.health());
        }
        TenantMeters.unbind(meters(), name, forGood);
        health.remove(name);
        sinkTenants.remove(name);
        actionTenants.remove(name);
        TenantAssembly.unbindTenantBeans(context, name);
        views.remove(name);
        LOG.info("Tenant {} {}", name, forGood ? "removed: its polls have stopped; its checkpoint and dedup keys are kept"
                : "stopped to take its new settings");
    }

    /** A tenant's row of the status page: what it polls and where its settings came from, when. */
    public static StatusReport.TenantView viewOf(TenantParts tenant, String configuredBy, java.time.Instant loadedAt) {
        return new StatusReport.TenantView(tenant.name(), tenant.alertQuery().source(), tenant.criteria().toString(),
                String.join(", ", tenant.sinks().names()), tenant.health(), tenant.checkpoints(), configuredBy, loadedAt);
    }

    private void publish(TenantParts tenant, StatusReport.TenantView view, AutoCloseable leadership) {
        running.put(tenant.name(), new Running(tenant, leadership));
        views.put(tenant.name(), view);
        health.put(tenant.name(), tenant.health());
        sinkTenants.put(tenant.name(), tenant.tenant());
        actionTenants.put(tenant.name(), tenant.actions());
        FailureNotifier notices = notifier;
        if (notices != null) {
            tenant.health().notifyThrough(notices);
        }
    }

    /** Where failure notices go, for the tenants of now and those still to come. */
    public void notifyThrough(FailureNotifier notices) {
        this.notifier = notices;
        running.values().forEach(r -> r.parts().health().notifyThrough(notices));
    }

    private static HighAvailability.Tenant haTenant(TenantParts tenant) {
        return new HighAvailability.Tenant(tenant.name(), tenant.alertQuery(), tenant.checkpoints());
    }

    private MeterRegistry meters() {
        return MicrometerUtils.getOrCreateMeterRegistry(context.getRegistry(), MicrometerConstants.METRICS_REGISTRY_NAME);
    }

    public boolean isRunning(String name) {
        return running.containsKey(name);
    }

    public StatusReport.TenantView view(String name) {
        return views.get(name);
    }

    public TenantParts parts(String name) {
        Running r = running.get(name);
        return r == null ? null : r.parts();
    }

    /** Each running tenant's row of the status page, read at each request. */
    public Collection<StatusReport.TenantView> views() {
        return views.values();
    }

    /** Each running tenant's readiness, read by the failure notices. */
    public Map<String, PollHealthCheck> health() {
        return health;
    }

    /** Each running tenant's sinks, read by the dead letter's replay. */
    public Map<String, Tenant> sinkTenants() {
        return sinkTenants;
    }

    /** Each running tenant's response actions, read by the action desk. */
    public Map<String, ActionTenant> actionTenants() {
        return actionTenants;
    }
}
