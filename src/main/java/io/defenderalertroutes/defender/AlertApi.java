package io.defenderalertroutes.defender;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The APIs an alert (or an incident with its alerts) can come from, and what differs between them: path, time field, page cap, and the
 * vocabulary of status and severity. Users, criteria and headers always speak the seed guide's vocabulary
 * ({@code New}, {@code InProgress}, {@code UnSpecified}); Graph's camelCase values are mapped at the edge.
 */
public enum AlertApi {

    DEFENDER("defender-api", Host.DEFENDER_FOR_ENDPOINT, "/api/alerts", "id", "lastUpdateTime", 10_000,
            Integer.MAX_VALUE, true, null, Map.of(), Map.of()),
    GRAPH("graph", Host.GRAPH, "/v1.0/security/alerts_v2", "id", "lastUpdateDateTime", 1_000, 500, false, null,
            Map.of("Unknown", "unknown", "New", "new", "InProgress", "inProgress", "Resolved", "resolved"),
            Words.GRAPH_SEVERITIES),
    /**
     * Graph's incidents, each with its alerts ({@code $expand=alerts}). Incidents have no {@code new}: a new incident
     * is {@code active}, so the seed's New means active; awaitingAction and redirected have no seed word and match
     * only All. Graph answers a {@code $top} over 50 with 400.
     */
    GRAPH_INCIDENTS("graph-incidents", Host.GRAPH, "/v1.0/security/incidents", "id", "lastUpdateDateTime", 50, 500,
            false, new IncidentAlerts("id", "lastUpdateDateTime", GRAPH), Map.of("New", "active", "InProgress", "inProgress", "Resolved", "resolved"),
            Words.GRAPH_SEVERITIES),
    /**
     * Defender XDR's incidents ({@code GET /api/incidents} on its own host and token scope), alerts always included.
     * The incident's id is the number {@code incidentId}, its alerts' {@code alertId} and {@code lastUpdatedTime};
     * statuses are PascalCase ({@code Active}, {@code InProgress}, {@code Resolved}, {@code Redirected}), the alerts'
     * the Defender for Endpoint words. Severity cannot be filtered by the API; the criteria apply it after the fetch.
     */
    DEFENDER_INCIDENTS("defender-incidents", Host.DEFENDER_XDR, "/api/incidents", "incidentId", "lastUpdateTime", 100,
            Integer.MAX_VALUE, false, new IncidentAlerts("alertId", "lastUpdatedTime", DEFENDER), Map.of("New", "Active"),
            Map.of());

    /** Which Microsoft API serves a source, which decides its host and its token's scope in each cloud. */
    public enum Host {
        DEFENDER_FOR_ENDPOINT, GRAPH, DEFENDER_XDR
    }

    /** Graph's severity words, for its alerts and its incidents (a holder: enum constants cannot read the enum's statics). */
    private static final class Words {
        static final Map<String, String> GRAPH_SEVERITIES = Map.of("UnSpecified", "unknown", "Informational",
                "informational", "Low", "low", "Medium", "medium", "High", "high");
    }

    /**
     * An incidents source's alerts, inside each incident: their id and time fields, and the alert API whose words
     * their status and severity are in.
     */
    public record IncidentAlerts(String idField, String timeField, AlertApi vocabulary) {
    }

    private final String key;
    private final Host host;
    private final String path;
    private final String idField;
    private final String timeField;
    private final int maxPageSize;
    private final int maxSkip;
    private final boolean categoryFilterable;
    private final IncidentAlerts incidentAlerts;
    private final Map<String, String> statusToApi;
    private final Map<String, String> severityToApi;

    AlertApi(String key, Host host, String path, String idField, String timeField, int maxPageSize, int maxSkip,
            boolean categoryFilterable, IncidentAlerts incidentAlerts, Map<String, String> statusToApi,
            Map<String, String> severityToApi) {
        this.key = key;
        this.host = host;
        this.path = path;
        this.idField = idField;
        this.timeField = timeField;
        this.maxPageSize = maxPageSize;
        this.maxSkip = maxSkip;
        this.categoryFilterable = categoryFilterable;
        this.incidentAlerts = incidentAlerts;
        this.statusToApi = statusToApi;
        this.severityToApi = severityToApi;
    }

    public static Optional<AlertApi> byKey(String key) {
        String wanted = key.trim().toLowerCase(Locale.ROOT);
        for (AlertApi api : values()) {
            if (api.key.equals(wanted)) {
                return Optional.of(api);
            }
        }
        return Optional.empty();
    }

    public String key() {
        return key;
    }

    /** Whether each item is an incident carrying its alerts, rather than an alert. */
    public boolean incidents() {
        return incidentAlerts != null;
    }

    /** Whether the API is Microsoft Graph's (its host, token scope and enum spelling). */
    public boolean graph() {
        return host == Host.GRAPH;
    }

    public Host host() {
        return host;
    }

    /** The field holding an item's id: {@code id}, or {@code incidentId} (a number) for Defender XDR incidents. */
    public String idField() {
        return idField;
    }

    /** For an incidents source, its alerts' fields and words; null for an alert source. */
    public IncidentAlerts incidentAlerts() {
        return incidentAlerts;
    }

    public String path() {
        return path;
    }

    public String timeField() {
        return timeField;
    }

    public int maxPageSize() {
        return maxPageSize;
    }

    public int maxSkip() {
        return maxSkip;
    }

    /**
     * The documented call limits of the source's API per application and tenant, the default and the most a tenant's
     * budget may be: 100 a minute and 1,500 an hour, but 50 a minute for Defender XDR. (Graph documents 150 a minute
     * for its security API; the budget stays at the Defender API's, which the same application often calls too.)
     */
    public int callsPerMinute() {
        return host == Host.DEFENDER_XDR ? 50 : 100;
    }

    public int callsPerHour() {
        return 1_500;
    }

    /**
     * Whether the API answers in the order {@code $orderby} asks for. Defender XDR's incidents API documents no
     * {@code $orderby} and peers find its answers unordered: it is read in slices of time ({@link PollWindow}).
     */
    public boolean ordered() {
        return host != Host.DEFENDER_XDR;
    }

    /** Defender XDR's incidents cannot be filtered by severity: the criteria apply it to what was fetched. */
    public boolean severityFilterable() {
        return host != Host.DEFENDER_XDR;
    }

    public boolean categoryFilterable() {
        return categoryFilterable;
    }

    /** A seed-vocabulary status as this API writes it. */
    public String statusToApi(String seedValue) {
        return statusToApi.getOrDefault(seedValue, seedValue);
    }

    public String severityToApi(String seedValue) {
        return severityToApi.getOrDefault(seedValue, seedValue);
    }

    /** An API status in the seed vocabulary; a value we do not know ({@code unknownFutureValue}...) as it is. */
    public String statusFromApi(String apiValue) {
        return fromApi(statusToApi, apiValue);
    }

    public String severityFromApi(String apiValue) {
        return fromApi(severityToApi, apiValue);
    }

    private static String fromApi(Map<String, String> toApi, String apiValue) {
        if (apiValue == null) {
            return null;
        }
        return toApi.entrySet().stream().filter(e -> e.getValue().equals(apiValue)).map(Map.Entry::getKey)
                .findFirst().orElse(apiValue);
    }
}
