package io.defenderalertroutes.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * One alert as the Graph endpoint serves it: its text for clients with and without {@code Prefer:
 * include-unknown-enum-members}, fixed at put time so that serving copies stored characters, plus the values the
 * filter and ordering see in each mode.
 */
final class StoredGraphAlert {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final String id;
    private final String plainJson;
    private final String unknownMembersJson;
    private final Map<GraphAlertField, Object> plainValues;
    private final Map<GraphAlertField, Object> unknownMembersValues;

    private StoredGraphAlert(String id, String plainJson, String unknownMembersJson,
                             Map<GraphAlertField, Object> plainValues, Map<GraphAlertField, Object> unknownMembersValues) {
        this.id = id;
        this.plainJson = plainJson;
        this.unknownMembersJson = unknownMembersJson;
        this.plainValues = plainValues;
        this.unknownMembersValues = unknownMembersValues;
    }

    /**
     * A Graph alert text served as given in both modes.
     *
     * @throws IllegalArgumentException unless the text is one JSON object with a string id and sane values
     */
    static StoredGraphAlert verbatim(String graphJson) {
        JsonNode tree = parse(graphJson);
        Map<GraphAlertField, Object> values = values(tree);
        return new StoredGraphAlert(tree.get("id").asText(), graphJson, graphJson, values, values);
    }

    /** The Graph view of an MDE alert that {@link StoredAlert#of} has already accepted. */
    static StoredGraphAlert fromMde(String mdeJson, String tenantId) {
        JsonNode mde = parse(mdeJson);
        String plain = GraphAlertText.fromMde(mde, tenantId, false);
        String unknownMembers = GraphAlertText.fromMde(mde, tenantId, true);
        Map<GraphAlertField, Object> plainValues = values(parse(plain));
        if (unknownMembers.equals(plain)) {
            return new StoredGraphAlert(mde.get("id").asText(), plain, plain, plainValues, plainValues);
        }
        return new StoredGraphAlert(mde.get("id").asText(), plain, unknownMembers, plainValues,
                values(parse(unknownMembers)));
    }

    String id() {
        return id;
    }

    String json(boolean includeUnknownEnumMembers) {
        return includeUnknownEnumMembers ? unknownMembersJson : plainJson;
    }

    /** Null when the alert has no such property or it is JSON null. */
    Object value(GraphAlertField field, boolean includeUnknownEnumMembers) {
        return (includeUnknownEnumMembers ? unknownMembersValues : plainValues).get(field);
    }

    private static JsonNode parse(String json) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException("An alert must be a JSON object");
        }
        JsonNode id = tree.get("id");
        if (id == null || !id.isTextual() || id.asText().isEmpty()) {
            throw new IllegalArgumentException("An alert needs a non-empty string \"id\"");
        }
        return tree;
    }

    private static Map<GraphAlertField, Object> values(JsonNode tree) {
        Map<GraphAlertField, Object> values = new EnumMap<>(GraphAlertField.class);
        for (GraphAlertField field : GraphAlertField.values()) {
            Object value = field.read(tree);
            if (value != null) {
                values.put(field, value);
            }
        }
        return Collections.unmodifiableMap(values);
    }
}
