package io.defenderalertroutes.auth;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Before the one retry of a call the API answered 401: drop the cached token, which was revoked or expired early,
 * and put a new one on the request. The tenant's enricher is the one that set the token for this poll.
 */
public final class TokenRefresh implements Processor {

    @Override
    public void process(Exchange exchange) throws Exception {
        TokenEnricher enricher = exchange.getProperty(TokenEnricher.PROPERTY, TokenEnricher.class);
        if (enricher == null) {
            throw new IllegalStateException("no token enricher on the exchange; add-access-token must run first");
        }
        enricher.tokens().invalidate();
        enricher.process(exchange);
    }
}
