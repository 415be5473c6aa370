package io.defenderalertroutes.sinks;

import java.util.List;

import org.apache.camel.Exchange;

/**
 * The sinks named in {@code defender.sinks}. Sink {@code x} is the route that consumes {@code direct:defender-sink-x},
 * so a new sink is one YAML route plus its name in the list. An entry holding a colon is a Camel endpoint URI
 * used as it is ({@code log:alerts}, {@code seda:triage}), so a plain endpoint is one property change.
 */
public final class SinkSelection {

    private final List<String> names;
    private final String endpoints;
    private volatile DeadLetters deadLetters;

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

    /** Every sink's endpoint, comma-separated. */
    public String endpoints() {
        return endpoints;
    }

    /**
     * For the fan-out's recipient list: every sink, but that a sink holding an earlier version of this alert in the
     * dead letter gets it through the hold route instead (see {@link DeadLetters}).
     */
    public String recipients(Exchange exchange) {
        DeadLetters letters = deadLetters;
        if (letters == null) {
            letters = exchange.getContext().getRegistry().lookupByNameAndType(DeadLetters.BEAN, DeadLetters.class);
            if (letters == null) {
                return endpoints;
            }
            deadLetters = letters;
        }
        return letters.recipients(exchange, this);
    }
}
