package io.defenderalertroutes.assembly;

import io.defenderalertroutes.actions.ActionKind;
import io.defenderalertroutes.actions.ActionTenant;
import io.defenderalertroutes.auth.AccessTokens;
import io.defenderalertroutes.auth.CloudPreset;
import io.defenderalertroutes.auth.SignIn;
import io.defenderalertroutes.auth.SignInSettings;
import io.defenderalertroutes.auth.TenantCredentials;
import io.defenderalertroutes.auth.TokenEnricher;
import io.defenderalertroutes.config.Settings;
import io.defenderalertroutes.criteria.TriggerCriteria;
import io.defenderalertroutes.defender.AlertApi;
import io.defenderalertroutes.defender.AlertHeaders;
import io.defenderalertroutes.defender.AlertPageSplitter;
import io.defenderalertroutes.defender.AlertQuery;
import io.defenderalertroutes.defender.PollGuard;
import io.defenderalertroutes.observe.PollHealthCheck;
import io.defenderalertroutes.signing.HandlerSigner;
import io.defenderalertroutes.sinks.SinkFormat;
import io.defenderalertroutes.sinks.SinkSelection;
import io.defenderalertroutes.state.CheckpointStore;
import io.defenderalertroutes.state.DedupStore;
import io.defenderalertroutes.state.HistoricalStart;
import io.defenderalertroutes.state.KafkaDedupStore;
import io.defenderalertroutes.state.KafkaDedupTopic;
import io.defenderalertroutes.state.LocalDedupStore;
import io.defenderalertroutes.tenant.ApiLimits;
import io.defenderalertroutes.tenant.SinkSettings;
import io.defenderalertroutes.tenant.Tenant;
import io.defenderalertroutes.tenant.TenantNames;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;


/**
 * Everything one tenant's poller needs, built and checked from that tenant's view of the settings: its own
 * token client, query, criteria, dedup keys and checkpoint, so that tenants share nothing that could let one
 * tenant's trouble reach another.
 */
