package io.defenderalertroutes.app;

import io.defenderalertroutes.assembly.DeadLetterSetup;
import io.defenderalertroutes.assembly.LiveTenants;
import io.defenderalertroutes.assembly.TenantDirectoryWatch;
import io.defenderalertroutes.assembly.ObservabilityStarter;
import io.defenderalertroutes.assembly.TenantAssembly;
import io.defenderalertroutes.assembly.TenantParts;
import io.defenderalertroutes.assembly.TenantRoutes;
import io.defenderalertroutes.auth.TrustSettings;
import io.defenderalertroutes.config.BundleSettings;
import io.defenderalertroutes.config.InvalidConfigurationException;
import io.defenderalertroutes.config.TenantDirectory;
import io.defenderalertroutes.config.Settings;
import io.defenderalertroutes.ha.HighAvailability;
import io.defenderalertroutes.observe.FailureNotifier;
import io.defenderalertroutes.observe.ManagementPages;
import io.defenderalertroutes.observe.NoticeMailSettings;
import io.defenderalertroutes.observe.StatusReport;
import io.defenderalertroutes.observe.TenantFileRefusals;
import io.defenderalertroutes.schedule.PollTimers;
import io.defenderalertroutes.sinks.SinkSelection;
import io.defenderalertroutes.state.KafkaDedupTopic;
import java.nio.file.Path;
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

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
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
        BundleSettings.read(context, settings -> configure(context, settings));
    }

    private void configure(CamelContext context, Settings settings) throws Exception {
        Clock clock = Clock.systemUTC();
        TrustSettings trust = TenantAssembly.trust(settings);
        javax.net.ssl.SSLContext tls = trust.sslContext();
        List<String> names = settings.list("defender.tenants", "");
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!TenantParts.NAME.matcher(name).matches() || !seen.add(name)) {
                throw new InvalidConfigurationException("defender.tenants", "'" + name
                        + "' is not a tenant name (letters, digits, '.', '_', '-'; each name once)");
            }
        }
        // tenants of files of their own (defender.tenants.dir), beside or instead of defender.tenants
        Optional<Path> dir = settings.optional(TenantDirectory.KEY).map(Path::of);
        Map<String, TenantDirectory.TenantFile> files = new LinkedHashMap<>();
        for (TenantDirectory.TenantFile file : dir.map(TenantDirectory::read).orElse(List.of())) {
            if (seen.contains(file.name())) {
                throw new InvalidConfigurationException(TenantDirectory.KEY, file.file() + ": tenant '" + file.name()
                        + "' is named in defender.tenants too; keep each tenant in one place");
            }
            files.put(file.name(), file);
        }
        Duration rescan = settings.duration("defender.tenants.dir.rescan", Duration.ofSeconds(1), Duration.ofDays(1));
        Duration keepState = settings.duration("defender.tenants.dir.keep-state", Duration.ZERO, Duration.ofDays(3650));
        List<String> all = new ArrayList<>(names);
        all.addAll(files.keySet());
        Map<String, List<String>> perTenantKeys = perTenantKeys(context, all);
        List<TenantParts> tenants = new ArrayList<>();
        Map<String, String> tenantIds = new LinkedHashMap<>();
        if (all.isEmpty() && dir.isEmpty()) {
            tenants.add(TenantParts.build(settings, null, clock, tls));
        } else if (all.isEmpty()) {
            // a tenant directory still empty: its first file is the first tenant, whenever it comes
            LOG.info("No tenant yet: {} is empty, and defender.tenants names none", dir.get());
        } else {
            for (String name : names) {
                Settings view = settings.forTenant(name);
                tenants.add(TenantParts.build(view, name, clock, tls));
                view.refuseKeysNotReadPerTenant(perTenantKeys.getOrDefault(name, List.of()));
            }
            for (TenantDirectory.TenantFile file : files.values()) {
                TenantDirectoryWatch.Built built = fromFile(settings, file, clock, tls,
                        perTenantKeys.getOrDefault(file.name(), List.of()));
                tenants.add(built.parts());
                tenantIds.put(file.name(), built.tenantId());
            }
        }

        // the routes' redelivery policies take these ({{millis:...}}): checked here, where a mistake is one line
        settings.duration("defender.api.retry-delay", Duration.ZERO, Duration.ofMinutes(1));
        settings.duration("defender.sink.retry-delay", Duration.ZERO, Duration.ofMinutes(1));
        TenantAssembly.bindSharedBeans(context, trust);
        TenantAssembly.bindDedupTopic(context, settings, tenants);
        HighAvailability ha = HighAvailability.configure(settings, context);
        LiveTenants live = new LiveTenants(context, ha);
        Map<String, Long> firstPollDelays = new LinkedHashMap<>();
        TenantRoutes routes = new TenantRoutes();
        java.time.Instant loaded = clock.instant();
        for (TenantParts tenant : tenants) {
            String configuredBy = files.containsKey(tenant.name()) ? files.get(tenant.name()).file().toString()
                    : names.isEmpty() ? "the defender.* keys" : "defender.tenants";
            firstPollDelays.put(tenant.name(), live.atStartUp(tenant, LiveTenants.viewOf(tenant, configuredBy, loaded),
                    routes));
        }
        DeadLetterSetup.configure(context, settings, live.sinkTenants(), routes,
                ha.leadershipOfStateDir(DeadLetterSetup.HA_NAMESPACE), clock);
        context.getRegistry().bind("defenderTenantRoutes", routes);
        boolean actions = ResponseActions.configure(context, settings, live.actionTenants(), clock);
        TenantFileRefusals refusals = new TenantFileRefusals(context, clock);
        TenantDirectoryWatch watch = new TenantDirectoryWatch(dir.orElse(null), Set.copyOf(names), live, refusals,
                file -> whileRunning(context, settings, file, clock, tls, actions),
                Path.of(settings.string("defender.state-dir")), keepState, name -> {
                    ha.forgetCheckpoint(name);
                    KafkaDedupTopic dedupTopic = context.getRegistry().lookupByNameAndType(KafkaDedupTopic.BEAN,
                            KafkaDedupTopic.class);
                    if (dedupTopic != null) {
                        dedupTopic.forget(name);
                    }
                }, clock);
        files.values().forEach(file -> watch.started(file, tenantIds.get(file.name())));
        context.getRegistry().bind(TenantDirectoryWatch.BEAN, watch);
        ManagementPages.configure(context, settings, live.views(), tenant -> PollTimers.nextPoll(context, tenant),
                () -> {
                    List<StatusReport.Notice> notices = new ArrayList<>(ResponseActions.notices(context));
                    notices.addAll(refusals.notices());
                    return notices;
                }, clock);
        context.addStartupListener((ctx, alreadyStarted) -> checkSinkRoutes(ctx, tenants));
        Optional<String> webhookUrl = settings.optional("defender.notify.url");
        webhookUrl.ifPresent(url -> settings.checkHttpUrl("defender.notify.url", url));
        List<String> channels = new ArrayList<>();
        webhookUrl.ifPresent(url -> channels.add(FailureNotifier.WEBHOOK));
        if (NoticeMailSettings.configure(context, settings, trust)) {
            channels.add(FailureNotifier.EMAIL);
        }
        FailureNotifier notifier = new FailureNotifier(clock, live.health(), channels);
        context.getManagementStrategy().addEventNotifier(notifier);
        live.notifyThrough(notifier);
        ObservabilityStarter.registerHealthChecks(context, tenants);
        context.addStartupListener(new ObservabilityStarter(tenants, clock));
        context.addStartupListener(PollTimers.starter(firstPollDelays));
        if (dir.isPresent()) {
            // tenants removed while running must leave nothing behind in Camel's route checks
            context.addStartupListener(io.defenderalertroutes.observe.LiveRouteChecks.replacingCamelsOwn());
            TenantDirectoryWatch.watchWhileRunning(context, dir.get(), rescan);
        }
    }

    /**
     * A tenant file taken while the bundle runs: every check of a start-up, and those a start-up makes once its
     * routes are loaded (its sinks' routes) or that only a start-up can satisfy (the response actions' routes).
     */
    private static TenantDirectoryWatch.Built whileRunning(CamelContext context, Settings settings,
            TenantDirectory.TenantFile file, Clock clock, javax.net.ssl.SSLContext tls, boolean actions) {
        TenantDirectoryWatch.Built built = fromFile(settings, file, clock, tls, List.of());
        checkSinkRoutes(context, List.of(built.parts()));
        if (!actions && !built.parts().actions().allowed().isEmpty()) {
            throw new InvalidConfigurationException(file.file() + ": actions.allowed", "the response actions were not "
                    + "started with the bundle (no tenant allowed any then): restart to allow them");
        }
        try {
            // the first tenant keeping its keys in Kafka may come while the bundle runs
            TenantAssembly.bindDedupTopic(context, settings, List.of(built.parts()));
        } catch (Exception e) {
            throw new InvalidConfigurationException(file.file() + ": dedup", "the dedup topic cannot be opened ("
                    + e.getMessage() + ")");
        }
        return built;
    }

    /** A tenant of {@code defender.tenants.dir}, with every check of a start-up, a mistake told as the file's. */
    private static TenantDirectoryWatch.Built fromFile(Settings settings, TenantDirectory.TenantFile file, Clock clock,
            javax.net.ssl.SSLContext tls, List<String> alsoGiven) {
        Settings view = TenantDirectoryWatch.settingsOf(settings, file);
        try {
            TenantParts tenant = TenantParts.build(view, file.name(), clock, tls);
            List<String> given = new ArrayList<>(alsoGiven);
            given.addAll(file.scoped().keySet());
            view.refuseKeysNotReadPerTenant(given);
            return new TenantDirectoryWatch.Built(tenant, view.string("defender.tenant-id"));
        } catch (InvalidConfigurationException mistake) {
            throw file.inFile(mistake);
        }
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

    private static void checkSinkRoutes(CamelContext context, List<TenantParts> tenants) {
        // from the route definitions: with supervised routes, some are not started (or even created) yet here
        Set<String> consumed = ((org.apache.camel.model.ModelCamelContext) context).getRouteDefinitions().stream()
                .map(r -> r.getInput().getEndpointUri().replace("direct://", "direct:"))
                .collect(Collectors.toSet());
        for (TenantParts tenant : tenants) {
            for (String sink : tenant.sinks().names()) {
                if (!SinkSelection.isEndpointUri(sink) && !consumed.contains(SinkSelection.endpointOf(sink))) {
                    throw new InvalidConfigurationException("defender.sinks", "no route consumes "
                            + SinkSelection.endpointOf(sink) + " for sink '" + sink + "'; known sinks are kafka, file, http");
                }
            }
        }
    }
}
