package io.defenderalertroutes.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.camel.catalog.CamelCatalog;
import org.apache.camel.catalog.DefaultCamelCatalog;
import org.apache.camel.catalog.EndpointValidationResult;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * What camel-yaml-dsl-validator-maven-plugin would check at build time, which this registry does not serve: every
 * endpoint URI written in the route files and the Kamelet, with its parameters, resolved as the bundle resolves it
 * (application.properties, the templates' and the Kamelet's parameter defaults, a sample tenant), is validated
 * against Camel 4.18.0's catalog of components and options. An unknown component, an unknown option or a value of
 * the wrong type fails the build. Fully dynamic URIs (a whole {@code ${...}}) are listed and left to the tests that
 * send to them.
 */
class EndpointUrisTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^{}]*)}}");
    /** Template parameters with no default, as the bundle fills them for a tenant. */
    private static final Map<String, String> SAMPLE_PARAMETERS = Map.of("tenant", "contoso", "intervalMillis", "300000",
            "timer", "defender/poll-contoso",
            "routeId", "kamelet-1", "poller", "defenderKameletPoller");

    private final CamelCatalog catalog = new DefaultCamelCatalog();

    private record Endpoint(String file, String uri) {
    }

    @Test
    void everyEndpointInTheRouteFilesAndTheKameletIsKnownToCamel() throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of("routes"))) {
            files = walk.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(files.stream().anyMatch(p -> p.toString().endsWith(".kamelet.yaml")), "the Kamelet is checked too");
        List<Endpoint> endpoints = new ArrayList<>();
        List<String> dynamic = new ArrayList<>();
        for (Path file : files) {
            endpoints.addAll(endpoints(file, Files.readString(file), dynamic));
        }
        List<String> problems = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            problems.addAll(validate(endpoint));
        }
        System.out.printf("Endpoint URIs checked against Camel's catalog: %d in %d files; dynamic, left to the tests: %s%n",
                endpoints.size(), files.size(), dynamic);
        assertTrue(endpoints.size() > 20, "found " + endpoints.size());
        assertEquals(List.of(), problems);
    }

    @Test
    void aMistypedOptionOrComponentIsCaught() throws Exception {
        String yaml = """
                - route:
                    from:
                      uri: "direct:in"
                      steps:
                        - to:
                            uri: "kafka:{{defender.sink.kafka.topic:defender-alerts}}"
                            parameters:
                              brokerz: "localhost:9092"
                        - to: "fiel:alerts"
                        - to:
                            uri: "file:alerts"
                            parameters:
                              fileExist: Overwrite
                """;
        List<String> problems = new ArrayList<>();
        for (Endpoint endpoint : endpoints(Path.of("mistakes.camel.yaml"), yaml, new ArrayList<>())) {
            problems.addAll(validate(endpoint));
        }
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("brokerz"), problems.get(0));
        assertTrue(problems.get(1).contains("fiel"), problems.get(1));
        assertTrue(problems.get(2).contains("Overwrite"), problems.get(2));
    }

    private List<String> validate(Endpoint endpoint) {
        // stricter than Camel at run time: an option the component does not know is an error, not a query parameter
        EndpointValidationResult result = catalog.validateEndpointProperties(endpoint.uri(), true);
        if (result.getUnknownComponent() != null) {
            return List.of(endpoint.file() + ": " + endpoint.uri() + ": unknown component " + result.getUnknownComponent());
        }
        if (result.isSuccess()) {
            return List.of();
        }
        String summary = result.summaryErrorMessage(false);
        return List.of(endpoint.file() + ": " + endpoint.uri() + ": " + (summary == null ? "unknown component" : summary));
    }

    @SuppressWarnings("unchecked")
    private static List<Endpoint> endpoints(Path file, String yaml, List<String> dynamic) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("application.properties"))) {
            properties.load(in);
        }
        List<Object> documents = new ArrayList<>();
        new Load(LoadSettings.builder().build()).loadAllFromString(yaml).forEach(documents::add);
        Map<String, String> parameters = new HashMap<>(SAMPLE_PARAMETERS);
        documents.forEach(d -> collectDefaults(d, parameters));
        List<Endpoint> found = new ArrayList<>();
        documents.forEach(d -> collectEndpoints(d, file.toString(), properties, parameters, found, dynamic));
        return found;
    }

    /** Route template parameters' defaultValue and Kamelet properties' default. */
    @SuppressWarnings("unchecked")
    private static void collectDefaults(Object node, Map<String, String> parameters) {
        if (node instanceof Map<?, ?> map) {
            if (map.get("name") instanceof String name && map.containsKey("defaultValue")) {
                parameters.putIfAbsent(name, String.valueOf(map.get("defaultValue")));
            }
            if (map.get("properties") instanceof Map<?, ?> props) {
                props.forEach((name, spec) -> {
                    if (spec instanceof Map<?, ?> s && s.containsKey("default")) {
                        parameters.putIfAbsent(String.valueOf(name), String.valueOf(s.get("default")));
                    }
                });
            }
            map.values().forEach(v -> collectDefaults(v, parameters));
        } else if (node instanceof List<?> list) {
            list.forEach(v -> collectDefaults(v, parameters));
        }
    }

    @SuppressWarnings("unchecked")
    private static void collectEndpoints(Object node, String file, Properties properties, Map<String, String> parameters,
            List<Endpoint> found, List<String> dynamic) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (key.equals("uri") && e.getValue() instanceof String uri) {
                    Map<String, Object> params = map.get("parameters") instanceof Map<?, ?> p
                            ? new LinkedHashMap<>((Map<String, Object>) p) : Map.of();
                    add(file, uri, params, properties, parameters, found, dynamic);
                } else if ((key.equals("to") || key.equals("toD") || key.equals("wireTap")) && e.getValue() instanceof String uri) {
                    add(file, uri, Map.of(), properties, parameters, found, dynamic);
                } else {
                    collectEndpoints(e.getValue(), file, properties, parameters, found, dynamic);
                }
            }
        } else if (node instanceof List<?> list) {
            list.forEach(v -> collectEndpoints(v, file, properties, parameters, found, dynamic));
        }
    }

    private static void add(String file, String rawUri, Map<String, Object> params, Properties properties,
            Map<String, String> parameters, List<Endpoint> found, List<String> dynamic) {
        String uri = resolve(rawUri, properties, parameters);
        if (uri.startsWith("${") || uri.startsWith("#")) {
            dynamic.add(file + ": " + rawUri);
            return;
        }
        StringBuilder query = new StringBuilder();
        params.forEach((name, value) -> {
            String raw = String.valueOf(value);
            if (raw.startsWith("{{?")) {
                return;
            }
            if (raw.contains("${")) {
                // computed per message: its name is checked, its value cannot be
                query.append(query.length() == 0 ? "?" : "&").append(name).append("={{computed}}");
                return;
            }
            query.append(query.length() == 0 ? "?" : "&").append(name).append('=').append(resolve(raw, properties, parameters));
        });
        found.add(new Endpoint(file, uri + query));
    }

    /** Resolves {{key}}, {{key:default}} and nested placeholders innermost first, as Camel's properties would. */
    private static String resolve(String text, Properties properties, Map<String, String> parameters) {
        String value = text;
        for (int guard = 0; guard < 20; guard++) {
            Matcher m = PLACEHOLDER.matcher(value);
            if (!m.find()) {
                return value;
            }
            String inner = m.group(1);
            int colon = inner.indexOf(':');
            String key = colon < 0 ? inner : inner.substring(0, colon);
            String fallback = colon < 0 ? null : inner.substring(colon + 1);
            // the bundle's {{millis:key}} function: an ISO-8601 duration key in milliseconds
            String replacement = key.equals("millis") && properties.getProperty(fallback) != null
                    ? String.valueOf(java.time.Duration.parse(properties.getProperty(fallback)).toMillis())
                    : parameters.containsKey(key) ? parameters.get(key)
                    : properties.getProperty(key) != null ? properties.getProperty(key)
                    : fallback != null ? fallback : "x";
            value = value.substring(0, m.start()) + replacement + value.substring(m.end());
        }
        assertFalse(true, "placeholders nested too deep in " + text);
        return value;
    }
}
