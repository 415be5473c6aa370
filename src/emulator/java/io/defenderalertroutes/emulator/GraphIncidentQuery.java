package io.defenderalertroutes.emulator;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The OData query options of one Graph incidents request: {@code $filter} on {@link GraphIncidentField}, {@code
 * $orderby} on {@code createdDateTime} or {@code lastUpdateDateTime}, {@code $top} 1 to 50 (Graph answers a larger
 * one with 400, though its documentation gives no cap), {@code $skip}, {@code $count} and {@code $expand=alerts}.
 * Without {@code $orderby} incidents come newest {@code createdDateTime} first; every order ends with {@code id}.
 */
final class GraphIncidentQuery extends ODataPageQuery<StoredIncident> {

    static final int MAX_TOP = 50;

    private static final List<String> KNOWN_OPTIONS = List.of("$filter", "$orderby", "$top", "$skip", "$count", "$expand");

    private final boolean expandAlerts;

    private GraphIncidentQuery(Map<String, String> parameters, ODataFilter<StoredIncident> filter,
            Comparator<StoredIncident> order, int top, int skip, boolean count, boolean expandAlerts) {
        super(parameters, filter, order, top, skip, count);
        this.expandAlerts = expandAlerts;
    }

    static GraphIncidentQuery of(Map<String, String> parameters) {
        for (String name : parameters.keySet()) {
            if (name.startsWith("$") && !KNOWN_OPTIONS.contains(name)) {
                throw new InvalidQueryException("Query option '" + name + "' is not allowed. "
                        + "Supported options are $filter, $orderby, $top, $skip, $count and $expand.");
            }
        }
        String expand = parameters.get("$expand");
        if (expand != null && !expand.trim().equals("alerts")) {
            throw new InvalidQueryException("Could not find a property named '" + expand.trim()
                    + "' on type 'microsoft.graph.security.incident'.");
        }
        ODataFilter<StoredIncident> filter = parameters.containsKey("$filter")
                ? ODataFilter.parse(parameters.get("$filter"), GraphIncidentField.SCHEMA) : null;
        int top = top(parameters, MAX_TOP);
        int skip = skip(parameters);
        boolean count = "true".equals(parameters.getOrDefault("$count", "false").trim());
        return new GraphIncidentQuery(parameters, filter,
                orderBy(parameters.getOrDefault("$orderby", "createdDateTime desc"),
                        name -> GraphIncidentField.named(name).filter(f -> f == GraphIncidentField.CREATED_DATE_TIME
                                || f == GraphIncidentField.LAST_UPDATE_DATE_TIME),
                        StoredIncident::value, StoredIncident::id),
                top, skip, count, expand != null);
    }

    boolean expandAlerts() {
        return expandAlerts;
    }
}
