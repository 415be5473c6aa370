package io.defenderalertroutes.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * One Graph incident as the incidents endpoint serves it: its text with its alerts (for {@code $expand=alerts}) as
 * given at put time, its text without them, and the values the filter and ordering see.
 */
final class StoredIncident {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String id;
    private final String withAlerts;
    private final String withoutAlerts;
    private final Map<GraphIncidentField, Object> values;

    private StoredIncident(String id, String withAlerts, String withoutAlerts, Map<GraphIncidentField, Object> values) {
        this.id = id;
        this.withAlerts = withAlerts;
        this.withoutAlerts = withoutAlerts;
        this.values = values;
    }

    /** @throws IllegalArgumentException unless the text is one JSON object with a string id and an alerts array */
    static StoredIncident of(String incidentJson) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(incidentJson);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("An incident must be JSON: " + e.getOriginalMessage());
        }
        if (tree == null || !tree.isObject() || !tree.path("id").isTextual() || !tree.path("alerts").isArray()) {
            throw new IllegalArgumentException("An incident needs a string \"id\" and an \"alerts\" array");
        }
        ObjectNode without = ((ObjectNode) tree).deepCopy();
        without.remove("alerts");
        Map<GraphIncidentField, Object> values = new EnumMap<>(GraphIncidentField.class);
        for (GraphIncidentField field : GraphIncidentField.values()) {
            Object value = field.read(tree);
            if (value != null) {
                values.put(field, value);
            }
        }
        return new StoredIncident(tree.get("id").asText(), incidentJson, GraphAlertText.pretty(without),
                Collections.unmodifiableMap(values));
    }

    String id() {
        return id;
    }

    String json(boolean expandAlerts) {
        return expandAlerts ? withAlerts : withoutAlerts;
    }

    Object value(GraphIncidentField field) {
        return values.get(field);
    }
}
