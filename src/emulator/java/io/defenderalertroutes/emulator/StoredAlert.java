package io.defenderalertroutes.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * One alert as the emulator serves it: both text forms fixed at put time, so serving is a plain copy of the
 * stored characters, plus the parsed values the filter and ordering need.
 */
final class StoredAlert {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String id;
    private final String expandedJson;
    private final String unexpandedJson;
    private final Map<AlertField, Object> values;

    private StoredAlert(String id, String expandedJson, String unexpandedJson, Map<AlertField, Object> values) {
        this.id = id;
        this.expandedJson = expandedJson;
        this.unexpandedJson = unexpandedJson;
        this.values = values;
    }

    /** @throws IllegalArgumentException when the text is not one JSON object with a string id and sane values */
    static StoredAlert of(String alertJson) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(alertJson);
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
        Map<AlertField, Object> values = new EnumMap<>(AlertField.class);
        for (AlertField field : AlertField.values()) {
            Object value = field.read(tree);
            if (value != null) {
                values.put(field, value);
            }
        }
        return new StoredAlert(id.asText(), alertJson, EvidenceSplice.withoutEvidence(alertJson),
                Collections.unmodifiableMap(values));
    }

    String id() {
        return id;
    }

    String json(boolean evidenceExpanded) {
        return evidenceExpanded ? expandedJson : unexpandedJson;
    }

    /** Null when the alert has no such property or it is JSON null. */
    Object value(AlertField field) {
        return values.get(field);
    }
}
