package io.defenderalertroutes.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * One incident as an incidents endpoint serves it: its text with its alerts as given at put time, its text without
 * them (Graph's, without {@code $expand=alerts}), and the values the filter and ordering see. Graph's incidents have a
 * string {@code id}; Defender XDR's a number {@code incidentId}.
 */
final class StoredIncident {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * Graph's incident statuses before {@code unknownFutureValue}; a later member ({@code awaitingAction}) reaches only
     * a client that sends {@code Prefer: include-unknown-enum-members}, everyone else reads unknownFutureValue.
     */
    private static final Set<String> GRAPH_BASE_STATUSES = Set.of("active", "resolved", "inProgress", "redirected",
            GraphAlertText.UNKNOWN_FUTURE_VALUE);

    private final String id;
    private final String withAlerts;
    private final String withoutAlerts;
    /** The same texts for a Graph client that does not ask for newer enum members; the same objects when no different. */
    private final String plainWithAlerts;
    private final String plainWithoutAlerts;
    private final Map<FilterField, Object> values;

    private StoredIncident(String id, String withAlerts, String withoutAlerts, String plainWithAlerts,
            String plainWithoutAlerts, Map<FilterField, Object> values) {
        this.id = id;
        this.withAlerts = withAlerts;
        this.withoutAlerts = withoutAlerts;
        this.plainWithAlerts = plainWithAlerts;
        this.plainWithoutAlerts = plainWithoutAlerts;
        this.values = values;
    }

    /** A Graph incident. @throws IllegalArgumentException unless the text is one JSON object with a string id and an alerts array */
    static StoredIncident of(String incidentJson) {
        JsonNode tree = tree(incidentJson);
        if (!tree.path("id").isTextual()) {
            throw new IllegalArgumentException("An incident needs a string \"id\" and an \"alerts\" array");
        }
        StoredIncident stored = stored(tree, incidentJson, tree.get("id").asText(), GraphIncidentField.values());
        String status = tree.path("status").asText();
        if (GRAPH_BASE_STATUSES.contains(status) || !tree.path("status").isTextual()) {
            return stored;
        }
        ObjectNode plain = ((ObjectNode) tree).deepCopy();
        plain.put("status", GraphAlertText.UNKNOWN_FUTURE_VALUE);
        ObjectNode plainWithout = plain.deepCopy();
        plainWithout.remove("alerts");
        return new StoredIncident(stored.id, stored.withAlerts, stored.withoutAlerts, GraphAlertText.pretty(plain),
                GraphAlertText.pretty(plainWithout), stored.values);
    }

    /** A Defender XDR incident. @throws IllegalArgumentException unless it has a number incidentId and an alerts array */
    static StoredIncident defenderXdr(String incidentJson) {
        JsonNode tree = tree(incidentJson);
        if (!tree.path("incidentId").isIntegralNumber()) {
            throw new IllegalArgumentException("A Defender XDR incident needs a number \"incidentId\" and an \"alerts\" array");
        }
        return stored(tree, incidentJson, tree.get("incidentId").asText(), XdrIncidentField.values());
    }

    private static JsonNode tree(String incidentJson) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(incidentJson);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("An incident must be JSON: " + e.getOriginalMessage());
        }
        if (tree == null || !tree.isObject() || !tree.path("alerts").isArray()) {
            throw new IllegalArgumentException("An incident must be a JSON object with an \"alerts\" array");
        }
        return tree;
    }

    private static StoredIncident stored(JsonNode tree, String incidentJson, String id, FilterField[] fields) {
        ObjectNode without = ((ObjectNode) tree).deepCopy();
        without.remove("alerts");
        Map<FilterField, Object> values = new HashMap<>();
        for (FilterField field : fields) {
            Object value = field.read(tree);
            if (value != null) {
                values.put(field, value);
            }
        }
        String withoutText = GraphAlertText.pretty(without);
        return new StoredIncident(id, incidentJson, withoutText, incidentJson, withoutText,
                Collections.unmodifiableMap(values));
    }

    String id() {
        return id;
    }

    /** The incident's text as put, with or without its alerts. */
    String json(boolean expandAlerts) {
        return json(expandAlerts, true);
    }

    /** The same to a Graph client that does or does not send {@code Prefer: include-unknown-enum-members}. */
    String json(boolean expandAlerts, boolean includeUnknownEnumMembers) {
        if (includeUnknownEnumMembers) {
            return expandAlerts ? withAlerts : withoutAlerts;
        }
        return expandAlerts ? plainWithAlerts : plainWithoutAlerts;
    }

    Object value(FilterField field) {
        return values.get(field);
    }
}
