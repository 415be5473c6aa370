package io.defenderalertroutes.auth;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Adds the tenant's bearer token to the API call about to be made. */
public final class TokenEnricher implements Processor {

    /** The exchange property naming the enricher of the poll, for {@link TokenRefresh}. */
    public static final String PROPERTY = "DefenderTokenEnricher";

    private final AccessTokens tokens;

    public TokenEnricher(AccessTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public void process(Exchange exchange) {
        exchange.getMessage().setHeader("Authorization", "Bearer " + tokens.accessToken());
        exchange.setProperty(PROPERTY, this);
    }

    public AccessTokens tokens() {
        return tokens;
    }
}
