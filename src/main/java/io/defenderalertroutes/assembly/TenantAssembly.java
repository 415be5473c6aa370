package io.defenderalertroutes.assembly;

import io.defenderalertroutes.auth.TokenRefresh;
import io.defenderalertroutes.auth.TrustSettings;
import io.defenderalertroutes.config.BundleDefaults;
import io.defenderalertroutes.config.InvalidConfigurationException;
import io.defenderalertroutes.config.Settings;
import io.defenderalertroutes.defender.ApiHttpClient;
import io.defenderalertroutes.defender.RetryAfter;
import io.defenderalertroutes.meters.AlertMeters;
import io.defenderalertroutes.observe.AlertOutcomes;
import io.defenderalertroutes.gate.HttpGate;
import io.defenderalertroutes.observe.NoticeMailSettings;
import io.defenderalertroutes.observe.StatusReport;
import io.defenderalertroutes.observe.TenantMeters;
import io.defenderalertroutes.schedule.PollTimers;
import io.defenderalertroutes.sinks.FileEnvelope;
import io.defenderalertroutes.sinks.KafkaBatches;
import io.defenderalertroutes.sinks.TenantSinks;
import io.defenderalertroutes.state.KafkaDedupTopic;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.MicrometerUtils;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.spi.Registry;
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
            "dead-letters", "notify");
    private static final List<String> TEMPLATE_FILES = List.of("defender-poll");

    private TenantAssembly() {
    }

    /**
     * @param settings    the tenant's settings; {@code defender.sinks} says where its alerts go
     * @param pollOnStart whether the first poll comes at once or one interval later
     */
    public static TenantParts add(CamelContext context, Settings settings, boolean pollOnStart) throws Exception {
        BundleDefaults.apply(context);
        Clock clock = Clock.systemUTC();
        var trust = trust(settings);
        bindSharedBeans(context, trust);
        loadRoutesUnlessThere(context);
        TenantParts tenant = TenantParts.build(settings, null, clock, trust.sslContext());
        if (context.getRoute(tenant.names().pollRouteId()) != null
                || context.getRegistry().lookupByName(tenant.names().bean(TenantBean.ALERT_QUERY.kind)) != null) {
            throw new InvalidConfigurationException("defender.tenant-name", "tenant '" + tenant.name()
                    + "' is already polled in this application; give each Kamelet of one tenant a tenantName of its own");
        }
        bindDedupTopic(context, settings, List.of(tenant));
        bindTenantBeans(context, tenant);
        ObservabilityStarter.registerHealthChecks(context, List.of(tenant));
        TenantMeters.bind(MicrometerUtils.getOrCreateMeterRegistry(context.getRegistry(),
                MicrometerConstants.METRICS_REGISTRY_NAME), tenant.name(), tenant.health(), tenant.checkpoints(),
                tenant.tokens(), tenant.alertQuery(), tenant.pollGuard(), clock);
        addRoute(context, tenant.names().pollRouteId(), TenantRoutes.pollerParameters(tenant, ""));
        if (!pollOnStart) {
            PollTimers.fireIn(context, tenant.name(), tenant.intervalMillis());
        }
        LOG.info(tenant.describe());
        return tenant;
    }

    /**
     * The beans the shared routes use (API calls, sinks), bound unless already there: the bundle binds them at
     * start-up, and the Kamelet, when it runs the same routes without the bundle, binds them itself.
     */
    public static void bindSharedBeans(CamelContext context, TrustSettings trust) {
        Registry registry = context.getRegistry();
        if (registry.lookupByName("defenderApiHttpClient") != null) {
            return;
        }
        registry.bind("defenderFileEnvelope", new FileEnvelope());
        registry.bind("defenderAlertMeters", new AlertMeters());
        registry.bind("defenderPageOutcomes", AlertOutcomes.pageOfAPoll());
        registry.bind("defenderFanOutOutcomes", AlertOutcomes.eachOfAnAlert());
        registry.bind("defenderTokenRefresh", new TokenRefresh());
        registry.bind("defenderTenantSinks", new TenantSinks());
        registry.bind(io.defenderalertroutes.sinks.SinkFormats.BEAN, new io.defenderalertroutes.sinks.SinkFormats());
        registry.bind(KafkaBatches.BEAN, new KafkaBatches());
        registry.bind(AlertFlowSteps.BEAN, new AlertFlowSteps());
        registry.bind(DedupStoreByTenant.BEAN, new DedupStoreByTenant());
        registry.bind("defenderApiHttpClient", new ApiHttpClient());
        registry.bind("defenderApiTls", trust.camelParameters());
        registry.bind("defenderRetryAfter", new RetryAfter(Duration.ofSeconds(5)));
        // the notice routes are shared too; e-mail notices, when the bundle's settings ask for them, rebind this
        registry.bind("defenderNoticeMail", NoticeMailSettings.unused());
        // so is the dead letter's replay, which the bundle rebinds when the dead letter is a directory
        DeadLetterSetup.bindUnused(context);
        // and the management pages', which the bundle rebinds with its tenants and token
        registry.bind("defenderManagementGate", HttpGate.forManagement(null, false));
        registry.bind("defenderStatus", new StatusReport(List.of(), t -> null, Clock.systemUTC()));
        registry.bind("defenderPollOnDemand", new io.defenderalertroutes.observe.PollOnDemand(List.of(),
                io.defenderalertroutes.observe.PollOnDemand.WAIT));
    }

    /**
     * The one dedup topic of every tenant with {@code defender.dedup=kafka}, read from the process's keys and bound
     * once (unless no tenant keeps its keys in Kafka). It starts with the context, which checks the topic then.
     *
     * @param settings the process's settings, not a tenant's: the topic is the same for all
     */
    public static void bindDedupTopic(CamelContext context, Settings settings, List<TenantParts> tenants)
            throws Exception {
        if (tenants.stream().noneMatch(t -> t.dedup() instanceof io.defenderalertroutes.state.KafkaDedupStore)
                || context.getRegistry().lookupByName(KafkaDedupTopic.BEAN) != null) {
            return;
        }
        KafkaDedupTopic topic = new KafkaDedupTopic(settings.string(KafkaDedupTopic.TOPIC_KEY),
                settings.integer("defender.dedup.kafka.partitions", 1, 10_000), settings.bool(KafkaDedupTopic.CREATE_KEY));
        topic.setCamelContext(context);
        context.getRegistry().bind(KafkaDedupTopic.BEAN, topic);
        // the Kamelet adds its tenant to a running context, whose services have started already
        context.addService(topic, true, context.isStarted());
    }

    /** A tenant's beans, under the names its routes are given (in {@link TenantBeanRepository}). */
    public static void bindTenantBeans(CamelContext context, TenantParts tenant) {
        TenantBeanRepository repository = TenantBeanRepository.of(context);
        for (TenantBean bean : TenantBean.values()) {
            Object made = bean.of.apply(tenant);
            // a bean a route template used to get from Camel (the Kafka dedup store needs the context)
            org.apache.camel.CamelContextAware.trySetCamelContext(made, context);
            if (repository != null) {
                repository.bind(tenant.names().bean(bean.kind), made);
            } else {
                context.getRegistry().bind(tenant.names().bean(bean.kind), made);
            }
        }
    }

    /** The beans {@link #bindTenantBeans} bound, for a tenant removed while the bundle runs. */
    static void unbindTenantBeans(CamelContext context, String tenant) {
        TenantBeanRepository repository = TenantBeanRepository.of(context);
        for (TenantBean bean : TenantBean.values()) {
            String name = new io.defenderalertroutes.tenant.TenantNames(tenant).bean(bean.kind);
            if (repository != null) {
                repository.unbind(name);
            } else {
                context.getRegistry().unbind(name);
            }
        }
    }

    /** The poller's route template, loaded again if Camel dropped it once the start-up's routes were made. */
    static void ensurePollerTemplate(CamelContext context) throws Exception {
        if (((ModelCamelContext) context).getRouteTemplateDefinition(TenantRoutes.POLLER_TEMPLATE) == null) {
            List<Resource> resources = new ArrayList<>();
            for (String file : TEMPLATE_FILES) {
                resources.add(ResourceHelper.resolveMandatoryResource(context, ROUTES + file + ".camel.yaml"));
            }
            PluginHelper.getRoutesLoader(context).loadRoutes(resources);
        }
    }

    public static TrustSettings trust(Settings settings) {
        java.util.Optional<String> file = settings.optional("defender.tls.trust-store");
        if (file.isEmpty()) {
            return new TrustSettings(null, null, null);
        }
        java.nio.file.Path path = java.nio.file.Path.of(file.get());
        TrustSettings trust = new TrustSettings(path, settings.sensitive("defender.tls.trust-store-password").orElse(null),
                settings.string("defender.tls.trust-store-type"));
        try {
            trust.sslContext();
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            throw new InvalidConfigurationException("defender.tls.trust-store", "cannot load " + path + " ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
        return trust;
    }

    static void addRoute(CamelContext context, String routeId, Map<String, Object> parameters) {
        String template = (String) parameters.remove(RouteTemplateParameterSource.TEMPLATE_ID);
        TemplatedRouteBuilder.builder(context, template).routeId(routeId).parameters(parameters).add();
    }

    private static void loadRoutesUnlessThere(CamelContext context) throws Exception {
        List<String> files = new ArrayList<>();
        // the shared routes, unless the bundle or an earlier Kamelet loaded them (asked of the definitions: before the
        // context starts, routes loaded by the host are defined but not yet made)
        if (context.getRoute("defender-api-call") == null
                && ((ModelCamelContext) context).getRouteDefinition("defender-api-call") == null) {
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
