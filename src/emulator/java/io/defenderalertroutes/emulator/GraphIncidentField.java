package io.defenderalertroutes.emulator;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The Graph {@code incident} properties a client may filter incidents by, as Microsoft documents them (assignedTo,
 * classification, createdDateTime, determination, lastUpdateDateTime, severity, status). Enum values compare
 * case-sensitively with their camelCase member names ({@code status eq 'active'}).
 */
enum GraphIncidentField implements FilterField {
    ASSIGNED_TO("assignedTo", Type.TEXT),
    CLASSIFICATION("classification", Type.TEXT),
    DETERMINATION("determination", Type.TEXT),
    STATUS("status", Type.TEXT),
    SEVERITY("severity", Type.TEXT),
    CREATED_DATE_TIME("createdDateTime", Type.DATETIME),
    LAST_UPDATE_DATE_TIME("lastUpdateDateTime", Type.DATETIME);

    private static final Map<String, GraphIncidentField> BY_LOWER_CASE_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(f -> f.jsonName.toLowerCase(Locale.ROOT), Function.identity()));
    static final FilterSchema<StoredIncident> SCHEMA = FilterSchema.ofIncidents(name -> named(name).orElse(null),
            name -> "Could not find a property named '" + name + "' on type 'microsoft.graph.security.incident'.");

    private final String jsonName;
    private final Type type;

    GraphIncidentField(String jsonName, Type type) {
        this.jsonName = jsonName;
        this.type = type;
    }

    static Optional<GraphIncidentField> named(String name) {
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
