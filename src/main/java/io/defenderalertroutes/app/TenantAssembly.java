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
    private static final List<String> SHARED_ROUTE_FILES = List.of("defender-api", "defender-alert", "sinks",
            "kafka-batches", "dead-letters", "notify");
    private static final List<String> TEMPLATE_FILES = List.of("defender-poll");

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
        DefenderConfiguration.bindSharedBeans(context, trust);
        loadRoutesUnlessThere(context);
        TenantPipeline tenant = TenantPipeline.build(settings, null, clock, trust.sslContext());
        if (context.getRoute(tenant.names().pollRouteId()) != null
                || context.getRegistry().lookupByName(tenant.names().bean(TenantBean.ALERT_QUERY.kind)) != null) {
            throw new InvalidConfigurationException("defender.tenant-name", "tenant '" + tenant.name()
                    + "' is already polled in this application; give each Kamelet of one tenant a tenantName of its own");
        }
        DefenderConfiguration.bindTenantBeans(context, tenant);
        ObservabilityStarter.registerHealthChecks(context, List.of(tenant));
        TenantMeters.bind(MicrometerUtils.getOrCreateMeterRegistry(context.getRegistry(),
                MicrometerConstants.METRICS_REGISTRY_NAME), tenant.name(), tenant.health(), tenant.checkpoints(),
                tenant.tokens(), tenant.alertQuery(), tenant.pollGuard(), clock);
        addRoute(context, tenant.names().pollRouteId(), TenantRoutes.pollerParameters(tenant, ""));
        if (!pollOnStart) {
            TenantRoutes.fireIn(context.getComponent("quartz", org.apache.camel.component.quartz.QuartzComponent.class)
                    .getScheduler(), TenantRoutes.pollTrigger(tenant.name()), tenant.intervalMillis());
        }
        LOG.info(tenant.describe());
        return tenant;
    }

    private static void addRoute(CamelContext context, String routeId, Map<String, Object> parameters) {
        String template = (String) parameters.remove(RouteTemplateParameterSource.TEMPLATE_ID);
        TemplatedRouteBuilder.builder(context, template).routeId(routeId).parameters(parameters).add();
    }

    private static void loadRoutesUnlessThere(CamelContext context) throws Exception {
        List<String> files = new ArrayList<>();
        // the shared routes, unless the bundle or an earlier Kamelet loaded them
        if (context.getRoute("defender-api-call") == null) {
            files.addAll(SHARED_ROUTE_FILES);
        }
        // the templates, unless still there (Camel may drop templates once their routes are made)
        if (((ModelCamelContext) context).getRouteTemplateDefinition(TenantRoutes.POLLER_TEMPLATE) == null) {
            files.addAll(TEMPLATE_FILES);
        }
        List<Resource> resources = new ArrayList<>();
        for (String file : files) {
            resources.add(ResourceHelper.resolveMandatoryResource(context, ROUTES + file + ".camel.yaml"));
        }
        if (!resources.isEmpty()) {
            PluginHelper.getRoutesLoader(context).loadRoutes(resources);
        }
    }
}
