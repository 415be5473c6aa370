package io.defenderalertroutes.tenant;

/**
 * A tenant's own call budget, timeout and retries. The API routes are shared by all tenants and read these from the
 * {@link Tenant} each poll carries: {@code ${exchangeProperty.DefenderTenant.api.retries}}.
 */
public record ApiLimits(int callsPerMinute, int callsPerHour, int timeoutMillis, int retries, int throttleRetries) {
}
