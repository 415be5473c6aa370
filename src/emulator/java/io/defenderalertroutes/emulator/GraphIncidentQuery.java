package io.defenderalertroutes.emulator;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
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
        int top = MAX_TOP;
        if (parameters.containsKey("$top")) {
            Integer value = integer(parameters.get("$top"));
            if (value == null || value < 1) {
                throw new InvalidQueryException("Invalid value '" + parameters.get("$top") + "' for $top.");
            }
            if (value > MAX_TOP) {
                throw new InvalidQueryException("The limit of '" + MAX_TOP + "' for Top query has been exceeded. "
                        + "The value from the incoming request is '" + value + "'.");
            }
            top = value;
        }
        int skip = 0;
        if (parameters.containsKey("$skip")) {
            Integer value = integer(parameters.get("$skip"));
            if (value == null || value < 0) {
                throw new InvalidQueryException("Invalid value '" + parameters.get("$skip") + "' for $skip.");
            }
            skip = value;
        }
        boolean count = "true".equals(parameters.getOrDefault("$count", "false").trim());
        return new GraphIncidentQuery(parameters, filter,
                orderBy(parameters.getOrDefault("$orderby", "createdDateTime desc")), top, skip, count, expand != null);
    }

    boolean expandAlerts() {
        return expandAlerts;
    }

    private static Comparator<StoredIncident> orderBy(String text) {
        Comparator<StoredIncident> order = null;
        for (String clause : text.split(",", -1)) {
            String[] words = clause.trim().split("\\s+");
            GraphIncidentField field = GraphIncidentField.named(words[0])
                    .filter(f -> f == GraphIncidentField.CREATED_DATE_TIME || f == GraphIncidentField.LAST_UPDATE_DATE_TIME)
                    .orElseThrow(() -> new InvalidQueryException("Invalid OrderBy clause: the property '" + words[0]
                            + "' cannot be used in the $orderby query option."));
            if (words.length > 2 || words.length == 2 && !words[1].toLowerCase(Locale.ROOT).matches("asc|desc")) {
                throw new InvalidQueryException("Invalid OrderBy clause: '" + text + "'.");
            }
            Comparator<Object> values = Comparator.nullsFirst(field::compare);
            Comparator<StoredIncident> key = (a, b) -> values.compare(a.value(field), b.value(field));
            key = words.length == 2 && words[1].equalsIgnoreCase("desc") ? key.reversed() : key;
            order = order == null ? key : order.thenComparing(key);
        }
        return order.thenComparing(StoredIncident::id);
    }
}
