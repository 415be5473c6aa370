package io.defenderalertroutes.emulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.sun.net.httpserver.HttpExchange;

/**
 * What every Defender for Endpoint API call passes first, as Microsoft's does: a valid token for the API's audience,
 * then the tenant's call budget (one budget for every endpoint: alerts, machines, indicators).
 */
final class MdeGate {

    /** The content type of the Defender for Endpoint and Defender XDR APIs' OData answers. */
    static final String ODATA_JSON = "application/json; odata.metadata=minimal; odata.streaming=true; "
            + "IEEE754Compatible=false; charset=utf-8";

    private MdeGate() {
    }

    /** A 405 for anything but GET, as the list endpoints answer it; true once it was sent. */
    static boolean refusedUnlessGet(HttpExchange exchange) throws IOException {
        if ("GET".equals(exchange.getRequestMethod())) {
            return false;
        }
        Http.sendJson(exchange, 405, ErrorBodies.mde("MethodNotAllowed",
                "The requested resource does not support http method '" + exchange.getRequestMethod() + "'."));
        return true;
    }

    /** The token's holder, or empty once a 401 was sent. */
    static Optional<TokenRegistry.IssuedToken> authenticate(EmulatorState state, HttpExchange exchange) throws IOException {
        return authenticate(state, exchange, TokenRegistry.Audience.MDE);
    }

    /** The same for an API of the same family with its own audience (Defender XDR's). */
    static Optional<TokenRegistry.IssuedToken> authenticate(EmulatorState state, HttpExchange exchange,
            TokenRegistry.Audience audience) throws IOException {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String message;
        if (header == null || !header.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
            message = "The request has no bearer token in its Authorization header.";
        } else {
            String token = header.substring(7).trim();
            Optional<TokenRegistry.IssuedToken> issued = state.tokens().valid(token, state.now());
            if (issued.isPresent() && issued.get().audience() == audience) {
                return issued;
            }
            if (issued.isPresent()) {
                message = "The access token was issued for " + issued.get().audience().apiName()
                        + "; its audience is not valid for this API.";
            } else {
                message = state.tokens().isKnown(token) ? "The access token has expired." : "The access token is invalid.";
            }
        }
        Http.send(exchange, 401, Http.JSON, ErrorBodies.mde("Unauthorized", message).getBytes(StandardCharsets.UTF_8),
                Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\""));
        return Optional.empty();
    }

    /** Counts the call against a budget; true once a 429 with Retry-After was sent. */
    static boolean throttled(HttpExchange exchange, SlidingWindowRateLimiter limiter, EmulatorState state, int perMinute,
            int perHour) throws IOException {
        Optional<Duration> wait = limiter.tryAcquire(state.now(), perMinute, perHour);
        if (wait.isEmpty()) {
            return false;
        }
        long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
        Http.send(exchange, 429, Http.JSON, ErrorBodies.mde("TooManyRequests",
                        "Rate limit is exceeded. Try again in " + seconds + " seconds.")
                .getBytes(StandardCharsets.UTF_8), Map.of("Retry-After", Long.toString(seconds)));
        return true;
    }

    static void pause(Duration delay) {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
