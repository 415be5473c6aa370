package io.defenderalertroutes.defender;

import org.apache.camel.Exchange;

/**
 * A tenant's own call budget, timeout and retries. The API routes are shared by all tenants, so each poll carries
 * its tenant's values as exchange properties, which the budget throttles, the call and its retries read.
 */
public record ApiLimits(int callsPerMinute, int callsPerHour, int timeoutMillis, int retries, int throttleRetries) {

    public static final String CALLS_PER_MINUTE = "DefenderApiCallsPerMinute";
    public static final String CALLS_PER_HOUR = "DefenderApiCallsPerHour";
    public static final String TIMEOUT_MILLIS = "DefenderApiTimeoutMs";
    public static final String RETRIES = "DefenderApiRetries";
    public static final String THROTTLE_RETRIES = "DefenderApiThrottleRetries";

    void putOn(Exchange exchange) {
        exchange.setProperty(CALLS_PER_MINUTE, callsPerMinute);
        exchange.setProperty(CALLS_PER_HOUR, callsPerHour);
        exchange.setProperty(TIMEOUT_MILLIS, timeoutMillis);
        exchange.setProperty(RETRIES, retries);
        exchange.setProperty(THROTTLE_RETRIES, throttleRetries);
    }
}
