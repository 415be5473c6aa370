package io.defenderalertroutes.defender;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;

/**
 * The HTTP client of the alerts API calls retries nothing by itself: every retry goes back through the route,
 * so that it is counted against the tenant's call budget and follows the route's error handling.
 */
public final class ApiHttpClient implements HttpClientConfigurer {

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.disableAutomaticRetries();
    }
}
