package io.defenderalertroutes.assembly;

import java.time.Clock;
import java.util.List;

import io.defenderalertroutes.observe.TenantMeters;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.MicrometerUtils;
import org.apache.camel.health.HealthCheckRegistry;

/**
 * Puts each tenant's poll health check into Camel's health registry (readiness) and its state meters into the
 * meter registry that {@code /observe/metrics} scrapes, the same one the routes' {@code micrometer:} steps use.
 */
public final class ObservabilityStarter implements StartupListener {

    private final List<TenantParts> tenants;
    private final Clock clock;
    private boolean bound;

    public ObservabilityStarter(List<TenantParts> tenants, Clock clock) {
        this.tenants = List.copyOf(tenants);
        this.clock = clock;
    }

    /** Before the routes start, so that readiness is DOWN from the first moment rather than missing. */
    public static void registerHealthChecks(CamelContext context, List<TenantParts> tenants) {
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health == null) {
            return;
        }
        for (TenantParts tenant : tenants) {
            tenant.health().setCamelContext(context);
            health.register(tenant.health());
        }
    }

    @Override
    public synchronized void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        if (bound) {
            return;
        }
        bound = true;
        MeterRegistry meters = MicrometerUtils.getOrCreateMeterRegistry(context.getRegistry(),
                MicrometerConstants.METRICS_REGISTRY_NAME);
        for (TenantParts tenant : tenants) {
            TenantMeters.bind(meters, tenant.name(), tenant.health(), tenant.checkpoints(), tenant.tokens(),
                    tenant.alertQuery(), tenant.pollGuard(), clock);
        }
    }
}
