package io.defenderalertroutes.sinks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The OCSF schema as its own definition files say it (src/test/resources/standards/ocsf, version and source in the
 * README there), read as they are: a class or object is its {@code extends} chain with each level's {@code $include}
 * files and own attributes merged over the level above, each attribute completed by its dictionary entry. An event
 * is checked against a class as the OCSF server validates one: required attributes present, no attribute the class
 * or object does not define (anything goes inside an attribute of type {@code object}, such as {@code unmapped}),
 * values of the attribute's type, enum values among the enum's, arrays where the dictionary says {@code is_array},
 * a profile's required attributes when the event names the profile in {@code metadata.profiles},
 * and the objects' {@code at_least_one} and {@code just_one} constraints. The classification attributes are checked
 * against the class itself: {@code class_uid} is the category's uid times 1000 plus the class's,
 * {@code type_uid} is {@code class_uid} times 100 plus {@code activity_id}; an observable's {@code name} leads to an
 * attribute holding its {@code value}; an enum's sibling caption is its value's caption, but for Other.
 */
public final class OcsfSchema {

    public static final String VERSION = "1.3.0";
    private static final String ROOT = "/standards/ocsf/" + VERSION + "/";
    /** The event classes whose files are test resources, by name. */
    private static final Map<String, String> EVENTS = Map.of("base_event", "events/base_event.json",
            "finding", "events/findings/finding.json", "detection_finding", "events/findings/detection_finding.json",
            "incident_finding", "events/findings/incident_finding.json");

    private final JsonNode dictionary = read("dictionary.json").get("attributes");
    private final JsonNode types = read("dictionary.json").get("types").get("attributes");
    private final JsonNode categories = read("categories.json").get("attributes");
    private final Map<String, Definition> objects = new LinkedHashMap<>();

    /** A class or object as its chain of files defines it. */
    private record Definition(String name, ObjectNode attributes, JsonNode constraints, Map<String, String> profileOf) {
    }

