package io.defenderalertroutes.app;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.defenderalertroutes.observe.TenantMeters;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.MicrometerUtils;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.RouteTemplateParameterSource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds one tenant to a running Camel context with the bundle's own flow: the shared API and sink routes and the
 * route templates (loaded from the jar unless the bundle already did), the shared beans, and the tenant's beans,
 * poller and alert flow. The Kamelet runs on this, so that it polls exactly as the bundle does: one definition.
 */
public final class TenantAssembly {

    private static final Logger LOG = LoggerFactory.getLogger(TenantAssembly.class);
    private static final String ROUTES = "classpath:defender-alert-routes/routes/";
    private static final List<String> ROUTE_FILES = List.of("defender-api", "sinks", "notify", "defender-alert",
            "defender-poll");

    private TenantAssembly() {
    }

    /**
     * @param settings    the tenant's settings; {@code defender.sinks} says where its alerts go
     * @param pollOnStart whether the first poll comes at once or one interval later
     */
    public static TenantPipeline add(CamelContext context, Settings settings, boolean pollOnStart) throws Exception {
        BundleDefaults.apply(context);
        Clock clock = Clock.systemUTC();
        var trust = DefenderConfiguration.trust(settings);
        DefenderConfiguration.bindSharedBeans(context, settings, clock, trust);
        loadRoutesUnlessThere(context);
        TenantPipeline tenant = TenantPipeline.build(settings, settings, null, clock, trust.sslContext());
        DefenderConfiguration.bindTenantBeans(context, tenant);
        ObservabilityStarter.registerHealthChecks(context, List.of(tenant));
        TenantMeters.bind(MicrometerUtils.getOrCreateMeterRegistry(context.getRegistry(),
                MicrometerConstants.METRICS_REGISTRY_NAME), tenant.name(), tenant.health(), tenant.checkpoints(),
                tenant.tokens(), tenant.alertQuery(), tenant.pollGuard(), clock);
        long firstFire = pollOnStart ? TenantRoutes.FIRST_FIRE_DELAY_MILLIS : tenant.intervalMillis();
        addRoute(context, tenant.names().alertRouteId(), TenantRoutes.alertFlowParameters(tenant));
        addRoute(context, tenant.names().pollRouteId(), TenantRoutes.pollerParameters(tenant, "", firstFire));
        LOG.info(tenant.describe());
        return tenant;
    }

    private static void addRoute(CamelContext context, String routeId, Map<String, Object> parameters) {
        String template = (String) parameters.remove(RouteTemplateParameterSource.TEMPLATE_ID);
        TemplatedRouteBuilder.builder(context, template).routeId(routeId).parameters(parameters).add();
    }

    private static void loadRoutesUnlessThere(CamelContext context) throws Exception {
        if (((ModelCamelContext) context).getRouteTemplateDefinition(TenantRoutes.POLLER_TEMPLATE) != null) {
            return;
        }
        List<Resource> resources = new ArrayList<>();
        for (String file : ROUTE_FILES) {
            resources.add(ResourceHelper.resolveMandatoryResource(context, ROUTES + file + ".camel.yaml"));
        }
        PluginHelper.getRoutesLoader(context).loadRoutes(resources);
    }
}
