package io.defenderalertroutes.app;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.defenderalertroutes.auth.AccessTokens;
import io.defenderalertroutes.auth.ClientSecret;
import io.defenderalertroutes.auth.CloudPreset;
import io.defenderalertroutes.auth.MsalAccessTokens;
import io.defenderalertroutes.auth.TenantCredentials;
import io.defenderalertroutes.auth.TokenEnricher;
import io.defenderalertroutes.criteria.TriggerCriteria;
import io.defenderalertroutes.defender.AlertHeaders;
import io.defenderalertroutes.defender.AlertPageSplitter;
import io.defenderalertroutes.defender.AlertQuery;
import io.defenderalertroutes.sinks.FileEnvelope;
import io.defenderalertroutes.sinks.SinkSelection;
import io.defenderalertroutes.state.AlertDedupRepository;
import io.defenderalertroutes.state.CheckpointStore;
import io.defenderalertroutes.state.HistoricalStart;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.StartupListener;
import org.apache.camel.spi.Registry;
import org.quartz.TriggerKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and checks every {@code defender.*} property once, at start-up, and builds the beans the routes call.
 * A mistake stops start-up with one line naming the property; nothing is guessed.
 */
public class DefenderConfiguration implements CamelConfiguration {

    public static final String POLL_INTERVAL_MS = "defender.internal.poll-interval-ms";

    private static final Logger LOG = LoggerFactory.getLogger(DefenderConfiguration.class);
    private static final Pattern GUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern SINK_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Set<String> DEDUP_CHOICES = Set.of("file", "memory");

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(context);
        Clock clock = Clock.systemUTC();

        String tenantId = settings.required("defender.tenant-id");
        if (!GUID.matcher(tenantId).matches() && !DOMAIN.matcher(tenantId).matches()) {
            throw new InvalidConfigurationException("defender.tenant-id",
                    "must be the directory (tenant) ID, a GUID such as 8f1c2d3e-0000-4000-8000-123456789abc, was '" + tenantId + "'");
        }
        String clientId = settings.required("defender.client-id");
        if (!GUID.matcher(clientId).matches()) {
            throw new InvalidConfigurationException("defender.client-id",
                    "must be the application (client) ID, a GUID, was '" + clientId + "'");
        }
        String tenant = settings.string("defender.tenant-name", tenantId);
        if (!NAME.matcher(tenant).matches()) {
            throw new InvalidConfigurationException("defender.tenant-name",
                    "may hold only letters, digits, '.', '_' and '-' (at most 64), was '" + tenant + "'");
        }
        ClientSecret secret = clientSecret(settings);

        String cloudName = settings.string("defender.cloud", "commercial");
        CloudPreset cloud = CloudPreset.byKey(cloudName);
        if (cloud == null) {
            throw new InvalidConfigurationException("defender.cloud",
                    "unknown cloud '" + cloudName + "'; expected one of " + CloudPreset.keys());
        }
        String authorityUrl = httpsUrl(settings, "defender.authority-url", cloud.authorityUrl());
        String apiUrl = httpsUrl(settings, "defender.api-url", cloud.apiUrl());
        String scope = settings.string("defender.scope", cloud.scope());

        TriggerCriteria criteria = TriggerCriteria.of(
                "defender.trigger.status", settings.list("defender.trigger.status", "All"),
                "defender.trigger.severity", settings.list("defender.trigger.severity", "All"),
                "defender.trigger.category", settings.list("defender.trigger.category", "All"));
        boolean everyUpdate = settings.bool("defender.trigger.updates", false);

        int intervalMinutes = settings.integer("defender.poll.interval-minutes", 5, 1, 24 * 60);
        boolean onStart = settings.bool("defender.poll.on-start", false);
        HistoricalStart historicalStart = historicalStart(settings);
        int pageSize = settings.integer("defender.poll.page-size", 10_000, 1, 10_000);
        int maxPages = settings.integer("defender.poll.max-pages", 1_000, 1, 1_000_000);
        boolean expandEvidence = settings.bool("defender.poll.expand-evidence", false);
        Duration overlap = settings.duration("defender.poll.overlap", Duration.ofMinutes(5));
        int tokenTimeout = settings.integer("defender.auth.timeout-seconds", 30, 1, 600);

        Path stateDir = Path.of(settings.string("defender.state-dir", "state"));
        String dedupChoice = settings.string("defender.dedup", "file");
        if (!DEDUP_CHOICES.contains(dedupChoice)) {
            throw new InvalidConfigurationException("defender.dedup",
                    "unknown repository '" + dedupChoice + "'; expected file or memory");
        }
        SinkSelection sinks = sinks(settings);

        CheckpointStore checkpoints = new CheckpointStore(stateDir, tenant);
        // A damaged checkpoint must stop start-up here, not the first poll minutes later.
        checkpoints.read();
        AlertDedupRepository dedup = new AlertDedupRepository(
                dedupChoice.equals("file") ? stateDir.resolve(tenant + ".dedup") : null,
                () -> historicalStart.horizon(clock), clock);
        TenantCredentials credentials = new TenantCredentials(tenantId, clientId, secret, authorityUrl, scope);
        AccessTokens tokens;
        try {
            tokens = new MsalAccessTokens(credentials, tokenTimeout);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException("defender.authority-url", e.getMessage());
        }

