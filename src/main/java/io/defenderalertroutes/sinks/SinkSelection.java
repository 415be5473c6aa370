package io.defenderalertroutes.sinks;

import java.util.List;

/**
 * The sinks named in {@code defender.sinks}. Sink {@code x} is the route that consumes {@code direct:sink-x},
 * so a new sink is one YAML route plus its name in the list.
 */
public final class SinkSelection {

    private final List<String> names;
    private final String endpoints;

    public SinkSelection(List<String> names) {
        this.names = List.copyOf(names);
        this.endpoints = String.join(",", names.stream().map(SinkSelection::endpointOf).toList());
    }

    public static String endpointOf(String sink) {
        return "direct:sink-" + sink;
    }

    public List<String> names() {
        return names;
    }

    /** For the fan-out's recipient list. */
    public String endpoints() {
        return endpoints;
    }
}
