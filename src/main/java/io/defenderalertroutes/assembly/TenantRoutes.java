package io.defenderalertroutes.assembly;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.defenderalertroutes.tenant.TenantNames;
import org.apache.camel.spi.RouteTemplateParameterSource;

/**
 * Tells Camel which routes to create from the route templates: a poller per tenant (the alert flow is one route all
 * tenants share), and the dead-letter replay's timer. Camel
 * reads this from the registry when it initializes, after the YAML templates are loaded.
 */
public final class TenantRoutes implements RouteTemplateParameterSource {

    static final String POLLER_TEMPLATE = "defender-poller";

    private final Map<String, Map<String, Object>> routes = new LinkedHashMap<>();

    /** @param leadership the prefix that makes the poll timer a leader-only consumer, or empty without HA */
    public void add(TenantParts tenant, String leadership) {
        routes.put(tenant.names().pollRouteId(), pollerParameters(tenant, leadership));
    }

    /** A route of the bundle's own (not a tenant's) from one of the templates. */
    void addRoute(String routeId, Map<String, Object> parameters) {
        routes.put(routeId, new LinkedHashMap<>(parameters));
    }

    /** The poller template's parameters for a tenant: the same whoever creates the route, the bundle or the Kamelet. */
    static Map<String, Object> pollerParameters(TenantParts tenant, String leadership) {
        TenantNames names = tenant.names();
        Map<String, Object> poller = new LinkedHashMap<>(Map.of(TEMPLATE_ID, POLLER_TEMPLATE, "tenant", tenant.name(),
                "intervalMillis", tenant.intervalMillis(), "leadership", leadership,
                "timer", TenantNames.TIMER_GROUP + "/" + names.timerName()));
        beanParameters(tenant, POLLER_TEMPLATE, poller);
        return poller;
    }

    private static void beanParameters(TenantParts tenant, String template, Map<String, Object> parameters) {
        for (TenantBean bean : TenantBean.values()) {
            if (template.equals(bean.template)) {
                parameters.put(bean.parameter, tenant.names().bean(bean.kind));
            }
        }
    }

    @Override
    public Map<String, Object> parameters(String routeId) {
        return new LinkedHashMap<>(routes.get(routeId));
    }

    @Override
    public Set<String> routeIds() {
        return routes.keySet();
    }
}
