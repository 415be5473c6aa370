package io.defenderalertroutes.emulator;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;

/**
 * A property an OData {@code $filter} may name: how its literals are read and how two of its values compare. MDE's
 * alert properties ({@link AlertField}) and Graph's ({@link GraphAlertField}) are two sets of these over one parser.
 */
interface FilterField {

    enum Type {
        TEXT(Comparator.naturalOrder()),
        // MDE's enum-like strings match whatever their case; its documentation writes them in several spellings
        TEXT_IGNORING_CASE(String.CASE_INSENSITIVE_ORDER),
        NUMBER(Comparator.naturalOrder()),
        DATETIME(Comparator.naturalOrder());

        private final Comparator<?> order;

        Type(Comparator<?> order) {
            this.order = order;
        }

        /** Orders two non-null values of this type. */
        @SuppressWarnings("unchecked")
        int compare(Object left, Object right) {
            return ((Comparator<Object>) order).compare(left, right);
        }
    }

    /** The property name as the JSON and the error messages spell it. */
    String jsonName();

    Type type();

    /** The OData type named when a literal does not fit, e.g. {@code Edm.DateTimeOffset}. */
    default String edmType() {
        return switch (type()) {
            case DATETIME -> "Edm.DateTimeOffset";
            case NUMBER -> "Edm.Int64";
            default -> "Edm.String";
        };
    }

    /** Orders two non-null values of this field. */
    default int compare(Object left, Object right) {
        return type().compare(left, right);
    }

    /**
     * The value as the filter sees it: an {@link Instant}, a {@link Long}, a {@link String}, or null.
     *
     * @throws IllegalArgumentException when a number or timestamp property holds something else
     */
    default Object read(JsonNode item) {
        JsonNode node = item.get(jsonName());
        if (node == null || node.isNull()) {
            return null;
        }
        switch (type()) {
            case NUMBER:
                if (!node.canConvertToLong()) {
                    throw new IllegalArgumentException(jsonName() + " is not a whole number: " + node);
                }
                return node.asLong();
            case DATETIME:
                try {
                    return Instant.parse(node.asText());
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException(jsonName() + " is not a UTC timestamp: " + node, e);
                }
            default:
                return node.isValueNode() ? node.asText() : node.toString();
        }
    }
}