    private static JsonNode read(String file) {
        try (InputStream in = OcsfSchema.class.getResourceAsStream(ROOT + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no OCSF definition " + file);
            }
            return CloudEventsSchema.JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What {@code event} breaks of the class named {@code className} ({@code detection_finding}, {@code incident_finding}). */
    public List<String> violations(String className, JsonNode event) {
        JsonNode classFile = read(EVENTS.get(className));
        Definition definition = definition(classFile, EVENTS::get);
        List<String> violations = new ArrayList<>();
        java.util.Set<String> profiles = new java.util.HashSet<>();
        event.path("metadata").path("profiles").forEach(p -> profiles.add(p.asText()));
        check(definition, event, className, profiles, violations);
        int categoryUid = categories.get(classFile.get("category").asText()).get("uid").asInt();
        int classUid = categoryUid * 1000 + classFile.get("uid").asInt();
        expect(violations, "category_uid", categoryUid, event);
        expect(violations, "class_uid", classUid, event);
        expect(violations, "type_uid", (long) classUid * 100 + event.path("activity_id").asLong(), event);
        observablesPointAtTheirValues(event, violations);
        return violations;
    }

    /**
     * An observable's {@code name} is the full name of the attribute it observes: that attribute of the event,
     * through every array on the way, must hold its {@code value}, or a search by name would not find it there.
     */
    private static void observablesPointAtTheirValues(JsonNode event, List<String> violations) {
        int i = 0;
        for (JsonNode observable : event.path("observables")) {
            List<JsonNode> found = new ArrayList<>(List.of(event));
            for (String part : observable.path("name").asText().split("\\.")) {
                List<JsonNode> next = new ArrayList<>();
                for (JsonNode node : found) {
                    JsonNode child = node.path(part);
                    if (child.isArray()) {
                        child.forEach(next::add);
                    } else if (!child.isMissingNode()) {
                        next.add(child);
                    }
                }
                found = next;
            }
            String value = observable.path("value").asText();
            if (found.stream().noneMatch(node -> node.isValueNode() && node.asText().equals(value))) {
                violations.add("observables[" + i + "]: " + observable.path("name").asText() + " holds no " + value);
            }
            i++;
        }
    }

    private static void expect(List<String> violations, String attribute, long expected, JsonNode event) {
        if (event.path(attribute).asLong(Long.MIN_VALUE) != expected) {
            violations.add(attribute + ": must be " + expected + ", was " + event.get(attribute));
        }
    }

    private Definition definition(JsonNode file, java.util.function.Function<String, String> fileOfName) {
        ObjectNode attributes = CloudEventsSchema.JSON.createObjectNode();
        JsonNode constraints = null;
        Map<String, String> profileOf = new LinkedHashMap<>();
        if (file.hasNonNull("extends")) {
            Definition parent = definition(read(fileOfName.apply(file.get("extends").asText())), fileOfName);
            attributes = parent.attributes().deepCopy();
            constraints = parent.constraints();
            profileOf.putAll(parent.profileOf());
        }
        JsonNode own = file.path("attributes");
        for (JsonNode include : own.path("$include")) {
            JsonNode included = read(include.asText());
            merge(attributes, (ObjectNode) included.path("attributes"));
            // a profile's attributes belong to the class, but what they require only when an event applies the profile
            if (include.asText().startsWith("profiles/")) {
                included.path("attributes").fieldNames().forEachRemaining(a -> profileOf.put(a, included.get("name").asText()));
            }
        }
        ObjectNode ownAttributes = ((ObjectNode) own).deepCopy();
        ownAttributes.remove("$include");
        merge(attributes, ownAttributes);
        if (file.has("constraints")) {
            constraints = file.get("constraints");
        }
        return new Definition(file.get("name").asText(), attributes, constraints, profileOf);
    }

    private Definition object(String name) {
        return objects.computeIfAbsent(name, n -> {
            Definition definition = definition(read("objects/" + n + ".json"), o -> "objects/" + o + ".json");
            if (n.equals("observable")) {
                observableTypes((ObjectNode) definition.attributes().get("type_id").get("enum"));
            }
            return definition;
        });
    }

    /**
     * observable.json lists only Unknown and Other: the OCSF compiler adds a type_id for each type and attribute the
     * dictionary marks {@code observable}, and so does the checker, or no observable of a real type would pass.
     */
    private void observableTypes(ObjectNode values) {
        types.fields().forEachRemaining(type -> addObservable(values, type.getValue()));
        dictionary.fields().forEachRemaining(attribute -> addObservable(values, attribute.getValue()));
    }

    private static void addObservable(ObjectNode values, JsonNode definition) {
        if (definition.has("observable")) {
            values.putObject(definition.get("observable").asText()).put("caption", definition.path("caption").asText());
        }
    }

    /** Deep merge of {@code over} into {@code into}: objects merged, anything else replaced. */
    private static void merge(ObjectNode into, ObjectNode over) {
        for (Iterator<Map.Entry<String, JsonNode>> it = over.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode existing = into.get(field.getKey());
            if (existing instanceof ObjectNode target && field.getValue() instanceof ObjectNode source) {
                merge(target, source);
            } else {
                into.set(field.getKey(), field.getValue().deepCopy());
            }
        }
    }

    private void check(Definition definition, JsonNode value, String path, java.util.Set<String> profiles,
            List<String> violations) {
        if (!value.isObject()) {
            violations.add(path + ": must be an object (" + definition.name() + ")");
            return;
        }
        for (Iterator<String> names = definition.attributes().fieldNames(); names.hasNext(); ) {
            String name = names.next();
            String profile = definition.profileOf().get(name);
            if ("required".equals(definition.attributes().get(name).path("requirement").asText())
                    && (profile == null || profiles.contains(profile))
                    && (!value.has(name) || value.get(name).isNull())) {
                violations.add(path + "." + name + ": required by " + definition.name());
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode local = definition.attributes().get(field.getKey());
            if (local == null) {
                violations.add(path + "." + field.getKey() + ": not an attribute of " + definition.name());
                continue;
            }
            ObjectNode attribute = dictionary.has(field.getKey())
                    ? ((ObjectNode) dictionary.get(field.getKey())).deepCopy() : CloudEventsSchema.JSON.createObjectNode();
            merge(attribute, (ObjectNode) local);
            checkAttribute(attribute, field.getKey(), field.getValue(), path + "." + field.getKey(), profiles, violations);
            checkSibling(attribute, value, field.getValue(), path, violations);
        }
        JsonNode constraints = definition.constraints();
        if (constraints != null) {
            long present = count(constraints.path("at_least_one"), value);
            if (constraints.has("at_least_one") && present < 1) {
                violations.add(path + ": at least one of " + constraints.get("at_least_one") + " (" + definition.name() + ")");
            }
            if (constraints.has("just_one") && count(constraints.get("just_one"), value) != 1) {
                violations.add(path + ": exactly one of " + constraints.get("just_one") + " (" + definition.name() + ")");
            }
        }
    }

    /**
     * An enum's sibling caption ({@code severity} beside {@code severity_id}) is the caption of its value, as the OCSF
     * server checks it; only Other (99) leaves the source's own word there.
     */
    private static void checkSibling(JsonNode attribute, JsonNode object, JsonNode id, String path,
            List<String> violations) {
        String sibling = attribute.path("sibling").asText("");
        JsonNode caption = attribute.path("enum").path(id.asText()).path("caption");
        if (sibling.isEmpty() || !object.has(sibling) || id.asInt() == 99 || caption.isMissingNode()) {
            return;
        }
        if (!caption.asText().equals(object.get(sibling).asText())) {
            violations.add(path + "." + sibling + ": must be " + caption.asText() + " for " + id + ", was "
                    + object.get(sibling));
        }
    }

    private static long count(JsonNode names, JsonNode value) {
        long count = 0;
        for (JsonNode name : names) {
            if (value.hasNonNull(name.asText())) {
                count++;
            }
        }
        return count;
    }

    private void checkAttribute(JsonNode attribute, String name, JsonNode value, String path, java.util.Set<String> profiles,
            List<String> violations) {
        if (attribute.path("is_array").asBoolean()) {
            if (!value.isArray()) {
                violations.add(path + ": must be an array");
                return;
            }
            int i = 0;
            for (JsonNode element : value) {
                checkValue(attribute, name, element, path + "[" + i++ + "]", profiles, violations);
            }
        } else {
            checkValue(attribute, name, value, path, profiles, violations);
        }
    }

    private void checkValue(JsonNode attribute, String name, JsonNode value, String path, java.util.Set<String> profiles,
            List<String> violations) {
        String type = attribute.path("type").asText();
        if (type.isEmpty()) {
            violations.add(path + ": the schema gives " + name + " no type");
            return;
        }
        if (type.equals("object")) {
            if (!value.isObject()) {
                violations.add(path + ": must be an object");
            }
            return;
        }
        if (!types.has(type)) {
            check(object(type), value, path, profiles, violations);
            return;
        }
        String base = types.get(type).path("type").asText(type);
        boolean valid = switch (base) {
            case "string_t" -> value.isTextual();
            case "integer_t" -> value.isIntegralNumber() && value.canConvertToInt();
            case "long_t" -> value.isIntegralNumber() && value.canConvertToLong();
            case "float_t" -> value.isNumber();
            case "boolean_t" -> value.isBoolean();
            case "json_t" -> true;
            default -> false;
        };
        if (!valid) {
            violations.add(path + ": " + value + " is not of type " + type);
        }
        if (attribute.has("enum") && !List.of("class_uid", "category_uid", "type_uid").contains(name)
                && !attribute.get("enum").has(value.asText())) {
            violations.add(path + ": " + value + " is not among " + name + "'s values " + fieldNames(attribute.get("enum")));
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
