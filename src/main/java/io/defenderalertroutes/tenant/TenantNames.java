package io.defenderalertroutes.tenant;

/**
 * Every name the bundle derives from a tenant's name, made here and nowhere else: its poller route, its Quartz timer, its high-availability namespace, its readiness check and its beans. The route
 * templates get these as parameters rather than building them again.
 */
public record TenantNames(String tenant) {

    private static final String POLL_ROUTE_PREFIX = "defender-poll-";
    /** The Quartz group of every tenant's timer. */
    public static final String TIMER_GROUP = "defender";

    /** The poller route, from the {@code defender-poller} template. */
    public String pollRouteId() {
        return POLL_ROUTE_PREFIX + tenant;
    }

    /** The name of the tenant's Quartz timer (and job) in {@link #TIMER_GROUP}. */
    public String timerName() {
        return "poll-" + tenant;
    }

    /** The cluster-service namespace whose leader polls the tenant. */
    public String haNamespace() {
        return pollRouteId();
    }

    /** The id of the tenant's readiness check. */
    public String healthCheckId() {
        return pollRouteId();
    }

    /** The registry name of the tenant's bean of a kind, such as {@code defenderAlertQuery}. */
    public String bean(String kind) {
        return kind + "-" + tenant;
    }

    /**
     * The Kafka topic that held the tenant's dedup keys, unless another was configured, before every tenant's keys
     * went to one topic: read once as the tenant upgrades.
     */
    public String oldDedupTopic() {
        return "defender-dedup-" + tenant;
    }

    /** The tenant whose poller a route is, or null for any other route (the alert flow and the sinks are shared). */
    public static String tenantOfRoute(String routeId) {
        return routeId.startsWith(POLL_ROUTE_PREFIX) ? routeId.substring(POLL_ROUTE_PREFIX.length()) : null;
    }
}
