package io.defenderalertroutes.emulator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The OData query options of one alert list request, checked the way MDE checks them. Unknown {@code $} options
 * are refused rather than ignored, so a client that relies on one finds out here and not in production.
 *
 * <p>Without {@code $orderby} the emulator orders by {@code alertCreationTime} descending (newest first); every
 * ordering ends with {@code id} ascending, so equal timestamps always come back in the same order.
 */
final class AlertQuery {

    /** MDE's documented maximum page size, and its page size when {@code $top} is not given. */
    static final int MAX_TOP = 10_000;

    private static final List<String> KNOWN_OPTIONS = List.of("$filter", "$orderby", "$top", "$skip", "$expand");
    private static final Comparator<StoredAlert> DEFAULT_ORDER =
            orderOf(AlertField.ALERT_CREATION_TIME, true).thenComparing(StoredAlert::id);

    private final Map<String, String> parameters;
    private final ODataFilter<StoredAlert> filter;
    private final Comparator<StoredAlert> order;
    private final Integer top;
    private final int skip;
    private final boolean expandEvidence;

    private AlertQuery(Map<String, String> parameters, ODataFilter<StoredAlert> filter, Comparator<StoredAlert> order, Integer top,
                       int skip, boolean expandEvidence) {
        this.parameters = parameters;
        this.filter = filter;
        this.order = order;
        this.top = top;
        this.skip = skip;
        this.expandEvidence = expandEvidence;
    }

    /** @param parameters decoded query parameters in request order */
    static AlertQuery of(Map<String, String> parameters) {
        for (String name : parameters.keySet()) {
            if (name.startsWith("$") && !KNOWN_OPTIONS.contains(name)) {
                throw new InvalidQueryException("The query parameter '" + name + "' is not supported.");
            }
        }
        ODataFilter<StoredAlert> filter = parameters.containsKey("$filter") ? ODataFilter.parse(parameters.get("$filter")) : null;
        Comparator<StoredAlert> order = parameters.containsKey("$orderby")
                ? orderBy(parameters.get("$orderby")) : DEFAULT_ORDER;
        Integer top = parameters.containsKey("$top") ? top(parameters.get("$top")) : null;
        int skip = parameters.containsKey("$skip") ? skip(parameters.get("$skip")) : 0;
        boolean expandEvidence = parameters.containsKey("$expand") && expand(parameters.get("$expand"));
        return new AlertQuery(new LinkedHashMap<>(parameters), filter, order, top, skip, expandEvidence);
    }

    /** All matching alerts in served order, before {@code $skip} and {@code $top}. */
    List<StoredAlert> matching(List<StoredAlert> alerts) {
        List<StoredAlert> matching = new ArrayList<>();
        for (StoredAlert alert : alerts) {
            if (filter == null || filter.matches(alert)) {
                matching.add(alert);
            }
        }
        matching.sort(order);
        return matching;
    }

    int pageSize() {
        return top == null ? MAX_TOP : top;
    }

    int skip() {
        return skip;
    }

    boolean expandEvidence() {
        return expandEvidence;
    }

    /** The same parameters with {@code $skip} replaced (or added at the end). */
    Map<String, String> withSkip(int newSkip) {
        Map<String, String> copy = new LinkedHashMap<>(parameters);
        copy.put("$skip", Integer.toString(newSkip));
        return copy;
    }

    private static Comparator<StoredAlert> orderBy(String text) {
        Comparator<StoredAlert> order = null;
        for (String clause : text.split(",", -1)) {
            String[] words = clause.trim().split("\\s+");
            if (words.length == 0 || words.length > 2 || words[0].isEmpty()) {
                throw new InvalidQueryException("Invalid orderby clause: '" + text + "'.");
            }
            AlertField field = AlertField.named(words[0]).orElseThrow(() -> new InvalidQueryException(
                    "Invalid orderby clause: could not find a property named '" + words[0] + "' to order by."));
            boolean descending = false;
            if (words.length == 2) {
                String direction = words[1].toLowerCase(Locale.ROOT);
                if (!direction.equals("asc") && !direction.equals("desc")) {
                    throw new InvalidQueryException("Invalid orderby clause: '" + text + "'.");
                }
                descending = direction.equals("desc");
            }
            Comparator<StoredAlert> key = orderOf(field, descending);
            order = order == null ? key : order.thenComparing(key);
        }
        return order.thenComparing(StoredAlert::id);
    }

    // OData puts null first in ascending order.
    private static Comparator<StoredAlert> orderOf(AlertField field, boolean descending) {
        Comparator<Object> values = Comparator.nullsFirst(field::compare);
        Comparator<StoredAlert> ascending = (a, b) -> values.compare(a.value(field), b.value(field));
        return descending ? ascending.reversed() : ascending;
    }

    private static int top(String text) {
        int value = nonNegative("$top", text);
        if (value > MAX_TOP) {
            throw new InvalidQueryException("The limit of '" + MAX_TOP
                    + "' for Top query has been exceeded. The value from the incoming request is '" + text + "'.");
        }
        return value;
    }

    private static int skip(String text) {
        return nonNegative("$skip", text);
    }

    private static int nonNegative(String option, String text) {
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new InvalidQueryException("Invalid value '" + text + "' for " + option
                + ": it must be a non-negative integer.");
    }

    private static boolean expand(String text) {
        if (!text.trim().equals("evidence")) {
            throw new InvalidQueryException("Invalid expand clause: only 'evidence' can be expanded, not '"
                    + text + "'.");
        }
        return true;
    }
}
