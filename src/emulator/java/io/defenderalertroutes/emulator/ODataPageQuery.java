package io.defenderalertroutes.emulator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What a Graph list request asked for, once its options are checked: the filter, the order, the page ({@code $top},
 * {@code $skip}) and whether to count; the options as sent, to build the next page's link.
 *
 * @param <T> the stored item listed
 */
abstract class ODataPageQuery<T> {

    private final Map<String, String> parameters;
    private final ODataFilter<T> filter;
    private final Comparator<T> order;
    private final int top;
    private final int skip;
    private final boolean count;

    ODataPageQuery(Map<String, String> parameters, ODataFilter<T> filter, Comparator<T> order, int top, int skip,
            boolean count) {
        this.parameters = new LinkedHashMap<>(parameters);
        this.filter = filter;
        this.order = order;
        this.top = top;
        this.skip = skip;
        this.count = count;
    }

    /** All matching items in served order, before {@code $skip} and {@code $top}. */
    List<T> matching(List<T> items) {
        List<T> matching = new ArrayList<>();
        for (T item : items) {
            if (filter == null || filter.matches(item)) {
                matching.add(item);
            }
        }
        matching.sort(order);
        return matching;
    }

    int pageSize() {
        return top;
    }

    int skip() {
        return skip;
    }

    boolean count() {
        return count;
    }

    /** The same parameters with {@code $skip} replaced (or added at the end). */
    Map<String, String> withSkip(int newSkip) {
        Map<String, String> copy = new LinkedHashMap<>(parameters);
        copy.put("$skip", Integer.toString(newSkip));
        return copy;
    }

    /** {@code $top}: the most when absent, 1 to {@code max}; a larger one refused, as Graph and Defender XDR refuse it. */
    static int top(Map<String, String> parameters, int max) {
        if (!parameters.containsKey("$top")) {
            return max;
        }
        Integer value = integer(parameters.get("$top"));
        if (value == null || value < 1) {
            throw new InvalidQueryException("Invalid value '" + parameters.get("$top") + "' for $top.");
        }
        if (value > max) {
            throw new InvalidQueryException("The limit of '" + max + "' for Top query has been exceeded. "
                    + "The value from the incoming request is '" + value + "'.");
        }
        return value;
    }

    static int skip(Map<String, String> parameters) {
        if (!parameters.containsKey("$skip")) {
            return 0;
        }
        Integer value = integer(parameters.get("$skip"));
        if (value == null || value < 0) {
            throw new InvalidQueryException("Invalid value '" + parameters.get("$skip") + "' for $skip.");
        }
        return value;
    }

    /**
     * An {@code $orderby} of comma-separated {@code field [asc|desc]} clauses over the fields {@code orderable} names,
     * ending with the id so that the order is total.
     */
    static <T> Comparator<T> orderBy(String text, Function<String, Optional<? extends FilterField>> orderable,
            BiFunction<T, FilterField, Object> value, Function<T, String> id) {
        Comparator<T> order = null;
        for (String clause : text.split(",", -1)) {
            String[] words = clause.trim().split("\\s+");
            FilterField field = orderable.apply(words[0]).orElseThrow(() -> new InvalidQueryException(
                    "Invalid OrderBy clause: the property '" + words[0] + "' cannot be used in the $orderby query option."));
            if (words.length > 2 || words.length == 2 && !words[1].toLowerCase(Locale.ROOT).matches("asc|desc")) {
                throw new InvalidQueryException("Invalid OrderBy clause: '" + text + "'.");
            }
            Comparator<Object> values = Comparator.nullsFirst(field::compare);
            Comparator<T> key = (a, b) -> values.compare(value.apply(a, field), value.apply(b, field));
            key = words.length == 2 && words[1].equalsIgnoreCase("desc") ? key.reversed() : key;
            order = order == null ? key : order.thenComparing(key);
        }
        return order.thenComparing(id);
    }

    static Integer integer(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
