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
import java.util.UUID;

/**
 * Microsoft Graph {@code GET /v1.0/security/alerts_v2} over the same tenants: authenticates a Graph-audience
 * token, counts the call, applies the response delay, Graph's own throttling (per app and tenant) and injected
 * faults in that order, then answers the query with each alert's stored Graph text copied unchanged into the page.
 *
 * <p>Every response carries {@code request-id} and {@code client-request-id} headers (the latter echoed when the
 * client sent one), and errors carry them again in Graph's {@code innerError}.
 */
final class GraphAlertsEndpoint {

    static final String PATH = "/v1.0/security/alerts_v2";
    static final String ODATA_CONTEXT = "https://graph.microsoft.com/v1.0/$metadata#security/alerts_v2";
    /** Graph's incidents, served by the same checks: {@code GET /v1.0/security/incidents}, optionally with alerts. */
    static final String INCIDENTS_PATH = "/v1.0/security/incidents";
    static final String INCIDENTS_CONTEXT = "https://graph.microsoft.com/v1.0/$metadata#security/incidents";
    static final String INCLUDE_UNKNOWN_ENUM_MEMBERS = "include-unknown-enum-members";

    private static final String ODATA_JSON = "application/json;odata.metadata=minimal;odata.streaming=true;"
            + "IEEE754Compatible=false;charset=utf-8";
    private static final String WWW_AUTHENTICATE = "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline"
            + ".com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"";

    private final EmulatorState state;

    GraphAlertsEndpoint(EmulatorState state) {
        this.state = state;
    }

    void handle(HttpExchange exchange) throws IOException {
        Response response = new Response(exchange);
        if (!"GET".equals(exchange.getRequestMethod())) {
            response.error(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.",
                    Map.of());
            return;
        }
        Optional<TokenRegistry.IssuedToken> token = authenticate(response);
        if (token.isEmpty()) {
            return;
        }
        TenantState tenant = state.tenant(token.get().tenantId());
        String rawQuery = exchange.getRequestURI().getRawQuery();
        String prefer = preferHeader(exchange);
        boolean unknownMembers = includesUnknownEnumMembers(prefer);
        tenant.countGraphRequest(decodedForLog(rawQuery), prefer);
        state.delayAnswer(tenant);

        Optional<Duration> wait = tenant.graphRateLimiter(token.get().clientId())
                .tryAcquire(state.now(), state.graphCallsPerMinute(), Integer.MAX_VALUE);
        if (wait.isPresent()) {
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            response.error(429, "TooManyRequests", "Too many requests. Rate limit is exceeded; try again in "
                    + seconds + " seconds.", Map.of("Retry-After", Long.toString(seconds)));
            return;
        }

        InjectedFault fault = tenant.faults().poll();
        if (fault != null && fault.sentInstead(exchange)) {
            return;
        }

        String page;
        try {
            page = exchange.getRequestURI().getPath().equals(INCIDENTS_PATH)
                    ? incidentsPage(tenant.incidentSnapshot(), GraphIncidentQuery.of(Http.parameters(rawQuery)),
                            unknownMembers)
                    : page(tenant.graphSnapshot(), GraphAlertQuery.of(Http.parameters(rawQuery), unknownMembers),
                            unknownMembers);
        } catch (InvalidQueryException | IllegalArgumentException e) {
            if (fault != null) {
                sendTruncated(exchange, page(List.of(), null, false));
            } else {
                response.error(400, "BadRequest", e.getMessage(), Map.of());
            }
            return;
        }
        if (fault != null) {
            sendTruncated(exchange, page);
        } else {
            Http.send(exchange, 200, ODATA_JSON, page.getBytes(StandardCharsets.UTF_8), Map.of());
        }
    }

    /** The Prefer header as sent (several joined with ", "), or "" when absent. */
    static String preferHeader(HttpExchange exchange) {
        List<String> values = exchange.getRequestHeaders().get("Prefer");
        return values == null ? "" : String.join(", ", values);
    }

    static boolean includesUnknownEnumMembers(String prefer) {
        return Arrays.stream(prefer.split(","))
                .map(preference -> preference.split(";", 2)[0].trim().toLowerCase(Locale.ROOT))
                .anyMatch(INCLUDE_UNKNOWN_ENUM_MEMBERS::equals);
    }

