package io.defenderalertroutes.sinks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

/**
 * The CloudEvents specification's JSON schema of the JSON event format (src/test/resources/standards/cloudevents, its
 * source and version in the README there), and the one rule of the specification it leaves out: an event of
 * CloudEvents 1.0 says {@code "specversion": "1.0"} (the schema asks only for a non-empty string).
 */
public final class CloudEventsSchema {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema SCHEMA = load();

    private CloudEventsSchema() {
    }

    private static Schema load() {
        try (InputStream in = CloudEventsSchema.class.getResourceAsStream("/standards/cloudevents/cloudevents.json")) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the event breaks of the schema and of the specification's rule above; empty when it is a valid event. */
    public static List<String> violations(String event) {
        JsonNode node;
        try {
            node = JSON.readTree(event);
        } catch (IOException e) {
            return List.of("not JSON: " + e.getMessage());
        }
        List<String> violations = new ArrayList<>();
        SCHEMA.validate(node).forEach(error -> violations.add(error.toString()));
        // by hand, labelled: the specification (spec.md, specversion) fixes the value; the schema does not
        if (!"1.0".equals(node.path("specversion").asText())) {
            violations.add("specification rule: specversion must be \"1.0\", was " + node.get("specversion"));
        }
        return violations;
    }
}
