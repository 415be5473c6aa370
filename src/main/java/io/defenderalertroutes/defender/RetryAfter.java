package io.defenderalertroutes.defender;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import io.defenderalertroutes.tenant.Tenant;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.MicrometerUtils;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * When the API throttles (429, or 503), the next attempt waits exactly as long as its {@code Retry-After} says:
 * a client that comes back sooner is throttled again. Sets Camel's per-exchange redelivery delay, and counts the
 * throttle in {@code defender_api_throttled_total}.
 */
public final class RetryAfter implements Processor {

    private final Duration whenAbsent;

    public RetryAfter(Duration whenAbsent) {
        this.whenAbsent = whenAbsent;
    }

    @Override
    public void process(Exchange exchange) {
        HttpOperationFailedException failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT,
                HttpOperationFailedException.class);
        String header = failure == null ? null : failure.getResponseHeaders().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase("Retry-After"))
                .map(java.util.Map.Entry::getValue).findFirst().orElse(null);
        exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, delay(header).toMillis());
        // counted here because a throttled attempt never reaches a route step of its own before its retry
        String tenant = Tenant.nameOf(exchange);
        MicrometerUtils.getOrCreateMeterRegistry(exchange.getContext().getRegistry(), MicrometerConstants.METRICS_REGISTRY_NAME)
                .counter("defender.api.throttled", "tenant", tenant,
                        "status", failure == null ? "unknown" : String.valueOf(failure.getStatusCode()))
                .increment();
    }

    Duration delay(String retryAfter) {
        if (retryAfter == null || retryAfter.isBlank()) {
            return whenAbsent;
        }
        String value = retryAfter.trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException e) {
                return whenAbsent;
            }
        }
    }
}
