package io.defenderalertroutes.emulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** What the endpoints share: the directory, the tenants and the knobs a test turns while the server runs. */
final class EmulatorState {

    static final int DEFAULT_CALLS_PER_MINUTE = 100;
    static final int DEFAULT_CALLS_PER_HOUR = 1500;
    /** Graph's documented limit for /security: 150 requests per minute per app and tenant. */
    static final int DEFAULT_GRAPH_CALLS_PER_MINUTE = 150;

    /** Defender XDR's documented limits for its incidents API: 50 calls a minute and 1,500 an hour. */
    static final int DEFAULT_XDR_CALLS_PER_MINUTE = 50;
    static final int DEFAULT_XDR_CALLS_PER_HOUR = 1500;

    private final TokenRegistry tokens = new TokenRegistry();
    private final ConcurrentHashMap<String, TenantState> tenants = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();
    private volatile String baseUrl = "";
    private volatile int callsPerMinute = DEFAULT_CALLS_PER_MINUTE;
    private volatile int callsPerHour = DEFAULT_CALLS_PER_HOUR;
    private volatile int graphCallsPerMinute = DEFAULT_GRAPH_CALLS_PER_MINUTE;
    private volatile int xdrCallsPerMinute = DEFAULT_XDR_CALLS_PER_MINUTE;
    private volatile int xdrCallsPerHour = DEFAULT_XDR_CALLS_PER_HOUR;
    private volatile NextLinkMode nextLinkMode = NextLinkMode.NONE;
    private volatile Duration responseDelay = Duration.ZERO;

    TokenRegistry tokens() {
        return tokens;
    }

    TenantState tenant(String tenantId) {
        return tenants.computeIfAbsent(tenantId, t -> new TenantState());
    }

    Optional<TenantState> existingTenant(String tenantId) {
        return Optional.ofNullable(tenants.get(tenantId));
    }

    Iterable<TenantState> allTenants() {
        return tenants.values();
    }

    Instant now() {
        return clock.instant();
    }

    String baseUrl() {
        return baseUrl;
    }

    void setBaseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    int callsPerMinute() {
        return callsPerMinute;
    }

    int callsPerHour() {
        return callsPerHour;
    }

    synchronized void setRateLimit(int perMinute, int perHour) {
        if (perMinute < 1 || perHour < 1) {
            throw new IllegalArgumentException("Rate limits must be at least 1: " + perMinute + "/" + perHour);
        }
        this.callsPerMinute = perMinute;
        this.callsPerHour = perHour;
    }

    int graphCallsPerMinute() {
        return graphCallsPerMinute;
    }

    void setGraphRateLimit(int perMinute) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("Rate limits must be at least 1: " + perMinute);
        }
        this.graphCallsPerMinute = perMinute;
    }

    int xdrCallsPerMinute() {
        return xdrCallsPerMinute;
    }

    int xdrCallsPerHour() {
        return xdrCallsPerHour;
    }

    synchronized void setXdrRateLimit(int perMinute, int perHour) {
        if (perMinute < 1 || perHour < 1) {
            throw new IllegalArgumentException("Rate limits must be at least 1: " + perMinute + "/" + perHour);
        }
        this.xdrCallsPerMinute = perMinute;
        this.xdrCallsPerHour = perHour;
    }

    NextLinkMode nextLinkMode() {
        return nextLinkMode;
    }

    void setNextLinkMode(NextLinkMode mode) {
        this.nextLinkMode = mode;
    }

    /** Holds the answer of an API call back by the longer of the delay set for all tenants and the tenant's own. */
    void delayAnswer(TenantState tenant) {
        Duration delay = responseDelay.compareTo(tenant.responseDelay()) >= 0 ? responseDelay : tenant.responseDelay();
        MdeGate.pause(delay);
    }

    Duration responseDelay() {
        return responseDelay;
    }

    void setResponseDelay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("A delay cannot be negative: " + delay);
        }
        this.responseDelay = delay;
    }
}