public record TenantParts(Tenant tenant, String apiUrl, long intervalMillis, boolean pollOnStart, String describe,
        TokenEnricher tokenEnricher, AlertQuery alertQuery, PollGuard pollGuard, AlertPageSplitter splitter,
        AlertHeaders alertHeaders,
        TriggerCriteria criteria, DedupStore dedup, SinkSelection sinks, PollHealthCheck health,
        CheckpointStore checkpoints, AccessTokens tokens, ActionTenant actions) {

    public String name() {
        return tenant.name();
    }

    /** The names of this tenant's routes, timer, beans and checks. */
    public TenantNames names() {
        return new TenantNames(name());
    }

    private static final Pattern GUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+");
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern SINK_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Set<String> DEDUP_CHOICES = Set.of("file", "memory", "kafka");
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TenantParts.class);

    /**
     * @param fixedName the tenant's name from {@code defender.tenants}, or null for the single tenant, which is
     *                  named by {@code defender.tenant-name} or its tenant ID
     * @param tls       the TLS context token requests trust, or null for the JVM's
     */
    public static TenantParts build(Settings settings, String fixedName, Clock clock,
            javax.net.ssl.SSLContext tls) {
        // a single tenant on AKS workload identity may take its IDs from the variables the webhook injects
        String method = SignInSettings.method(settings);
        boolean azureIds = fixedName == null && method.equals("workload-identity");
        String tenantId = idOrAzure(settings, "defender.tenant-id", azureIds ? "AZURE_TENANT_ID" : null);
        if (!GUID.matcher(tenantId).matches() && !DOMAIN.matcher(tenantId).matches()) {
            throw settings.problem("defender.tenant-id",
                    "must be the directory (tenant) ID, a GUID such as 8f1c2d3e-0000-4000-8000-123456789abc, was '" + tenantId + "'");
        }
        // a managed identity is system-assigned unless given the client ID of a user-assigned one
        // (its own only: a client ID shared by the other tenants is an app registration's, not an identity's)
        String clientId = method.equals("managed-identity") ? settings.optionalOwn("defender.client-id").orElse(null)
                : idOrAzure(settings, "defender.client-id", azureIds ? "AZURE_CLIENT_ID" : null);
        if (clientId != null && !GUID.matcher(clientId).matches()) {
            throw settings.problem("defender.client-id", "must be the application (client) ID, a GUID, was '" + clientId + "'");
        }
        String name = fixedName != null ? fixedName : settings.string("defender.tenant-name", tenantId);
        if (!NAME.matcher(name).matches()) {
            throw settings.problem("defender.tenant-name",
                    "may hold only letters, digits, '.', '_' and '-' (at most 64), was '" + name + "'");
        }
        SignIn signIn = SignInSettings.read(settings, clock, System::getenv);

        String sourceName = settings.string("defender.source");
        AlertApi api = AlertApi.byKey(sourceName).orElseThrow(() -> settings.problem("defender.source",
                "unknown source '" + sourceName + "'; expected defender-api, graph, graph-incidents or defender-incidents"));
        String cloudName = settings.string("defender.cloud");
        CloudPreset cloud = CloudPreset.byKey(cloudName);
        if (cloud == null && cloudName.toLowerCase(java.util.Locale.ROOT).matches("china|21vianet|mooncake")) {
            throw settings.problem("defender.cloud", "Microsoft Graph alerts_v2 and the Defender for Endpoint API are "
                    + "not offered in the China cloud operated by 21Vianet");
        }
        if (cloud == null) {
            throw settings.problem("defender.cloud", "unknown cloud '" + cloudName + "'; expected one of " + CloudPreset.keys());
        }
        String authorityUrl = httpsUrl(settings, "defender.authority-url", cloud.authorityUrl());
        String apiUrl = httpsUrl(settings, "defender.api-url", switch (api.host()) {
            case DEFENDER_FOR_ENDPOINT -> cloud.apiUrl();
            case GRAPH -> cloud.graphUrl();
            case DEFENDER_XDR -> cloud.xdrUrl();
        });
        String scope = settings.string("defender.scope", switch (api.host()) {
            case DEFENDER_FOR_ENDPOINT -> cloud.scope();
            case GRAPH -> cloud.graphScope();
            case DEFENDER_XDR -> cloud.xdrScope();
        });
        // incidents have no serviceSource (their alerts do): the source filter is the alerts_v2 source's
        String sourceClause = api == AlertApi.GRAPH ? serviceSourceClause(settings) : "";

        TriggerCriteria criteria = TriggerCriteria.of(
                settings.name("defender.trigger.status"), settings.list("defender.trigger.status"),
                settings.name("defender.trigger.severity"), settings.list("defender.trigger.severity"),
                settings.name("defender.trigger.category"), settings.list("defender.trigger.category"));
        criteria.likelyCategoryTypos().forEach((written, meant) -> LOG.warn("{}: '{}' is not one of Defender's documented "
                + "categories; did you mean '{}'? Kept as written, it matches only alerts of exactly that category.",
                settings.name("defender.trigger.category"), written, meant));
        boolean everyUpdate = settings.bool("defender.trigger.updates");
        boolean splitIncidentAlerts = settings.bool("defender.incidents.split-alerts");
        if (splitIncidentAlerts && !api.incidents()) {
            throw settings.problem("defender.incidents.split-alerts", "splits incidents into their alerts: it needs "
                    + "defender.source=graph-incidents or defender-incidents, not " + api.key());
        }

        Duration interval = settings.duration("defender.poll.interval", Duration.ofSeconds(1), Duration.ofDays(1));
        if (interval.compareTo(Duration.ofMinutes(1)) < 0) {
            LOG.warn("{}={}: polls more often than once a minute spend the tenant's API budget on little, as "
                    + "Microsoft's alerts change on a scale of minutes", settings.name("defender.poll.interval"), interval);
        }
        boolean onStart = settings.bool("defender.poll.on-start");
        HistoricalStart historicalStart = historicalStart(settings);
        int pageSize = settings.integer("defender.poll.page-size", api.maxPageSize(), 1, api.maxPageSize());
        int maxPages = settings.integer("defender.poll.max-pages", 1, 1_000_000);
        boolean expandEvidence = settings.bool("defender.poll.expand-evidence");
        Duration overlap = settings.duration("defender.poll.overlap");
        Duration tokenTimeout = settings.duration("defender.auth.timeout", Duration.ofSeconds(1), Duration.ofMinutes(10));
        int failedPollsForDown = settings.integer("defender.health.failed-polls", 1, 1000);

        Path stateDir = Path.of(settings.string("defender.state-dir"));
        String dedupChoice = settings.string("defender.dedup");
        if (!DEDUP_CHOICES.contains(dedupChoice)) {
            throw settings.problem("defender.dedup", "unknown repository '" + dedupChoice + "'; expected file, memory or kafka");
        }
        SinkSelection sinks = sinks(settings);

        CheckpointStore checkpoints = new CheckpointStore(stateDir, name);
        // A damaged checkpoint must stop start-up here, not the first poll minutes later.
        checkpoints.read();
        if (settings.givenForTenant(KafkaDedupTopic.TOPIC_KEY)) {
            // the key's meaning changed under it: once one tenant's topic, now the process's one topic for all
            throw settings.problem(KafkaDedupTopic.TOPIC_KEY, "is not used for this tenant: every tenant's dedup keys "
                    + "are in one topic, " + KafkaDedupTopic.TOPIC_KEY + " (a global key); to read this tenant's old "
                    + "topic once as it upgrades, name it in " + settings.name("defender.dedup.kafka.upgrade-from"));
        }
        DedupStore dedup = dedupChoice.equals("kafka")
                ? new KafkaDedupStore(name, settings.integer("defender.dedup.kafka.max-keys", 1_000, 10_000_000),
                        settings.string("defender.dedup.kafka.upgrade-from", new TenantNames(name).oldDedupTopic()))
                : new LocalDedupStore(dedupChoice.equals("file") ? stateDir.resolve(name + ".dedup") : null,
                        () -> historicalStart.horizon(clock), clock);
        AccessTokens tokens;
        try {
            tokens = signIn.tokens(new TenantCredentials(tenantId, clientId, signIn, authorityUrl, scope), tokenTimeout, tls);
        } catch (IllegalArgumentException e) {
            throw settings.problem("defender.authority-url", e.getMessage());
        }
        String clause = String.join(" and ", java.util.stream.Stream.of(sourceClause, criteria.toODataClause(api))
                .filter(c -> !c.isEmpty()).toList());
        ApiLimits limits = new ApiLimits(
                settings.integer("defender.api.calls-per-minute", api.callsPerMinute(), 1, api.callsPerMinute()),
                settings.integer("defender.api.calls-per-hour", api.callsPerHour(), 1, api.callsPerHour()),
                (int) settings.duration("defender.api.timeout", Duration.ofMillis(100), Duration.ofHours(1)).toMillis(),
                settings.integer("defender.api.retries", 0, 100),
                settings.integer("defender.api.throttle-retries", 0, 100));
        Tenant tenant = new Tenant(name, limits, sinkSettings(settings, sinks.names(), api, clock));
        AlertQuery query = new AlertQuery(tenant, api, apiUrl, pageSize, expandEvidence, clause, overlap,
                historicalStart, checkpoints, clock, maxPages);
        query.skipWindowAfter(settings.integer("defender.poll.skip-window-after", 0, 1000));
        if (tenant.sinks().kafkaBatch()) {
            query.holdDeliveriesIn(io.defenderalertroutes.sinks.KafkaBatches::pageBatch);
        }
        String describe = String.format("Tenant %s (%s, %s cloud, %s): every %s%s, criteria %s, updates %s, "
                + "historical start '%s', sinks %s, signs in with %s", name, api.key(), cloud.key(), apiUrl, interval,
                onStart ? ", first poll now" : "", criteria, everyUpdate ? "fire again" : "fire once", historicalStart,
                sinks.names(), signIn.describe());
        Set<ActionKind> allowedActions = allowedActions(settings);
        TokenEnricher tokenEnricher = new TokenEnricher(tokens);
        ActionTenant actions = ActionTenant.ofDefenderApi(tenant, allowedActions, tokenEnricher, apiUrl);
        if (api.host() != AlertApi.Host.DEFENDER_FOR_ENDPOINT && !allowedActions.isEmpty()) {
            // Graph and Defender XDR have no machine actions or indicators: those go to the Defender for Endpoint
            // API, with its scope; only Graph's alerts are updated through Graph
            String mdeApiUrl = httpsUrl(settings, "defender.actions.api-url", cloud.apiUrl());
            try {
                actions = new ActionTenant(tenant, allowedActions, api.graph(), tokenEnricher, apiUrl, new TokenEnricher(
                        signIn.tokens(new TenantCredentials(tenantId, clientId, signIn, authorityUrl, cloud.scope()),
                                tokenTimeout, tls)), mdeApiUrl);
            } catch (IllegalArgumentException e) {
                throw settings.problem("defender.authority-url", e.getMessage());
            }
        }
        return new TenantParts(tenant, apiUrl, interval.toMillis(), onStart, describe,
                tokenEnricher, query, new PollGuard(name, interval),
                new AlertPageSplitter(api), incidentHeaders(new AlertHeaders(name, everyUpdate, dedup, api), splitIncidentAlerts),
                criteria, dedup, sinks, health(name, failedPollsForDown, clock, tokens, settings), checkpoints, tokens,
                actions);
    }

    /** Readiness of the tenant's polls, which also watches the expiry of a certificate it signs in with. */
    private static PollHealthCheck health(String name, int failedPollsForDown, Clock clock, AccessTokens tokens,
            Settings settings) {
        PollHealthCheck health = new PollHealthCheck(name, failedPollsForDown, clock);
        health.watchCredential(tokens::credentialExpires,
                Duration.ofDays(settings.integer("defender.auth.certificate.warn-days", 1, 3650)));
        return health;
    }

    /** The response actions the tenant allows: none unless listed (or all). */
    private static Set<ActionKind> allowedActions(Settings settings) {
        String key = "defender.actions.allowed";
        List<String> names = settings.list(key, "");
        if (names.isEmpty()) {
            return Set.of();
        }
        if (names.size() == 1 && names.get(0).equalsIgnoreCase("all")) {
            return java.util.EnumSet.allOf(ActionKind.class);
        }
        Set<ActionKind> allowed = java.util.EnumSet.noneOf(ActionKind.class);
        for (String name : names) {
            allowed.add(ActionKind.byKey(name).orElseThrow(() -> settings.problem(key, "unknown action '" + name
                    + "'; expected all or any of " + String.join(", ", ActionKind.keys()))));
        }
        return allowed;
    }

    /** Graph serves alerts of every Defender product; by default only Defender for Endpoint's are asked for. */
    private static AlertHeaders incidentHeaders(AlertHeaders headers, boolean splitIncidentAlerts) {
        headers.splitIncidentAlerts(splitIncidentAlerts);
        return headers;
    }

    private static String serviceSourceClause(Settings settings) {
        List<String> sources = settings.list("defender.graph.service-source");
        if (sources.isEmpty()) {
            throw settings.problem("defender.graph.service-source", "is empty; use All or a list such as microsoftDefenderForEndpoint");
        }
        if (sources.stream().anyMatch(s -> s.equalsIgnoreCase("All"))) {
            return "";
        }
        String alternatives = String.join(" or ", sources.stream()
                .map(s -> "serviceSource eq '" + s.replace("'", "''") + "'").toList());
        return sources.size() == 1 ? alternatives : "(" + alternatives + ")";
    }

    private static String idOrAzure(Settings settings, String key, String azureVariable) {
        return settings.optional(key)
                .or(() -> Optional.ofNullable(azureVariable == null ? null : System.getenv(azureVariable)).filter(v -> !v.isBlank()))
                .orElseThrow(() -> settings.problem(key, "is required but not set"));
    }

    private static String httpsUrl(Settings settings, String key, String fallback) {
        String value = settings.string(key, fallback);
        try {
            URI uri = new URI(value);
            if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                throw settings.problem(key, "must be an https:// URL, was '" + value + "'");
            }
        } catch (URISyntaxException e) {
            throw settings.problem(key, "is not a URL: '" + value + "'");
        }
        return value.replaceAll("/+$", "");
    }

    private static HistoricalStart historicalStart(Settings settings) {
        String key = "defender.poll.max-historical-start";
        try {
            return HistoricalStart.parse(settings.string(key));
        } catch (IllegalArgumentException e) {
            throw settings.problem(key, e.getMessage());
        }
    }

    private static SinkSelection sinks(Settings settings) {
        List<String> names = settings.list("defender.sinks");
        if (names.isEmpty()) {
            throw settings.problem("defender.sinks", "names no sink; use any of kafka, file, http");
        }
        for (String name : names) {
            if (!SinkSelection.isEndpointUri(name) && !SINK_NAME.matcher(name).matches()) {
                throw settings.problem("defender.sinks", "'" + name
                        + "' is neither a sink name (lower-case letters, digits and '-') nor an endpoint URI");
            }
        }
        return new SinkSelection(names);
    }

    /**
     * How the tenant's sinks deliver. Read whatever sinks it names: a sink route of the user's, or the Kamelet's
     * route, may hand its alerts on to the bundle's kafka, file or http sink. Handler URLs are required only with
     * {@code http} among its sinks.
     */
    private static SinkSettings sinkSettings(Settings settings, List<String> sinks, AlertApi api, Clock clock) {
        String topic = settings.string("defender.sink.kafka.topic");
        String dir = settings.string("defender.sink.file.dir");
        List<SinkSettings.Handler> handlers = playbookHandlers(settings, sinks.contains("http"), clock);
        return new SinkSettings(topic, dir, handlers, settings.integer("defender.sink.retries", 0, 100),
                settings.bool("defender.sink.kafka.batch"), holdingSinks(settings, sinks), formats(settings, sinks, api), keepingRaw(settings, sinks));
    }

    /** The bundle's sinks and the tenant's sink routes of its own: each may have a key of its own. */
    private static Set<String> namedSinks(List<String> sinks) {
        Set<String> named = new java.util.LinkedHashSet<>(List.of("kafka", "file", "http"));
        sinks.stream().filter(s -> !SinkSelection.isEndpointUri(s)).forEach(named::add);
        return named;
    }

    /**
     * The shape each sink delivers ({@code defender.sink.<name>.format}): raw unless its key says otherwise. An
     * endpoint URI in {@code defender.sinks} has no name to key it by and gets the raw alert.
     */
    private static java.util.Map<String, String> formats(Settings settings, List<String> sinks, AlertApi api) {
        java.util.Map<String, String> formats = new java.util.HashMap<>();
        for (String sink : namedSinks(sinks)) {
            String key = "defender.sink." + sink + ".format";
            String written = settings.string(key, SinkSettings.RAW);
            SinkFormat format = SinkFormat.byKey(written).orElseThrow(() -> settings.problem(key,
                    "unknown format '" + written + "'; expected one of " + SinkFormat.choices()));
            if (!format.maps(api.key())) {
                throw settings.problem(key, format.key() + " has no mapping for defender.source=" + api.key());
            }
            formats.put(sink, format.key());
        }
        return formats;
    }

    /** The sinks whose formatted events keep the raw alert too ({@code defender.sink.<name>.format.keep-raw}). */
    private static Set<String> keepingRaw(Settings settings, List<String> sinks) {
        Set<String> keeping = new java.util.HashSet<>();
        for (String sink : namedSinks(sinks)) {
            String key = "defender.sink." + sink + ".format.keep-raw";
            if (settings.optional(key).isPresent() && settings.bool(key)) {
                keeping.add(sink);
            }
        }
        return keeping;
    }

    /**
     * The sinks whose failure holds the poll ({@code defender.sink.<name>.on-failure=hold}; the bundle's defaults:
     * kafka holds, file and http dead-letter); a sink of the user's dead-letters unless its key says hold.
     */
    private static Set<String> holdingSinks(Settings settings, List<String> sinks) {
        Set<String> holding = new java.util.HashSet<>();
        for (String sink : namedSinks(sinks)) {
            String key = "defender.sink." + sink + ".on-failure";
            String policy = settings.string(key, "dead-letter");
            if (!policy.equals("hold") && !policy.equals("dead-letter")) {
                throw settings.problem(key, "must be hold (fail the poll: the next poll delivers) or dead-letter, was '"
                        + policy + "'");
            }
            if (policy.equals("hold")) {
                holding.add(SinkSelection.endpointOf(sink));
            }
        }
        return holding;
    }

    /**
     * Each handler URL with its own signing secret and bearer token, or the tenant's shared ones. A tenant with
     * handler URLs of its own takes their secrets from its own keys only: a token meant for the shared handlers is
     * never sent to a tenant's own.
     */
    private static List<SinkSettings.Handler> playbookHandlers(Settings settings, boolean required, Clock clock) {
        List<String> urls = settings.list("defender.sink.http.urls", "");
        if (urls.isEmpty() && required) {
            throw settings.problem("defender.sink.http.urls",
                    "is required when defender.sinks includes http: one or more handler URLs, comma-separated");
        }
        for (String url : urls) {
            settings.checkHttpUrl("defender.sink.http.urls", url);
        }
        java.util.function.Function<String, Optional<String>> secret = settings.givenForTenant("defender.sink.http.urls")
                ? settings::sensitiveOwn : settings::sensitive;
        Optional<String> sharedSecret = secret.apply("defender.sink.http.signing-secret");
        Optional<String> sharedBearer = secret.apply("defender.sink.http.bearer-token");
        List<SinkSettings.Handler> handlers = new java.util.ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            String prefix = "defender.sink.http.handler." + (i + 1) + ".";
            handlers.add(new SinkSettings.Handler(urls.get(i), new HandlerSigner(
                    secret.apply(prefix + "signing-secret").or(() -> sharedSecret).orElse(null),
                    secret.apply(prefix + "bearer-token").or(() -> sharedBearer).orElse(null), clock)));
        }
        return handlers;
    }
}
