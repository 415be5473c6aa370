package io.defenderalertroutes.emulator;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Defender XDR {@code GET /api/incidents}: a token for the Defender XDR audience, the call counted, the response
 * delay, the tenant's Defender XDR budget (50 calls a minute and 1,500 an hour by default, apart from the Defender
 * for Endpoint API's), injected faults, then a page of incidents, each with its alerts, its stored text unchanged.
 */
final class XdrIncidentsEndpoint {

    static final String PATH = "/api/incidents";
    static final String ODATA_CONTEXT = "https://api.security.microsoft.com/api/$metadata#Incidents";


    private final EmulatorState state;

    XdrIncidentsEndpoint(EmulatorState state) {
        this.state = state;
    }

    void handle(HttpExchange exchange) throws IOException {
        if (MdeGate.refusedUnlessGet(exchange)) {
            return;
        }
        Optional<TokenRegistry.IssuedToken> token = MdeGate.authenticate(state, exchange, TokenRegistry.Audience.XDR);
        if (token.isEmpty()) {
            return;
        }
        TenantState tenant = state.tenant(token.get().tenantId());
        String rawQuery = exchange.getRequestURI().getRawQuery();
        tenant.countXdrRequest(rawQuery == null ? "" : Http.decode(rawQuery));
        state.delayAnswer(tenant);
        if (MdeGate.throttled(exchange, tenant.xdrRateLimiter(), state, state.xdrCallsPerMinute(), state.xdrCallsPerHour())) {
            return;
        }
        InjectedFault fault = tenant.faults().poll();
        if (fault != null && fault.sentInstead(exchange)) {
            return;
        }
        XdrIncidentQuery query;
        try {
            query = XdrIncidentQuery.of(Http.parameters(rawQuery));
        } catch (InvalidQueryException | IllegalArgumentException e) {
            Http.sendJson(exchange, 400, ErrorBodies.mde("BadRequest", e.getMessage()));
            return;
        }
        byte[] page = page(tenant.xdrIncidentSnapshot(), query).getBytes(StandardCharsets.UTF_8);
        if (fault != null) {
            page = Arrays.copyOf(page, Math.max(1, page.length / 2));
        }
        Http.send(exchange, 200, MdeGate.ODATA_JSON, page, Map.of());
    }

    private String page(List<StoredIncident> incidents, XdrIncidentQuery query) {
        List<StoredIncident> matching = query.matching(incidents);
        int from = Math.min(query.skip(), matching.size());
        int to = (int) Math.min((long) from + query.pageSize(), matching.size());
        StringBuilder body = new StringBuilder("{\"@odata.context\":\"").append(ODATA_CONTEXT).append("\",\"value\":[");
        for (int i = from; i < to; i++) {
            if (i > from) {
                body.append(',');
            }
            body.append(matching.get(i).json(true));
        }
        // no nextLink: Microsoft's example has none and no peer relies on one for this endpoint
        body.append(']');
        return body.append('}').toString();
    }
}
