package io.defenderalertroutes.tenant;

/**
 * Every name the bundle derives from a tenant's name, made here and nowhere else: its routes and the endpoint of its
 * alert flow, its Quartz timer, its high-availability namespace, its readiness check and its beans. The route
 * templates get these as parameters rather than building them again.
 */
public record TenantNames(String tenant) {

    private static final String POLL_ROUTE_PREFIX = "defender-poll-";
    private static final String ALERT_ROUTE_PREFIX = "defender-alert-";
    /** The Quartz group of every tenant's timer. */
    public static final String TIMER_GROUP = "defender";

    /** The poller route, from the {@code defender-poller} template. */
    public String pollRouteId() {
        return POLL_ROUTE_PREFIX + tenant;
    }

    /** The alert flow route, from the {@code defender-alert-flow} template. */
    public String alertRouteId() {
        return ALERT_ROUTE_PREFIX + tenant;
    }

    /** Where the poller hands each alert of the tenant. */
    public String alertFlowEndpoint() {
        return "direct:" + alertRouteId();
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

    /** The Kafka topic of the tenant's dedup keys unless one is configured. */
    public String defaultDedupTopic() {
        return "defender-dedup-" + tenant;
    }

    /** The tenant whose poller or alert flow a route is, or null for any other route. */
    public static String tenantOfRoute(String routeId) {
        for (String prefix : new String[] {POLL_ROUTE_PREFIX, ALERT_ROUTE_PREFIX}) {
            if (routeId.startsWith(prefix)) {
                return routeId.substring(prefix.length());
            }
        }
        return null;
    }
}