        Registry registry = context.getRegistry();
        registry.bind("defenderTokenEnricher", new TokenEnricher(tokens));
        registry.bind("defenderAlertQuery", new AlertQuery(tenant, apiUrl, pageSize, expandEvidence,
                criteria.toODataClause(), overlap, historicalStart, checkpoints, clock, maxPages));
        registry.bind("defenderPageSplitter", new AlertPageSplitter());
        registry.bind("defenderAlertHeaders", new AlertHeaders(tenant, everyUpdate, dedup));
        registry.bind("defenderCriteria", criteria);
        registry.bind("defenderDedup", dedup);
        registry.bind("defenderSinks", sinks);
        registry.bind("defenderFileEnvelope", new FileEnvelope());

        long intervalMillis = Duration.ofMinutes(intervalMinutes).toMillis();
        context.getPropertiesComponent().addOverrideProperty(POLL_INTERVAL_MS, Long.toString(intervalMillis));
        // the routes name the tenant and the API even when only the tenant ID and the cloud were given
        context.getPropertiesComponent().addOverrideProperty("defender.tenant-name", tenant);
        context.getPropertiesComponent().addOverrideProperty("defender.api-url", apiUrl);
        context.addStartupListener(sinkRoutesPresent(sinks));
        // As the seed service does, the first poll comes one interval after start unless asked for at once.
        context.addStartupListener(new PollScheduleStarter(TriggerKey.triggerKey("poll-" + tenant, "defender"),
                onStart ? 0 : intervalMillis));

        LOG.info("Tenant {} ({} cloud, API {}): every {} min{}, criteria {}, updates {}, historical start '{}', sinks {}",
                tenant, cloud.key(), apiUrl, intervalMinutes, onStart ? ", first poll now" : "", criteria,
                everyUpdate ? "fire again" : "fire once", historicalStart, sinks.names());
    }

    private static ClientSecret clientSecret(Settings settings) {
        Optional<String> inline = settings.sensitive("defender.client-secret");
        Optional<String> file = settings.optional("defender.client-secret-file");
        if (inline.isPresent() && file.isPresent()) {
            throw new InvalidConfigurationException("defender.client-secret-file",
                    "set either defender.client-secret (or DEFENDER_CLIENT_SECRET) or this file, not both");
        }
        if (file.isPresent()) {
            try {
                String value = Files.readString(Path.of(file.get()), StandardCharsets.UTF_8).strip();
                if (value.isEmpty()) {
                    throw new InvalidConfigurationException("defender.client-secret-file", "file " + file.get() + " is empty");
                }
                return new ClientSecret(value);
            } catch (IOException e) {
                throw new InvalidConfigurationException("defender.client-secret-file",
                        "cannot read " + file.get() + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        return new ClientSecret(inline.orElseThrow(() -> new InvalidConfigurationException("defender.client-secret",
                "is required: set DEFENDER_CLIENT_SECRET, or defender.client-secret-file to a file holding it")));
    }

    private static String httpsUrl(Settings settings, String key, String fallback) {
        String value = settings.string(key, fallback);
        try {
            URI uri = new URI(value);
            if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                throw new InvalidConfigurationException(key, "must be an https:// URL, was '" + value + "'");
            }
        } catch (java.net.URISyntaxException e) {
            throw new InvalidConfigurationException(key, "is not a URL: '" + value + "'");
        }
        return value.replaceAll("/+$", "");
    }

    private static HistoricalStart historicalStart(Settings settings) {
        String key = "defender.poll.max-historical-start";
        try {
            return HistoricalStart.parse(settings.string(key, "30 days ago"));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(key, e.getMessage());
        }
    }

    private static SinkSelection sinks(Settings settings) {
        List<String> names = settings.list("defender.sinks", "file");
        if (names.isEmpty()) {
            throw new InvalidConfigurationException("defender.sinks", "names no sink; use any of kafka, file, http");
        }
        for (String name : names) {
            if (!SinkSelection.isEndpointUri(name) && !SINK_NAME.matcher(name).matches()) {
                throw new InvalidConfigurationException("defender.sinks", "'" + name
                        + "' is neither a sink name (lower-case letters, digits and '-') nor an endpoint URI");
            }
        }
        if (names.contains("kafka")) {
            settings.required("defender.sink.kafka.topic");
        }
        if (names.contains("file")) {
            settings.required("defender.sink.file.dir");
        }
        if (names.contains("http")) {
            List<String> urls = settings.list("defender.sink.http.urls", "");
            if (urls.isEmpty()) {
                throw new InvalidConfigurationException("defender.sink.http.urls",
                        "is required when defender.sinks includes http: one or more handler URLs, comma-separated");
            }
            for (String url : urls) {
                try {
                    URI uri = new URI(url);
                    if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
                        throw new InvalidConfigurationException("defender.sink.http.urls",
                                "'" + url + "' is not an http:// or https:// URL");
                    }
                } catch (java.net.URISyntaxException e) {
                    throw new InvalidConfigurationException("defender.sink.http.urls", "'" + url + "' is not a URL");
                }
            }
        }
        return new SinkSelection(names);
    }

    private static StartupListener sinkRoutesPresent(SinkSelection sinks) {
        return (context, alreadyStarted) -> {
            Set<String> consumed = context.getRoutes().stream()
                    .map(Route::getEndpoint)
                    .map(e -> e.getEndpointUri().replace("direct://", "direct:"))
                    .collect(Collectors.toSet());
            for (String sink : sinks.names()) {
                if (!SinkSelection.isEndpointUri(sink) && !consumed.contains(SinkSelection.endpointOf(sink))) {
                    throw new InvalidConfigurationException("defender.sinks", "no route consumes "
                            + SinkSelection.endpointOf(sink) + " for sink '" + sink + "'; known sinks are kafka, file, http");
                }
            }
        };
    }
}
