package io.defenderalertroutes.sinks;

import java.util.List;

import io.defenderalertroutes.tenant.SinkSettings;
import org.apache.camel.Exchange;

/**
 * The HTTP callback URLs of the action results ({@code defender.actions.results.http.urls}), each called with the
 * result, signed and authorised as playbook handlers are. The callback route loops over them.
 */
public final class Callbacks {

    private final List<SinkSettings.Handler> urls;

    public Callbacks(List<SinkSettings.Handler> urls) {
        this.urls = List.copyOf(urls);
    }

    public int count() {
        return urls.size();
    }

    /** Addresses and signs the request for the callback of this loop iteration. */
    public void prepare(Exchange exchange) throws Exception {
        SinkSettings.Handler callback = urls.get(exchange.getProperty(Exchange.LOOP_INDEX, 0, Integer.class));
        exchange.setProperty(TenantSinks.HANDLER_URL, callback.url());
        callback.signer().process(exchange);
    }
}
