package io.defenderalertroutes.app;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.defenderalertroutes.auth.TokenRefresh;
import io.defenderalertroutes.auth.TrustSettings;
import io.defenderalertroutes.defender.ApiHttpClient;
import io.defenderalertroutes.defender.RetryAfter;
import io.defenderalertroutes.observe.FailureNotifier;
import io.defenderalertroutes.sinks.FileEnvelope;
import io.defenderalertroutes.sinks.SinkSelection;
import io.defenderalertroutes.sinks.TenantSinks;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.quartz.TriggerKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and checks every {@code defender.*} property once, at start-up, builds each tenant's beans, and asks for
 * one poller and one alert flow per tenant from the route templates. A mistake stops start-up
 * with one line naming the property; nothing is guessed.
 * <p>
 * One tenant: the {@code defender.*} keys. Several: {@code defender.tenants=a,b}, and for each any key as
 * {@code defender.tenant.a.<key>}, falling back to {@code defender.<key>}.
 */
public class DefenderConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(DefenderConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        BundleDefaults.apply(context);
        GlobalKeys keys = GlobalKeys.given(context, System.getenv(), DeprecatedKeys.bundled());
        keys.carryDeprecated(context);
        Settings settings = new Settings(context);
        try {
            configure(context, settings);
        } catch (InvalidConfigurationException mistake) {
            // a mistyped key is the likelier cause of what reading the others found (a key "required but not set")
            keys.refuseUnknown(KnownKeys.bundled(), settings.keysRead());
            throw mistake;
        }
        keys.refuseUnknown(KnownKeys.bundled(), settings.keysRead());
    }

    private void configure(CamelContext context, Settings settings) throws Exception {
        Clock clock = Clock.systemUTC();
        TrustSettings trust = trust(settings);
        javax.net.ssl.SSLContext tls = trust.sslContext();
        List<TenantPipeline> tenants = new ArrayList<>();
        List<String> names = settings.list("defender.tenants", "");
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!TenantPipeline.NAME.matcher(name).matches() || !seen.add(name)) {
                throw new InvalidConfigurationException("defender.tenants", "'" + name
                        + "' is not a tenant name (letters, digits, '.', '_', '-'; each name once)");
            }
        }
        Map<String, List<String>> perTenantKeys = perTenantKeys(context, names);
        if (names.isEmpty()) {
            tenants.add(TenantPipeline.build(settings, null, clock, tls));
        } else {
            for (String name : names) {
                Settings view = settings.forTenant(name);
                tenants.add(TenantPipeline.build(view, name, clock, tls));
                view.refuseKeysNotReadPerTenant(perTenantKeys.getOrDefault(name, List.of()));
            }
        }

        Registry registry = context.getRegistry();
        bindSharedBeans(context, trust);
        HighAvailability ha = HighAvailability.configure(settings, context);
        ha.tenants(tenants);
        Map<TriggerKey, Long> firstPollDelays = new LinkedHashMap<>();
        TenantRoutes routes = new TenantRoutes();
        for (TenantPipeline tenant : tenants) {
            bindTenantBeans(context, tenant);
            // As the seed service does, the first poll comes one interval after start unless asked for at once. With
            // high availability the first poll is the new leader's (TakeoverPoll), and the timer is left as it is: the
            // election may already have moved it while the context was starting.
            firstPollDelays.put(TenantRoutes.pollTrigger(tenant.name()),
                    tenant.pollOnStart() || ha.enabled() ? 0 : tenant.intervalMillis());
            routes.add(tenant, ha.leadershipPrefix(tenant.name()));
            ha.watchLeadership(context, tenant);
            LOG.info(tenant.describe());
        }
        DeadLetterSetup.configure(context, settings, tenants, routes,
                ha.leadershipOfStateDir(DeadLetterSetup.HA_NAMESPACE), clock);
        registry.bind("defenderTenantRoutes", routes);
        ResponseActions.configure(context, settings, tenants, clock);
        ManagementPages.configure(context, settings, tenants, clock);
        context.addStartupListener((ctx, alreadyStarted) -> checkSinkRoutes(ctx, tenants));
        Optional<String> webhookUrl = settings.optional("defender.notify.url");
        webhookUrl.ifPresent(url -> TenantPipeline.checkHttpUrl(settings, "defender.notify.url", url));
        List<String> channels = new ArrayList<>();
        webhookUrl.ifPresent(url -> channels.add(FailureNotifier.WEBHOOK));
        if (NoticeEmail.configure(context, settings, trust)) {
            channels.add(FailureNotifier.EMAIL);
        }
        FailureNotifier notifier = new FailureNotifier(clock, tenants.stream()
                .collect(Collectors.toMap(TenantPipeline::name, TenantPipeline::health)), channels);
        context.getManagementStrategy().addEventNotifier(notifier);
        tenants.forEach(t -> t.health().notifyThrough(notifier));
        ObservabilityStarter.registerHealthChecks(context, tenants);
        context.addStartupListener(new ObservabilityStarter(tenants, clock));
        context.addStartupListener(new PollScheduleStarter(firstPollDelays));
    }

    /**
     * Every {@code defender.tenant.<name>.<key>} given, as a property (files, overrides, JVM system properties) or as
     * an environment variable ({@code DEFENDER_TENANT_<NAME>_<KEY>}), by the tenant it names: the longest name that
     * fits, so that keys of eu-west are not taken for eu's. A key that names no tenant stops start-up.
     */
    private static Map<String, List<String>> perTenantKeys(CamelContext context, List<String> tenants) {
        String prefix = "defender.tenant.";
        java.util.Set<String> keys = new java.util.TreeSet<>(context.getPropertiesComponent()
                .loadProperties(k -> k.startsWith(prefix)).stringPropertyNames());
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith(prefix)).forEach(keys::add);
        // only variables of the tenants named: others starting with DEFENDER_TENANT_ (the single tenant's
        // DEFENDER_TENANT_ID, or an orchestrator's DEFENDER_TENANT_ID_FILE) are not ours to judge
        List<String> envPrefixes = tenants.stream().map(t -> Settings.envForm(prefix + t + ".")).toList();
        System.getenv().keySet().stream().filter(k -> envPrefixes.stream().anyMatch(k::startsWith)).forEach(keys::add);
        Map<String, List<String>> byTenant = new LinkedHashMap<>();
        for (String key : keys) {
            boolean property = key.startsWith(prefix);
            String owner = tenants.stream()
                    .filter(t -> property ? key.startsWith(prefix + t + ".")
                            : key.startsWith(Settings.envForm(prefix + t + ".")))
                    .max(java.util.Comparator.comparingInt(String::length)).orElse(null);
            if (owner == null) {
                throw new InvalidConfigurationException(key, tenants.isEmpty()
                        ? "is for a tenant of defender.tenants, which is not set: use the defender.* keys for one tenant"
                        : "names no tenant of defender.tenants (" + String.join(", ", tenants) + ")");
            }
            byTenant.computeIfAbsent(owner, t -> new ArrayList<>()).add(key);
        }
        return byTenant;
    }

    /**
     * The beans the shared routes use (API calls, sinks), bound unless already there: the bundle binds them at
     * start-up, and the Kamelet, when it runs the same routes without the bundle, binds them itself.
     */
    static void bindSharedBeans(CamelContext context, TrustSettings trust) {
        Registry registry = context.getRegistry();
        if (registry.lookupByName("defenderApiHttpClient") != null) {
            return;
        }
        registry.bind("defenderFileEnvelope", new FileEnvelope());
        registry.bind("defenderAlertMeters", new io.defenderalertroutes.observe.AlertMeters());
        registry.bind("defenderPageOutcomes", io.defenderalertroutes.observe.AlertOutcomes.pageOfAPoll());
        registry.bind("defenderFanOutOutcomes", io.defenderalertroutes.observe.AlertOutcomes.eachOfAnAlert());
        registry.bind("defenderTokenRefresh", new TokenRefresh());
        registry.bind("defenderTenantSinks", new TenantSinks());
        registry.bind(io.defenderalertroutes.sinks.KafkaBatches.BEAN, new io.defenderalertroutes.sinks.KafkaBatches());
        registry.bind(AlertFlowSteps.BEAN, new AlertFlowSteps());
        registry.bind(TenantDedup.BEAN, new TenantDedup());
        registry.bind("defenderApiHttpClient", new ApiHttpClient());
        registry.bind("defenderApiTls", trust.camelParameters());
        registry.bind("defenderRetryAfter", new RetryAfter(Duration.ofSeconds(5)));
        // the notice routes are shared too; e-mail notices, when the bundle's settings ask for them, rebind this
        registry.bind("defenderNoticeMail", NoticeEmail.unused());
        // so is the dead letter's replay, which the bundle rebinds when the dead letter is a directory
        DeadLetterSetup.bindUnused(context);
        // and the management pages', which the bundle rebinds with its tenants and token
        registry.bind("defenderManagementGate", io.defenderalertroutes.gate.HttpGate.forManagement(null, false));
        registry.bind("defenderStatus", new io.defenderalertroutes.observe.StatusReport(List.of(), t -> null, Clock.systemUTC()));
    }

    /** A tenant's beans, under the names its routes are given (in {@link TenantBeanRepository}). */
    static void bindTenantBeans(CamelContext context, TenantPipeline tenant) {
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

    static TrustSettings trust(Settings settings) {
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

    private static void checkSinkRoutes(CamelContext context, List<TenantPipeline> tenants) {
        // from the route definitions: with supervised routes, some are not started (or even created) yet here
        Set<String> consumed = ((org.apache.camel.model.ModelCamelContext) context).getRouteDefinitions().stream()
                .map(r -> r.getInput().getEndpointUri().replace("direct://", "direct:"))
                .collect(Collectors.toSet());
        for (TenantPipeline tenant : tenants) {
            for (String sink : tenant.sinks().names()) {
                if (!SinkSelection.isEndpointUri(sink) && !consumed.contains(SinkSelection.endpointOf(sink))) {
                    throw new InvalidConfigurationException("defender.sinks", "no route consumes "
                            + SinkSelection.endpointOf(sink) + " for sink '" + sink + "'; known sinks are kafka, file, http");
                }
            }
        }
    }
}
