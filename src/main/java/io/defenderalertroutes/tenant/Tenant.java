package io.defenderalertroutes.tenant;

import org.apache.camel.Exchange;

/**
 * The tenant an exchange belongs to, as it travels through the flow: one exchange property, {@value #PROPERTY}, set
 * when a poll opens and copied to every alert of the poll. The routes shared by all tenants (the API call, the sinks,
 * the dead letter) find the tenant's name and settings here; the {@code Defender-Tenant} header is what a sink
 * delivers, not how the flow finds its tenant.
 */
public record Tenant(String name, ApiLimits api, SinkSettings sinks) {

    public static final String PROPERTY = "DefenderTenant";

    /** The exchange's tenant; an exchange of the bundle's flow always has one. */
    public static Tenant of(Exchange exchange) {
        Tenant tenant = exchange.getProperty(PROPERTY, Tenant.class);
        if (tenant == null) {
            throw new IllegalStateException("exchange " + exchange.getExchangeId() + " carries no " + PROPERTY
                    + " property: a route that sends to the bundle's shared routes must keep the exchange's properties");
        }
        return tenant;
    }

    /** The name of the exchange's tenant, or {@code unknown} for an exchange from outside the bundle's flow. */
    public static String nameOf(Exchange exchange) {
        Tenant tenant = exchange.getProperty(PROPERTY, Tenant.class);
        return tenant == null ? "unknown" : tenant.name();
    }

    public void putOn(Exchange exchange) {
        exchange.setProperty(PROPERTY, this);
    }

    /** The name, so that {@code ${exchangeProperty.DefenderTenant}} in a log line reads as the tenant. */
    @Override
    public String toString() {
        return name;
    }
}
