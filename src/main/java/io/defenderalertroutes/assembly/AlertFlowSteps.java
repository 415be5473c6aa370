package io.defenderalertroutes.assembly;

import io.defenderalertroutes.criteria.TriggerCriteria;
import io.defenderalertroutes.defender.AlertHeaders;
import io.defenderalertroutes.sinks.SinkSelection;
import io.defenderalertroutes.tenant.Tenant;
import io.defenderalertroutes.tenant.TenantNames;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;

/**
 * The steps of the alert flow that every tenant shares (routes/defender-alert.camel.yaml, bean
 * {@value #BEAN}): each is done by the bean of the alert's tenant, found under the name the tenant's assembly bound it
 * with, so that tenants share the route and nothing else.
 */
public final class AlertFlowSteps {

    static final String BEAN = "defenderAlertFlow";

    /** The tenant's Defender-* headers and dedup key; the body becomes the raw alert. */
    public void describe(Exchange exchange) throws InvalidPayloadException {
        tenantBean(exchange, TenantBean.ALERT_HEADERS, AlertHeaders.class).describe(exchange);
    }

    /** The tenant's trigger criteria. */
    public boolean matches(Exchange exchange) {
        return tenantBean(exchange, TenantBean.CRITERIA, TriggerCriteria.class).matches(exchange);
    }

    /** With defender.incidents.split-alerts: the alerts of the incident, each to go out on its own too. */
    public java.util.List<io.defenderalertroutes.defender.DefenderAlert> incidentAlerts(Exchange exchange)
            throws java.io.IOException {
        return tenantBean(exchange, TenantBean.ALERT_HEADERS, AlertHeaders.class).incidentAlerts(exchange);
    }

    /** One alert of an incident, described as an alert (its incident's id kept). */
    public void describeIncidentAlert(Exchange exchange) throws InvalidPayloadException {
        tenantBean(exchange, TenantBean.ALERT_HEADERS, AlertHeaders.class).describeIncidentAlert(exchange);
    }

    /** The endpoints of the tenant's sinks for this alert. */
    public String recipients(Exchange exchange) {
        return tenantBean(exchange, TenantBean.SINKS, SinkSelection.class).recipients(exchange);
    }

    static <T> T tenantBean(Exchange exchange, TenantBean bean, Class<T> type) {
        String tenant = Tenant.of(exchange).name();
        T found = exchange.getContext().getRegistry().lookupByNameAndType(new TenantNames(tenant).bean(bean.kind), type);
        if (found == null) {
            throw new IllegalStateException("tenant " + tenant + " has no " + bean.kind + " in this Camel context");
        }
        return found;
    }
}
