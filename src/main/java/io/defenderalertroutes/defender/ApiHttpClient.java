package io.defenderalertroutes.defender;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.util.TimeValue;

/**
 * The HTTP client of the alerts API calls: a 429 or 503 is retried after exactly the {@code Retry-After} the
 * API asked for (never sooner: a client that retries early is throttled again), a few times, before the call
 * fails and Camel's redelivery or the next poll takes over. Apache HttpClient's own retry strategy does this.
 */
public final class ApiHttpClient implements HttpClientConfigurer {

    private final int throttleRetries;

    public ApiHttpClient(int throttleRetries) {
        this.throttleRetries = throttleRetries;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        // the interval is only used when the API sends no Retry-After
        builder.setRetryStrategy(new DefaultHttpRequestRetryStrategy(throttleRetries, TimeValue.ofSeconds(5)));
    }
}
