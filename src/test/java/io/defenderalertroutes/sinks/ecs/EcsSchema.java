package io.defenderalertroutes.sinks.ecs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Checks a document against the ECS field definitions of one version, read as elastic/ecs generates them
 * ({@code generated/ecs/ecs_flat.yml}, unchanged in src/test/resources/standards/ecs): every leaf outside the
 * integrations' own namespaces ({@code microsoft.*}, {@code m365_defender.*}) is an ECS field; its value fits the
 * field's type; a field with {@code allowed_values} (event.kind, event.category, event.type, event.outcome) holds
 * only those; a field whose {@code normalize} says {@code array} is an array; the fields ECS requires are present.
 */
public final class EcsSchema {

    public static final String VERSION = EcsMapping.ECS_VERSION;
    /** The integrations' own field namespaces: anything goes inside them. */
    static final Set<String> OWN = Set.of("microsoft", "m365_defender");
    private static final Set<String> STRINGS = Set.of("keyword", "text", "wildcard", "match_only_text",
            "constant_keyword");
    private static final Set<String> NUMBERS = Set.of("long", "integer", "short", "byte", "float", "double",
            "scaled_float", "half_float");
    private static final Set<String> INTEGRAL = Set.of("long", "integer", "short", "byte");
    private static final Set<String> OBJECTS = Set.of("object", "flattened", "nested");

    private final Map<String, Map<String, Object>> fields;

    @SuppressWarnings("unchecked")
    public EcsSchema() {
        String resource = "/standards/ecs/" + VERSION + "/ecs_flat.yml";
        try (InputStream in = EcsSchema.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no " + resource + " on the test class path");
            }
            fields = (Map<String, Map<String, Object>>) new Load(LoadSettings.builder().build()).loadFromInputStream(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The definition of a field by its dotted name, or null. */
    Map<String, Object> field(String name) {
        return fields.get(name);
    }

    /** What is wrong with the document, one line each; empty when ECS accepts it. */
    public List<String> violations(JsonNode document) {
        List<String> problems = new ArrayList<>();
        if (!document.isObject()) {
            problems.add("a document is a JSON object");
            return problems;
        }
        fields.forEach((name, definition) -> {
            if (Boolean.TRUE.equals(definition.get("required")) && at(document, name) == null) {
                problems.add(name + ": required by ECS, missing");
            }
        });
        walk("", document, problems);
        return problems;
    }

    private void walk(String prefix, JsonNode object, List<String> problems) {
        Iterator<Map.Entry<String, JsonNode>> entries = object.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            String name = prefix.isEmpty() ? entry.getKey() : prefix + "." + entry.getKey();
            JsonNode value = entry.getValue();
            if (prefix.isEmpty() && OWN.contains(name)) {
                if (!value.isObject()) {
                    problems.add(name + ": the integration's namespace is an object");
                }
                continue;
            }
            Map<String, Object> definition = fields.get(name);
            if (definition != null) {
                check(name, definition, value, problems);
            } else if (value.isObject() && isParent(name)) {
                walk(name, value, problems);
            } else {
                problems.add(name + ": not an ECS " + VERSION + " field");
            }
        }
    }

    private boolean isParent(String name) {
        String prefix = name + ".";
        return fields.keySet().stream().anyMatch(field -> field.startsWith(prefix));
    }

    @SuppressWarnings("unchecked")
    private void check(String name, Map<String, Object> definition, JsonNode value, List<String> problems) {
        String type = String.valueOf(definition.get("type"));
        if (OBJECTS.contains(type)) {
            boolean fits = type.equals("nested") ? value.isArray() || value.isObject() : value.isObject();
            if (!fits) {
                problems.add(name + ": " + type + ", not " + value.getNodeType());
            }
            if (type.equals("object") && value.isObject()) {
                // an object field's values are its own keyword values (labels: keys of the user's choosing)
                value.fields().forEachRemaining(f -> {
                    if (!f.getValue().isTextual()) {
                        problems.add(name + "." + f.getKey() + ": keyword values in " + name);
                    }
                });
            }
            return;
        }
        List<String> normalize = (List<String>) definition.getOrDefault("normalize", List.of());
        if (normalize.contains("array") && !value.isArray()) {
            problems.add(name + ": an array in ECS (normalize: array), not " + value.getNodeType());
        }
        List<JsonNode> values = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(values::add);
        } else {
            values.add(value);
        }
        List<Map<String, Object>> allowed = (List<Map<String, Object>>) definition.get("allowed_values");
        for (JsonNode one : values) {
            String wrong = typeProblem(type, one);
            if (wrong != null) {
                problems.add(name + ": " + wrong);
            }
            if (allowed != null && allowed.stream().noneMatch(a -> a.get("name").equals(one.asText()))) {
                problems.add(name + ": '" + one.asText() + "' is not one of its allowed values");
            }
        }
    }

    private static String typeProblem(String type, JsonNode value) {
        if (STRINGS.contains(type)) {
            return value.isTextual() ? null : type + " is a string, not " + value.getNodeType();
        }
        if (NUMBERS.contains(type)) {
            boolean fits = INTEGRAL.contains(type) ? value.isIntegralNumber() : value.isNumber();
            return fits ? null : type + " is a number, not " + value;
        }
        if (type.equals("boolean")) {
            return value.isBoolean() ? null : "boolean, not " + value;
        }
        if (type.equals("date")) {
            return value.isTextual() && isoDate(value.asText()) ? null : "date is an ISO-8601 time, not " + value;
        }
        if (type.equals("ip")) {
            return value.isTextual() && ip(value.asText()) ? null : "ip is an IPv4 or IPv6 address, not " + value;
        }
        // geo_point, or a type a later ECS adds: refused until the checker knows it, rather than passed unchecked
        return "the checker has no rule for the type " + type;
    }

    private static boolean isoDate(String text) {
        try {
            OffsetDateTime.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static boolean ip(String text) {
        if (!ipv4(text) && !text.contains(":")) {
            return false;
        }
        try {
            InetAddress.getByName(text);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static JsonNode at(JsonNode document, String dotted) {
        JsonNode node = document.get(dotted);
        if (node != null) {
            return node;
        }
        node = document;
        for (String part : dotted.split("\\.")) {
            node = node.get(part);
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    /** Four decimal numbers 0 to 255: an IPv4 literal, so that nothing is ever looked up by name. */
    private static boolean ipv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)
                    || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }
}
