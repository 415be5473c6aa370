package io.defenderalertroutes.emulator;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The alert properties MDE lets a client filter and order by. Each one knows how its value is read from the alert
 * JSON and compared, so the filter and the ordering share one notion of equality.
 */
enum AlertField implements FilterField {
    ID("id", Type.TEXT),
    INCIDENT_ID("incidentId", Type.NUMBER),
    INVESTIGATION_ID("investigationId", Type.NUMBER),
    ASSIGNED_TO("assignedTo", Type.TEXT),
    DETECTION_SOURCE("detectionSource", Type.TEXT),
    STATUS("status", Type.TEXT_IGNORING_CASE),
    SEVERITY("severity", Type.TEXT_IGNORING_CASE),
    CATEGORY("category", Type.TEXT_IGNORING_CASE),
    ALERT_CREATION_TIME("alertCreationTime", Type.DATETIME),
    LAST_UPDATE_TIME("lastUpdateTime", Type.DATETIME),
    LAST_EVENT_TIME("lastEventTime", Type.DATETIME);

    // The documentation itself spells property names in more than one case ("InvestigationId"), so look them up
    // without regard to case.
    private static final Map<String, AlertField> BY_LOWER_CASE_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(f -> f.jsonName.toLowerCase(Locale.ROOT), Function.identity()));

    private final String jsonName;
    private final Type type;

    AlertField(String jsonName, Type type) {
        this.jsonName = jsonName;
        this.type = type;
    }

    /** MDE's filterable properties, read from the values parsed when the alert was stored. */
    static final FilterSchema<StoredAlert> SCHEMA = new FilterSchema<>() {
        @Override
        public FilterField field(String name) {
            return named(name).orElse(null);
        }

        @Override
        public Object value(StoredAlert alert, FilterField field) {
            return alert.value((AlertField) field);
        }
    };

    static Optional<AlertField> named(String name) {
        return Optional.ofNullable(BY_LOWER_CASE_NAME.get(name.toLowerCase(Locale.ROOT)));
    }

    @Override
    public String jsonName() {
        return jsonName;
    }

    @Override
    public Type type() {
        return type;
    }
}
