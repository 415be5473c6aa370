package io.defenderalertroutes.emulator;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/alerts}: authenticates the bearer token, counts the call, applies throttling and injected faults
 * in that order, then answers the OData query with each alert's stored text copied unchanged into the page.
 */
final class AlertsEndpoint {

    static final String PATH = "/api/alerts";
    static final String ODATA_CONTEXT = "https://api.securitycenter.microsoft.com/api/$metadata#Alerts";


    private final EmulatorState state;

    AlertsEndpoint(EmulatorState state) {
        this.state = state;
    }

    void handle(HttpExchange exchange) throws IOException {
        if (MdeGate.refusedUnlessGet(exchange)) {
            return;
        }
        Optional<TokenRegistry.IssuedToken> token = MdeGate.authenticate(state, exchange);
        if (token.isEmpty()) {
            return;
        }
        TenantState tenant = state.tenant(token.get().tenantId());
        String rawQuery = exchange.getRequestURI().getRawQuery();
        tenant.countApiRequest(decodedForLog(rawQuery));
        state.delayAnswer(tenant);
        if (MdeGate.throttled(exchange, tenant.rateLimiter(), state, state.callsPerMinute(), state.callsPerHour())) {
            return;
        }

        InjectedFault fault = tenant.faults().poll();
        if (fault != null && fault.sentInstead(exchange)) {
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
            Http.send(exchange, 200, MdeGate.ODATA_JSON, page.getBytes(StandardCharsets.UTF_8), Map.of());
        }
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
        Http.send(exchange, 200, MdeGate.ODATA_JSON, Arrays.copyOf(bytes, Math.max(1, bytes.length / 2)), Map.of());
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
}
