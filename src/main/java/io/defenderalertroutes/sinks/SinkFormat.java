package io.defenderalertroutes.sinks;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The shapes a sink can deliver an alert in ({@code defender.sink.<name>.format}). Each but {@code raw} is a Camel
 * data type transformer named {@code defender:<key>}, so that a route of the user's reaches the same code with
 * {@code transformDataType: toType: defender:cloudevents}.
 */
public enum SinkFormat {
    /** The alert exactly as Microsoft served it: the bundle's behaviour before formats existed. */
    RAW("raw"),
    /** A CloudEvents 1.0 structured-mode JSON event around the raw alert ({@link CloudEventsTransformer}). */
    CLOUDEVENTS("cloudevents"),
    /**
     * OCSF 1.3.0 ({@link OcsfTransformer}): an alert of any source (one split off an incident too) as a Detection
     * Finding, an incident of either incident source as an Incident Finding.
     */
    OCSF("ocsf"),
    /** An Elastic Common Schema 8.17.0 document as Elastic's own integrations map it ({@link EcsTransformer}); every source. */
    ECS("ecs");

    /** What a sink delivers when its key is not set. */
    public static final SinkFormat DEFAULT = RAW;
    /** The data type scheme of the bundle's transformers: {@code defender:<format>}. */
    public static final String SCHEME = "defender";

    private final String key;

    SinkFormat(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** The name the format's Camel data type transformer is registered under. */
    public String dataType() {
        return SCHEME + ":" + key;
    }

    public static Optional<SinkFormat> byKey(String key) {
        String wanted = key == null ? "" : key.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.key.equals(wanted)).findFirst();
    }

    /**
     * Whether the format maps what the source named {@code sourceKey} ({@code defender.source}) serves: a source added
     * later without a mapping is refused at start-up rather than failing each alert at its sink.
     */
    public boolean maps(String sourceKey) {
        return switch (this) {
            case OCSF -> OcsfTransformer.SOURCES.contains(sourceKey);
            case ECS -> io.defenderalertroutes.sinks.ecs.EcsMapping.SOURCES.contains(sourceKey);
            default -> true;
        };
    }

    /** The choices, for the line that refuses an unknown one. */
    public static String choices() {
        return Arrays.stream(values()).map(SinkFormat::key).collect(Collectors.joining(", "));
    }
}
