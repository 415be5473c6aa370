package io.defenderalertroutes.app;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.defenderalertroutes.tenant.TenantNames;
import org.apache.camel.spi.RouteTemplateParameterSource;
import org.quartz.TriggerKey;

/**
 * Tells Camel which routes to create from the route templates: a poller and an alert flow per tenant. Camel
 * reads this from the registry when it initializes, after the YAML templates are loaded.
 */
final class TenantRoutes implements RouteTemplateParameterSource {

    static final String POLLER_TEMPLATE = "defender-poller";
    static final String ALERT_FLOW_TEMPLATE = "defender-alert-flow";

    private final Map<String, Map<String, Object>> routes = new LinkedHashMap<>();

    /** @param leadership the prefix that makes the poll timer a leader-only consumer, or empty without HA */
    void add(TenantPipeline tenant, String leadership) {
        TenantNames names = tenant.names();
        Map<String, Object> poller = new LinkedHashMap<>(Map.of(TEMPLATE_ID, POLLER_TEMPLATE, "tenant", tenant.name(),
                "intervalMillis", tenant.intervalMillis(), "leadership", leadership,
                "timer", TenantNames.TIMER_GROUP + "/" + names.timerName(), "alertFlow", names.alertFlowEndpoint()));
        Map<String, Object> alertFlow = new LinkedHashMap<>(Map.of(TEMPLATE_ID, ALERT_FLOW_TEMPLATE, "tenant", tenant.name(),
                "alertFlow", names.alertFlowEndpoint()));
        for (TenantBean bean : TenantBean.values()) {
            (bean.template.equals(POLLER_TEMPLATE) ? poller : alertFlow).put(bean.parameter, names.bean(bean.kind));
        }
        routes.put(names.pollRouteId(), poller);
        routes.put(names.alertRouteId(), alertFlow);
    }

    /** The Quartz trigger of the tenant's poll timer. */
    static TriggerKey pollTrigger(String tenant) {
        return TriggerKey.triggerKey(new TenantNames(tenant).timerName(), TenantNames.TIMER_GROUP);
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
