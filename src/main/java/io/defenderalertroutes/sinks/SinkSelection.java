package io.defenderalertroutes.sinks;

import java.util.List;

/**
 * The sinks named in {@code defender.sinks}. Sink {@code x} is the route that consumes {@code direct:defender-sink-x},
 * so a new sink is one YAML route plus its name in the list. An entry holding a colon is a Camel endpoint URI
 * used as it is ({@code log:alerts}, {@code seda:triage}), so a plain endpoint is one property change.
 */
public final class SinkSelection {

    private final List<String> names;
    private final String endpoints;

    public SinkSelection(List<String> names) {
        this.names = List.copyOf(names);
        this.endpoints = String.join(",", names.stream().map(SinkSelection::endpointOf).toList());
    }

    public static String endpointOf(String sink) {
        return isEndpointUri(sink) ? sink : "direct:defender-sink-" + sink;
    }

    public static boolean isEndpointUri(String sink) {
        return sink.contains(":");
    }

    public List<String> names() {
        return names;
    }

    /** For the fan-out's recipient list. */
    public String endpoints() {
        return endpoints;
    }
}