    private Optional<TokenRegistry.IssuedToken> authenticate(Response response) throws IOException {
        String header = response.exchange.getRequestHeaders().getFirst("Authorization");
        String message;
        if (header == null || !header.toLowerCase(Locale.ROOT).startsWith("bearer ")
                || header.substring(7).isBlank()) {
            message = "Access token is empty.";
        } else {
            String token = header.substring(7).trim();
            Optional<TokenRegistry.IssuedToken> issued = state.tokens().valid(token, state.now());
            if (issued.isPresent() && issued.get().audience() == TokenRegistry.Audience.GRAPH) {
                return issued;
            }
            if (issued.isPresent()) {
                message = "Access token validation failure. Invalid audience.";
            } else if (state.tokens().isKnown(token)) {
                message = "Lifetime validation failed, the token is expired.";
            } else {
                message = "Invalid JWT token. The token is malformed or was not issued to this API.";
            }
        }
        response.error(401, "InvalidAuthenticationToken", message, Map.of("WWW-Authenticate", WWW_AUTHENTICATE));
        return Optional.empty();
    }

    /** The page body; each alert's text is appended as stored, never re-serialised. */
    private String page(List<StoredGraphAlert> alerts, GraphAlertQuery query, boolean unknownMembers) {
        if (query == null) {
            return "{\"@odata.context\":\"" + ODATA_CONTEXT + "\",\"value\":[]}";
        }
        List<StoredGraphAlert> matching = query.matching(alerts);
        return page(PATH, ODATA_CONTEXT, matching.size(), i -> matching.get(i).json(unknownMembers), query.skip(),
                query.pageSize(), query.count(), GraphAlertQuery.MAX_SKIP, query::withSkip);
    }

    /**
     * A page of incidents, with their alerts when the query expands them; a status newer than unknownFutureValue
     * ({@code awaitingAction}) only to a client that asked for such members.
     */
    private String incidentsPage(List<StoredIncident> incidents, GraphIncidentQuery query, boolean unknownMembers) {
        List<StoredIncident> matching = query.matching(incidents);
        return page(INCIDENTS_PATH, INCIDENTS_CONTEXT, matching.size(),
                i -> matching.get(i).json(query.expandAlerts(), unknownMembers),
                query.skip(), query.pageSize(), query.count(), Integer.MAX_VALUE, query::withSkip);
    }

    private String page(String path, String context, int total, java.util.function.IntFunction<String> text, int skip,
            int pageSize, boolean count, int maxSkip, java.util.function.IntFunction<Map<String, String>> withSkip) {
        StringBuilder body = new StringBuilder("{\"@odata.context\":\"").append(context).append('"');
        if (count) {
            body.append(",\"@odata.count\":").append(total);
        }
        int from = Math.min(skip, total);
        int to = (int) Math.min((long) from + pageSize, total);
        Integer nextSkip = nextSkip(pageSize, to, total, maxSkip);
        if (nextSkip != null) {
            String link = state.baseUrl() + path + "?" + Http.query(withSkip.apply(nextSkip));
            body.append(",\"@odata.nextLink\":\"")
                    .append(JsonStringEncoder.getInstance().quoteAsString(link))
                    .append('"');
        }
        body.append(",\"value\":[");
        for (int i = from; i < to; i++) {
            if (i > from) {
                body.append(',');
            }
            body.append(text.apply(i));
        }
        return body.append("]}").toString();
    }

    private Integer nextSkip(int pageSize, int end, int total, int maxSkip) {
        switch (state.nextLinkMode()) {
            case PROPER:
                return end < total && end <= maxSkip ? end : null;
            case STUCK:
                return total > pageSize ? pageSize : null;
            default:
                return null;
        }
    }

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

    /** Sets Graph's request id headers up front, so that every answer, errors included, carries them. */
    private final class Response {
        private final HttpExchange exchange;
        private final String requestId = UUID.randomUUID().toString();
        private final String clientRequestId;

        Response(HttpExchange exchange) {
            this.exchange = exchange;
            String sent = exchange.getRequestHeaders().getFirst("client-request-id");
            this.clientRequestId = sent != null && !sent.isBlank() ? sent : requestId;
            exchange.getResponseHeaders().set("request-id", requestId);
            exchange.getResponseHeaders().set("client-request-id", clientRequestId);
        }

        void error(int status, String code, String message, Map<String, String> headers) throws IOException {
            String body = ErrorBodies.graph(code, message, requestId, clientRequestId, state.now());
            Http.send(exchange, status, Http.JSON, body.getBytes(StandardCharsets.UTF_8), headers);
        }
    }
}
