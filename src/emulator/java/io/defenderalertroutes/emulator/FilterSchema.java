package io.defenderalertroutes.emulator;

/**
 * What one API lets a {@code $filter} name, and where each value of an item is found. The parser knows only this,
 * so each API states its own property set instead of sharing one by accident.
 *
 * @param <T> the stored item the filter is tested on
 */
interface FilterSchema<T> {

    /** The filterable property of that name, or null when the API refuses to filter on it. */
    FilterField field(String name);

    /** Why a name was refused, after "Invalid filter clause: ". */
    default String refusal(String name) {
        return "Could not find a property named '" + name + "' that can be filtered on.";
    }

    /** The item's value of the field: an {@link java.time.Instant}, a {@link Long}, a {@link String}, or null. */
    Object value(T item, FilterField field);

    /** The filter properties of an incident API: those {@code lookup} names, refused with {@code refusal}'s words. */
    static FilterSchema<StoredIncident> ofIncidents(java.util.function.Function<String, FilterField> lookup,
            java.util.function.UnaryOperator<String> refusal) {
        return new FilterSchema<>() {
            @Override
            public FilterField field(String name) {
                return lookup.apply(name);
            }

            @Override
            public String refusal(String name) {
                return refusal.apply(name);
            }

            @Override
            public Object value(StoredIncident incident, FilterField field) {
                return incident.value(field);
            }
        };
    }
}
