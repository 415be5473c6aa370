package io.defenderalertroutes.emulator;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The alert properties MDE lets a client filter and order by. Each one knows how its value is read from the alert
 * JSON and compared, so the filter and the ordering share one notion of equality.
 */
enum AlertField {
    ID("id", FieldType.TEXT),
    INCIDENT_ID("incidentId", FieldType.NUMBER),
    INVESTIGATION_ID("investigationId", FieldType.NUMBER),
    ASSIGNED_TO("assignedTo", FieldType.TEXT),
    DETECTION_SOURCE("detectionSource", FieldType.TEXT),
    STATUS("status", FieldType.TEXT_IGNORING_CASE),
    SEVERITY("severity", FieldType.TEXT_IGNORING_CASE),
    CATEGORY("category", FieldType.TEXT_IGNORING_CASE),
    ALERT_CREATION_TIME("alertCreationTime", FieldType.DATETIME),
    LAST_UPDATE_TIME("lastUpdateTime", FieldType.DATETIME),
    LAST_EVENT_TIME("lastEventTime", FieldType.DATETIME);

    enum FieldType {
        TEXT(Comparator.naturalOrder()),
        // MDE's enum-like strings match whatever their case; its documentation writes them in several spellings
        TEXT_IGNORING_CASE(String.CASE_INSENSITIVE_ORDER),
        NUMBER(Comparator.naturalOrder()),
        DATETIME(Comparator.naturalOrder());

        private final Comparator<?> order;

        FieldType(Comparator<?> order) {
            this.order = order;
        }
    }

    // The documentation itself spells property names in more than one case ("InvestigationId"), so look them up
    // without regard to case.
    private static final Map<String, AlertField> BY_LOWER_CASE_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(f -> f.jsonName.toLowerCase(Locale.ROOT), Function.identity()));

    private final String jsonName;
    private final FieldType type;

    AlertField(String jsonName, FieldType type) {
        this.jsonName = jsonName;
        this.type = type;
    }

    static Optional<AlertField> named(String name) {
        return Optional.ofNullable(BY_LOWER_CASE_NAME.get(name.toLowerCase(Locale.ROOT)));
    }

    String jsonName() {
        return jsonName;
    }

    FieldType type() {
        return type;
    }

    /** The value as the filter sees it: an {@link Instant}, a {@link Long}, a {@link String}, or null. */
    Object read(JsonNode alert) {
        JsonNode node = alert.get(jsonName);
        if (node == null || node.isNull()) {
            return null;
        }
        switch (type) {
            case NUMBER:
                if (!node.canConvertToLong()) {
                    throw new IllegalArgumentException(jsonName + " is not a whole number: " + node);
                }
                return node.asLong();
            case DATETIME:
                try {
                    return Instant.parse(node.asText());
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException(jsonName + " is not a UTC timestamp: " + node, e);
                }
            default:
                return node.isValueNode() ? node.asText() : node.toString();
        }
    }

    /** Orders two non-null values of this field. */
    @SuppressWarnings("unchecked")
    int compare(Object left, Object right) {
        return ((Comparator<Object>) type.order).compare(left, right);
    }
}
