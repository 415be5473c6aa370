package io.defenderalertroutes.emulator;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The Graph {@code alert} properties a client may filter alerts_v2 by, as Microsoft documents them (assignedTo,
 * classification, determination, createdDateTime, lastUpdateDateTime, severity, serviceSource, status), plus
 * {@code id}. Other alert properties, {@code category} first among them, are refused with 400.
 *
 * <p>Enum properties compare case-sensitively with their camelCase member names ({@code status eq 'new'}; {@code
 * 'New'} matches nothing), and against the value as served in the request's mode: without {@code Prefer:
 * include-unknown-enum-members} an alert with a newer member is {@code unknownFutureValue} to the filter too.
 * Property names are looked up without regard to case.
 */
enum GraphAlertField implements FilterField {
    ID("id", Type.TEXT, null),
    ASSIGNED_TO("assignedTo", Type.TEXT, null),
    CLASSIFICATION("classification", Type.TEXT, "microsoft.graph.security.alertClassification"),
    DETERMINATION("determination", Type.TEXT, "microsoft.graph.security.alertDetermination"),
    SERVICE_SOURCE("serviceSource", Type.TEXT, "microsoft.graph.security.serviceSource"),
    STATUS("status", Type.TEXT, "microsoft.graph.security.alertStatus"),
    SEVERITY("severity", Type.TEXT, "microsoft.graph.alertSeverity"),
    CREATED_DATE_TIME("createdDateTime", Type.DATETIME, null),
    LAST_UPDATE_DATE_TIME("lastUpdateDateTime", Type.DATETIME, null);

    /** The alert's other properties: they exist, but Graph does not filter on them. */
    private static final Set<String> NOT_FILTERABLE = Set.of("providerAlertId", "incidentId", "detectionSource",
            "detectorId", "tenantId", "title", "description", "recommendedActions", "category", "alertWebUrl",
            "incidentWebUrl", "actorDisplayName", "threatDisplayName", "threatFamilyName", "mitreTechniques",
            "resolvedDateTime", "firstActivityDateTime", "lastActivityDateTime", "comments", "evidence",
            "systemTags", "alertPolicyId", "productName", "additionalData")
            .stream().map(name -> name.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    private static final Map<String, GraphAlertField> BY_LOWER_CASE_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(f -> f.jsonName.toLowerCase(Locale.ROOT), Function.identity()));
    private static final FilterSchema<StoredGraphAlert> PLAIN = new Schema(false);
    private static final FilterSchema<StoredGraphAlert> WITH_UNKNOWN_MEMBERS = new Schema(true);

    private final String jsonName;
    private final Type type;
    private final String enumType;

    GraphAlertField(String jsonName, Type type, String enumType) {
        this.jsonName = jsonName;
        this.type = type;
        this.enumType = enumType;
    }

    /** The filter schema for requests with or without {@code Prefer: include-unknown-enum-members}. */
    static FilterSchema<StoredGraphAlert> schema(boolean includeUnknownEnumMembers) {
        return includeUnknownEnumMembers ? WITH_UNKNOWN_MEMBERS : PLAIN;
    }

    static Optional<GraphAlertField> named(String name) {
        return Optional.ofNullable(BY_LOWER_CASE_NAME.get(name.toLowerCase(Locale.ROOT)));
    }

    static boolean isAlertProperty(String name) {
        return named(name).isPresent() || NOT_FILTERABLE.contains(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public String jsonName() {
        return jsonName;
    }

    @Override
    public Type type() {
        return type;
    }

    @Override
    public String edmType() {
        return enumType != null ? enumType : FilterField.super.edmType();
    }

    private static final class Schema implements FilterSchema<StoredGraphAlert> {
        private final boolean includeUnknownEnumMembers;

        Schema(boolean includeUnknownEnumMembers) {
            this.includeUnknownEnumMembers = includeUnknownEnumMembers;
        }

        @Override
        public FilterField field(String name) {
            return named(name).orElse(null);
        }

        @Override
        public String refusal(String name) {
            if (NOT_FILTERABLE.contains(name.toLowerCase(Locale.ROOT))) {
                return "The property '" + name + "' cannot be used in the $filter query option.";
            }
            return "Could not find a property named '" + name + "' on type 'microsoft.graph.security.alert'.";
        }

        @Override
        public Object value(StoredGraphAlert alert, FilterField field) {
            return alert.value((GraphAlertField) field, includeUnknownEnumMembers);
        }
    }
}
