package io.defenderalertroutes.emulator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    static Integer integer(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
