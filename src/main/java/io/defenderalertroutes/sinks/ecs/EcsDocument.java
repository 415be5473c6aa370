package io.defenderalertroutes.sinks.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An ECS document under construction: fields named by their dotted ECS name ({@code event.created}) and written as
 * the nested objects Elasticsearch ingests ({@code {"event": {"created": ...}}}). A single-valued field keeps the
 * first value it is given ({@link #putFirst}), an array field gathers each value once ({@link #add}).
 */
final class EcsDocument {

    static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode root = JSON.createObjectNode();

    ObjectNode json() {
        return root;
    }

    /** Sets the field, replacing what it held; nothing for a null value. */
    EcsDocument put(String field, String value) {
        if (value != null) {
            parent(field).put(leaf(field), value);
        }
        return this;
    }

    EcsDocument put(String field, long value) {
        parent(field).put(leaf(field), value);
        return this;
    }

    EcsDocument put(String field, JsonNode value) {
        if (value != null && !value.isNull()) {
            parent(field).set(leaf(field), value);
        }
        return this;
    }

    /** Sets the field unless it has a value already: the first evidence of a kind fills the one-valued fields. */
    EcsDocument putFirst(String field, String value) {
        if (value != null && !has(field)) {
            put(field, value);
        }
        return this;
    }

    EcsDocument putFirst(String field, JsonNode value) {
        if (value != null && !value.isNull() && !has(field)) {
            put(field, value);
        }
        return this;
    }

    /** Adds the value to the array field once, in the order first seen; nothing for a null or blank value. */
    EcsDocument add(String field, String value) {
        if (value == null || value.isBlank()) {
            return this;
        }
        ObjectNode parent = parent(field);
        JsonNode array = parent.get(leaf(field));
        ArrayNode values = array instanceof ArrayNode existing ? existing : parent.putArray(leaf(field));
        for (JsonNode known : values) {
            if (known.asText().equals(value)) {
                return this;
            }
        }
        values.add(value);
        return this;
    }

    boolean has(String field) {
        return get(field) != null;
    }

    /** The field's value, or null. */
    JsonNode get(String field) {
        JsonNode node = root;
        for (String part : field.split("\\.")) {
            node = node.get(part);
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    private ObjectNode parent(String field) {
        ObjectNode node = root;
        String[] parts = field.split("\\.");
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            node = child instanceof ObjectNode object ? object : node.putObject(parts[i]);
        }
        return node;
    }

    private static String leaf(String field) {
        return field.substring(field.lastIndexOf('.') + 1);
    }
}
