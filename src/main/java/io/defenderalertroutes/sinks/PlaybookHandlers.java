package io.defenderalertroutes.sinks;

import java.util.List;

import org.apache.camel.Exchange;

/**
 * The HTTP sink's playbook handlers, each with its own way to prove the sender: a signing secret and a bearer
 * token of its own ({@code defender.sink.http.handler.<n>.*}, n counting the URLs from 1) or the shared ones.
 * The sink route loops over them, calling {@link #prepare(Exchange)} before each POST.
 */
public final class PlaybookHandlers {

    /** The exchange property holding the URL of the handler being called. */
    public static final String URL = "DefenderHandlerUrl";

    public record Handler(String url, HandlerSigner signer) {
    }

    private final List<Handler> handlers;

    public PlaybookHandlers(List<Handler> handlers) {
        this.handlers = List.copyOf(handlers);
    }

    public int count() {
        return handlers.size();
    }

    /** Addresses and signs the request for the handler of this loop iteration. */
    public void prepare(Exchange exchange) throws Exception {
        Handler handler = handlers.get(exchange.getProperty(Exchange.LOOP_INDEX, 0, Integer.class));
        exchange.setProperty(URL, handler.url());
        handler.signer().process(exchange);
    }

    @Override
    public String toString() {
        return "PlaybookHandlers" + handlers.stream().map(h -> h.url() + " " + h.signer()).toList();
    }
}
