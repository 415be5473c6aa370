package io.defenderalertroutes.emulator;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The Defender XDR {@code incident} properties {@code GET /api/incidents} filters on, as Microsoft documents them:
 * lastUpdateTime, createdTime, status and assignedTo. Severity is not among them; a filter on it is refused. Status
 * values are PascalCase ({@code Active}) and, as MDE's enum-like strings, match whatever their case.
 */
enum XdrIncidentField implements FilterField {
    LAST_UPDATE_TIME("lastUpdateTime", Type.DATETIME),
    CREATED_TIME("createdTime", Type.DATETIME),
    STATUS("status", Type.TEXT_IGNORING_CASE),
    ASSIGNED_TO("assignedTo", Type.TEXT);

    static final FilterSchema<StoredIncident> SCHEMA = FilterSchema.ofIncidents(name -> named(name).orElse(null),
            name -> "The property '" + name + "' cannot be used in the $filter query option; incidents filter on "
                    + "lastUpdateTime, createdTime, status and assignedTo.");

    private final String jsonName;
    private final Type type;

    XdrIncidentField(String jsonName, Type type) {
        this.jsonName = jsonName;
        this.type = type;
    }

    static Optional<XdrIncidentField> named(String name) {
        return Arrays.stream(values()).filter(f -> f.jsonName.equalsIgnoreCase(name.trim().toLowerCase(Locale.ROOT)))
                .findFirst();
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
