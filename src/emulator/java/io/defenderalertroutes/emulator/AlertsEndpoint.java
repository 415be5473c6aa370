package io.defenderalertroutes.emulator;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/alerts}: authenticates the bearer token, counts the call, applies throttling and injected faults
 * in that order, then answers the OData query with each alert's stored text copied unchanged into the page.
 */
final class AlertsEndpoint {

    static final String PATH = "/api/alerts";
    static final String ODATA_CONTEXT = "https://api.securitycenter.microsoft.com/api/$metadata#Alerts";

    private static final String ODATA_JSON = "application/json; odata.metadata=minimal; odata.streaming=true; "
            + "IEEE754Compatible=false; charset=utf-8";

    private final EmulatorState state;

    AlertsEndpoint(EmulatorState state) {
        this.state = state;
    }

    void handle(HttpExchange exchange) throws IOException {
        if (!"GET".equals(exchange.getRequestMethod())) {
            Http.sendJson(exchange, 405, ErrorBodies.mde("MethodNotAllowed",
                    "The requested resource does not support http method '" + exchange.getRequestMethod() + "'."));
            return;
        }
        Optional<TokenRegistry.IssuedToken> token = authenticate(exchange);
        if (token.isEmpty()) {
            return;
        }
        TenantState tenant = state.tenant(token.get().tenantId());
        String rawQuery = exchange.getRequestURI().getRawQuery();
        tenant.countApiRequest(decodedForLog(rawQuery));
        pause(state.responseDelay().compareTo(tenant.responseDelay()) >= 0 ? state.responseDelay() : tenant.responseDelay());

        Optional<Duration> wait = tenant.rateLimiter().tryAcquire(state.now(), state.callsPerMinute(),
                state.callsPerHour());
        if (wait.isPresent()) {
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            Http.send(exchange, 429, Http.JSON, ErrorBodies.mde("TooManyRequests",
                            "Rate limit is exceeded. Try again in " + seconds + " seconds.")
                    .getBytes(StandardCharsets.UTF_8), Map.of("Retry-After", Long.toString(seconds)));
            return;
        }

        InjectedFault fault = tenant.faults().poll();
        if (fault != null && !fault.truncated()) {
            boolean hasType = fault.headers().keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Content-Type"));
            Http.send(exchange, fault.status(), hasType || fault.body().isEmpty() ? null : Http.JSON,
                    fault.body().getBytes(StandardCharsets.UTF_8), fault.headers());
            return;
        }

        AlertQuery query;
        try {
            query = AlertQuery.of(Http.parameters(rawQuery));
        } catch (InvalidQueryException | IllegalArgumentException e) {
            if (fault != null) {
                sendTruncated(exchange, page(List.of(), null));
            } else {
                Http.sendJson(exchange, 400, ErrorBodies.mde("BadRequest", e.getMessage()));
            }
            return;
        }
        String page = page(tenant.alerts().snapshot(), query);
        if (fault != null) {
            sendTruncated(exchange, page);
        } else {
            Http.send(exchange, 200, ODATA_JSON, page.getBytes(StandardCharsets.UTF_8), Map.of());
        }
    }

    private Optional<TokenRegistry.IssuedToken> authenticate(HttpExchange exchange) throws IOException {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String message;
        if (header == null || !header.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
            message = "The request has no bearer token in its Authorization header.";
        } else {
            String token = header.substring(7).trim();
            Optional<TokenRegistry.IssuedToken> issued = state.tokens().valid(token, state.now());
            if (issued.isPresent() && issued.get().audience() == TokenRegistry.Audience.MDE) {
                return issued;
            }
            if (issued.isPresent()) {
                message = "The access token was issued for Microsoft Graph; its audience is not valid for this API.";
            } else {
                message = state.tokens().isKnown(token) ? "The access token has expired." : "The access token is invalid.";
            }
        }
        Http.send(exchange, 401, Http.JSON, ErrorBodies.mde("Unauthorized", message).getBytes(StandardCharsets.UTF_8),
                Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\""));
        return Optional.empty();
    }

    /** The page body; each alert's text is appended as stored, never re-serialised. */
    private String page(List<StoredAlert> alerts, AlertQuery query) {
        StringBuilder body = new StringBuilder("{\"@odata.context\":\"").append(ODATA_CONTEXT).append("\",\"value\":[");
        if (query == null) {
            return body.append("]}").toString();
        }
        List<StoredAlert> matching = query.matching(alerts);
        int from = (int) Math.min(query.skip(), matching.size());
        int to = (int) Math.min((long) from + query.pageSize(), matching.size());
        for (int i = from; i < to; i++) {
            if (i > from) {
                body.append(',');
            }
            body.append(matching.get(i).json(query.expandEvidence()));
        }
        body.append(']');
        Integer nextSkip = nextSkip(query, to, matching.size());
        if (nextSkip != null) {
            String link = state.baseUrl() + PATH + "?" + Http.query(query.withSkip(nextSkip));
            body.append(",\"@odata.nextLink\":\"")
                    .append(JsonStringEncoder.getInstance().quoteAsString(link))
                    .append('"');
        }
        return body.append('}').toString();
    }

    private Integer nextSkip(AlertQuery query, int end, int total) {
        if (query.pageSize() == 0) {
            return null;
        }
        switch (state.nextLinkMode()) {
            case PROPER:
                return end < total ? end : null;
            case STUCK:
                return total > query.pageSize() ? query.pageSize() : null;
            default:
                return null;
        }
    }

    /** Any proper prefix of a JSON object is invalid JSON; half of the page is a realistic cut. */
    private static void sendTruncated(HttpExchange exchange, String page) throws IOException {
        byte[] bytes = page.getBytes(StandardCharsets.UTF_8);
        Http.send(exchange, 200, ODATA_JSON, Arrays.copyOf(bytes, Math.max(1, bytes.length / 2)), Map.of());
    }

    private static String decodedForLog(String rawQuery) {
        if (rawQuery == null) {
            return "";
        }
        try {
            return Http.decode(rawQuery);
        } catch (IllegalArgumentException e) {
            return rawQuery;
        }
    }

    private static void pause(Duration delay) {
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
