package io.defenderalertroutes.app;

import io.defenderalertroutes.assembly.DeadLetterSetup;
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
import io.defenderalertroutes.schedule.PollTimers;
import io.defenderalertroutes.sinks.SinkSelection;
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
        List<TenantParts> tenants = new ArrayList<>();
        List<String> names = settings.list("defender.tenants", "");
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!TenantParts.NAME.matcher(name).matches() || !seen.add(name)) {
                throw new InvalidConfigurationException("defender.tenants", "'" + name
                        + "' is not a tenant name (letters, digits, '.', '_', '-'; each name once)");
            }
        }
        // tenants of files of their own (defender.tenants.dir), beside or instead of defender.tenants
        Map<String, TenantDirectory.TenantFile> files = new LinkedHashMap<>();
        Map<String, String> fileKeys = new LinkedHashMap<>();
        for (TenantDirectory.TenantFile file : settings.optional(TenantDirectory.KEY).map(dir -> TenantDirectory.read(
                java.nio.file.Path.of(dir))).orElse(List.of())) {
            if (seen.contains(file.name())) {
                throw new InvalidConfigurationException(TenantDirectory.KEY, file.file() + ": tenant '" + file.name()
                        + "' is named in defender.tenants too; keep each tenant in one place");
            }
            files.put(file.name(), file);
            fileKeys.putAll(file.scoped());
        }
        List<String> all = new ArrayList<>(names);
        all.addAll(files.keySet());
        // beneath the environment and system properties, which override a file's key as they do any other
        Settings withFiles = fileKeys.isEmpty() ? settings : Settings.beneath(fileKeys, settings);
        Map<String, List<String>> perTenantKeys = perTenantKeys(context, all);
        if (all.isEmpty()) {
            tenants.add(TenantParts.build(settings, null, clock, tls));
        } else {
            for (String name : all) {
                Settings view = withFiles.forTenant(name);
                TenantDirectory.TenantFile file = files.get(name);
                List<String> given = new ArrayList<>(perTenantKeys.getOrDefault(name, List.of()));
                try {
                    tenants.add(TenantParts.build(view, name, clock, tls));
                    if (file != null) {
                        given.addAll(file.scoped().keySet());
                    }
                    view.refuseKeysNotReadPerTenant(given);
                } catch (InvalidConfigurationException mistake) {
                    throw file == null ? mistake : file.inFile(mistake);
                }
            }
        }

        // the routes' redelivery policies take these ({{millis:...}}): checked here, where a mistake is one line
        settings.duration("defender.api.retry-delay", Duration.ZERO, Duration.ofMinutes(1));
        settings.duration("defender.sink.retry-delay", Duration.ZERO, Duration.ofMinutes(1));
        Registry registry = context.getRegistry();
        TenantAssembly.bindSharedBeans(context, trust);
        TenantAssembly.bindDedupTopic(context, settings, tenants);
        HighAvailability ha = HighAvailability.configure(settings, context);
        ha.spread(tenants.stream().map(t -> new HighAvailability.Tenant(t.name(), t.alertQuery(), t.checkpoints()))
                .toList());
        Map<String, Long> firstPollDelays = new LinkedHashMap<>();
        TenantRoutes routes = new TenantRoutes();
        for (TenantParts tenant : tenants) {
            TenantAssembly.bindTenantBeans(context, tenant);
            // As the seed service does, the first poll comes one interval after start unless asked for at once. With
            // high availability the first poll is the new leader's (PollTimers.takeoverPoll), and the timer is left as it is: the
            // election may already have moved it while the context was starting.
            firstPollDelays.put(tenant.name(),
                    tenant.pollOnStart() || ha.enabled() ? 0 : tenant.intervalMillis());
            routes.add(tenant, ha.leadershipPrefix(tenant.name()));
            ha.watchLeadership(context, tenant.name(), tenant.health(), tenant.alertQuery(), tenant.dedup(),
                    leading -> PollTimers.takeoverPoll(context, tenant.name(), tenant.pollGuard(), leading));
            LOG.info(tenant.describe());
        }
        DeadLetterSetup.configure(context, settings, tenants, routes,
                ha.leadershipOfStateDir(DeadLetterSetup.HA_NAMESPACE), clock);
        registry.bind("defenderTenantRoutes", routes);
        ResponseActions.configure(context, settings, tenants, clock);
        java.time.Instant loaded = clock.instant();
        ManagementPages.configure(context, settings, tenants.stream().map(t -> new StatusReport.TenantView(t.name(),
                t.alertQuery().source(), t.criteria().toString(), String.join(", ", t.sinks().names()), t.health(),
                t.checkpoints(), files.containsKey(t.name()) ? files.get(t.name()).file().toString()
                        : names.isEmpty() ? "the defender.* keys" : "defender.tenants", loaded)).toList(),
                tenant -> PollTimers.nextPoll(context, tenant),
                () -> ResponseActions.notices(context), clock);
        context.addStartupListener((ctx, alreadyStarted) -> checkSinkRoutes(ctx, tenants));
        Optional<String> webhookUrl = settings.optional("defender.notify.url");
        webhookUrl.ifPresent(url -> settings.checkHttpUrl("defender.notify.url", url));
        List<String> channels = new ArrayList<>();
        webhookUrl.ifPresent(url -> channels.add(FailureNotifier.WEBHOOK));
        if (NoticeMailSettings.configure(context, settings, trust)) {
            channels.add(FailureNotifier.EMAIL);
        }
        FailureNotifier notifier = new FailureNotifier(clock, tenants.stream()
                .collect(Collectors.toMap(TenantParts::name, TenantParts::health)), channels);
        context.getManagementStrategy().addEventNotifier(notifier);
        tenants.forEach(t -> t.health().notifyThrough(notifier));
        ObservabilityStarter.registerHealthChecks(context, tenants);
        context.addStartupListener(new ObservabilityStarter(tenants, clock));
        context.addStartupListener(PollTimers.starter(firstPollDelays));
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
