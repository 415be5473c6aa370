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

    DEFENDER("defender-api", "/api/alerts", "lastUpdateTime", 10_000, Integer.MAX_VALUE, true,
            Map.of(), Map.of()),
    GRAPH("graph", "/v1.0/security/alerts_v2", "lastUpdateDateTime", 1_000, 500, false,
            Map.of("Unknown", "unknown", "New", "new", "InProgress", "inProgress", "Resolved", "resolved"),
            Map.of("UnSpecified", "unknown", "Informational", "informational", "Low", "low", "Medium", "medium",
                    "High", "high")),
    /**
     * Graph's incidents, each with its alerts ({@code $expand=alerts}). Incidents have no {@code new}: a new incident
     * is {@code active}, so the seed's New means active; awaitingAction and redirected have no seed word and match
     * only All. Graph answers a {@code $top} over 50 with 400.
     */
    GRAPH_INCIDENTS("graph-incidents", "/v1.0/security/incidents", "lastUpdateDateTime", 50, 500, false,
            Map.of("New", "active", "InProgress", "inProgress", "Resolved", "resolved"),
            Map.of("UnSpecified", "unknown", "Informational", "informational", "Low", "low", "Medium", "medium",
                    "High", "high"));

    private final String key;
    private final String path;
    private final String timeField;
    private final int maxPageSize;
    private final int maxSkip;
    private final boolean categoryFilterable;
    private final Map<String, String> statusToApi;
    private final Map<String, String> severityToApi;

    AlertApi(String key, String path, String timeField, int maxPageSize, int maxSkip, boolean categoryFilterable,
            Map<String, String> statusToApi, Map<String, String> severityToApi) {
        this.key = key;
        this.path = path;
        this.timeField = timeField;
        this.maxPageSize = maxPageSize;
        this.maxSkip = maxSkip;
        this.categoryFilterable = categoryFilterable;
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
        return this == GRAPH_INCIDENTS;
    }

    /** Whether the API is Microsoft Graph's (its host, token scope and enum spelling). */
    public boolean graph() {
        return this == GRAPH || this == GRAPH_INCIDENTS;
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
