package io.defenderalertroutes.emulator;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The OData query options of one Graph alerts_v2 request, checked against Graph's documented limits: {@code $top}
 * 1 to 1,000, {@code $skip} 0 to 500, {@code $filter} on the properties of {@link GraphAlertField}, {@code $orderby}
 * on {@code createdDateTime} or {@code lastUpdateDateTime}, and {@code $count}. Unknown {@code $} options are refused.
 *
 * <p>Without {@code $orderby} alerts come newest {@code createdDateTime} first, as Graph lists them; every order ends
 * with {@code id} ascending. Without {@code $top} a page holds up to 1,000 alerts (the documented cap; Graph does not
 * document its default page size).
 */
final class GraphAlertQuery extends ODataPageQuery<StoredGraphAlert> {

    static final int MAX_TOP = 1_000;
    static final int MAX_SKIP = 500;

    private static final List<String> KNOWN_OPTIONS = List.of("$filter", "$orderby", "$top", "$skip", "$count");
    private static final List<GraphAlertField> ORDERABLE =
            List.of(GraphAlertField.CREATED_DATE_TIME, GraphAlertField.LAST_UPDATE_DATE_TIME);

    private GraphAlertQuery(Map<String, String> parameters, ODataFilter<StoredGraphAlert> filter,
                            Comparator<StoredGraphAlert> order, int top, int skip, boolean count) {
        super(parameters, filter, order, top, skip, count);
    }

    /**
     * @param parameters              decoded query parameters in request order
     * @param includeUnknownEnumMembers whether the request carried {@code Prefer: include-unknown-enum-members}: the
     *                                filter then sees the newer enum members instead of {@code unknownFutureValue}
     */
    static GraphAlertQuery of(Map<String, String> parameters, boolean includeUnknownEnumMembers) {
        for (String name : parameters.keySet()) {
            if (name.startsWith("$") && !KNOWN_OPTIONS.contains(name)) {
                throw new InvalidQueryException("Query option '" + name + "' is not allowed. "
                        + "Supported options are $filter, $orderby, $top, $skip and $count.");
            }
        }
        ODataFilter<StoredGraphAlert> filter = parameters.containsKey("$filter")
                ? ODataFilter.parse(parameters.get("$filter"), GraphAlertField.schema(includeUnknownEnumMembers))
                : null;
        Comparator<StoredGraphAlert> order = orderBy(parameters.getOrDefault("$orderby", "createdDateTime desc"),
                includeUnknownEnumMembers);
        int top = parameters.containsKey("$top") ? top(parameters.get("$top")) : MAX_TOP;
        int skip = parameters.containsKey("$skip") ? skip(parameters.get("$skip")) : 0;
        boolean count = parameters.containsKey("$count") && count(parameters.get("$count"));
        return new GraphAlertQuery(parameters, filter, order, top, skip, count);
    }

    private static Comparator<StoredGraphAlert> orderBy(String text, boolean includeUnknownEnumMembers) {
        Comparator<StoredGraphAlert> order = null;
        for (String clause : text.split(",", -1)) {
            String[] words = clause.trim().split("\\s+");
            if (words.length == 0 || words.length > 2 || words[0].isEmpty()) {
                throw new InvalidQueryException("Invalid OrderBy clause: '" + text + "'.");
            }
            GraphAlertField field = GraphAlertField.named(words[0]).filter(ORDERABLE::contains)
                    .orElseThrow(() -> new InvalidQueryException("Invalid OrderBy clause: the property '" + words[0]
                            + "' cannot be used in the $orderby query option; use createdDateTime or "
                            + "lastUpdateDateTime."));
            boolean descending = false;
            if (words.length == 2) {
                String direction = words[1].toLowerCase(Locale.ROOT);
                if (!direction.equals("asc") && !direction.equals("desc")) {
                    throw new InvalidQueryException("Invalid OrderBy clause: '" + text + "'.");
                }
                descending = direction.equals("desc");
            }
            Comparator<Object> values = Comparator.nullsFirst(field::compare);
            Comparator<StoredGraphAlert> key = (a, b) -> values.compare(a.value(field, includeUnknownEnumMembers),
                    b.value(field, includeUnknownEnumMembers));
            key = descending ? key.reversed() : key;
            order = order == null ? key : order.thenComparing(key);
        }
        return order.thenComparing(StoredGraphAlert::id);
    }

    private static int top(String text) {
        Integer value = integer(text);
        if (value == null || value < 1 || value > MAX_TOP) {
            throw new InvalidQueryException("Invalid page size specified: '" + text + "'. Must be between 1 and "
                    + MAX_TOP + " inclusive.");
        }
        return value;
    }

    private static int skip(String text) {
        Integer value = integer(text);
        if (value == null || value < 0 || value > MAX_SKIP) {
            throw new InvalidQueryException("Invalid skip value specified: '" + text + "'. Must be between 0 and "
                    + MAX_SKIP + " inclusive.");
        }
        return value;
    }

    private static boolean count(String text) {
        switch (text.trim()) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new InvalidQueryException("Invalid value '" + text + "' for $count: it must be true or false.");
        }
    }
}
