package io.defenderalertroutes.emulator;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * Microsoft Graph's alert updates: {@code PATCH /v1.0/security/alerts_v2/{id}} (status, classification,
 * determination, assignedTo; answered with the updated alert) and {@code POST .../{id}/comments} (answered with the
 * alert's whole comment list), behind a Graph token and the permission SecurityAlert.ReadWrite.All. An update moves
 * the alert's {@code lastUpdateDateTime}, so a Graph poller sees it again.
 */
final class GraphAlertUpdates {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Set<String>> ENUMS = Map.of(
            "status", Set.of("new", "inProgress", "resolved"),
            "classification", Set.of("unknown", "falsePositive", "truePositive", "informationalExpectedActivity"));

    private final EmulatorState state;

    GraphAlertUpdates(EmulatorState state) {
        this.state = state;
    }

    static boolean handles(String path) {
        return path.startsWith(GraphAlertsEndpoint.PATH + "/");
    }

    void handle(HttpExchange exchange) throws IOException {
        String body = Http.body(exchange);
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        Optional<TokenRegistry.IssuedToken> token = header == null || !header.toLowerCase(Locale.ROOT).startsWith("bearer ")
                ? Optional.empty() : state.tokens().valid(header.substring(7).trim(), state.now())
                        .filter(t -> t.audience() == TokenRegistry.Audience.GRAPH);
        if (token.isEmpty()) {
            error(exchange, 401, "InvalidAuthenticationToken", "Access token is empty, invalid or not for Microsoft Graph.");
            return;
        }
        TenantState tenant = state.tenant(token.get().tenantId());
        tenant.countGraphRequest(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath(), null);
        if (tenant.responses().denied().contains("SecurityAlert.ReadWrite.All")) {
            error(exchange, 403, "Forbidden", "Missing role permissions on the request. API requires one of "
                    + "'SecurityAlert.ReadWrite.All'.");
            return;
        }
        String[] parts = exchange.getRequestURI().getPath().substring(GraphAlertsEndpoint.PATH.length() + 1).split("/");
        Optional<StoredGraphAlert> stored = tenant.graphAlert(parts[0]);
        if (stored.isEmpty()) {
            error(exchange, 404, "NotFound", "Alert " + parts[0] + " was not found.");
            return;
        }
        ObjectNode changes;
        try {
            changes = (ObjectNode) JSON.readTree(body);
        } catch (JsonProcessingException | ClassCastException e) {
            error(exchange, 400, "BadRequest", "The request body must be a JSON object.");
            return;
        }
        ObjectNode alert = (ObjectNode) JSON.readTree(stored.get().json(false));
        String now = state.now().toString();
        if (parts.length == 1 && exchange.getRequestMethod().equals("PATCH")) {
            for (String field : List.of("status", "classification", "determination", "assignedTo")) {
                JsonNode value = changes.get(field);
                if (value == null || value.isNull()) {
                    continue;
                }
                if (ENUMS.containsKey(field) && !ENUMS.get(field).contains(value.asText())) {
                    error(exchange, 400, "BadRequest", "Invalid value '" + value.asText() + "' for " + field + ".");
                    return;
                }
                alert.put(field, value.asText());
            }
            alert.put("lastUpdateDateTime", now);
            tenant.putGraphAlert(alert.toString());
            Http.sendJson(exchange, 200, alert.toString());
        } else if (parts.length == 2 && parts[1].equals("comments") && exchange.getRequestMethod().equals("POST")) {
            if (!changes.hasNonNull("comment")) {
                error(exchange, 400, "BadRequest", "The comment is required.");
                return;
            }
            JsonNode existing = alert.get("comments");
            ArrayNode comments = existing instanceof ArrayNode array ? array : alert.putArray("comments");
            comments.addObject().put("@odata.type", "microsoft.graph.security.alertComment")
                    .put("comment", changes.get("comment").asText()).put("createdByDisplayName", "Automation")
                    .put("createdDateTime", now);
            alert.put("lastUpdateDateTime", now);
            tenant.putGraphAlert(alert.toString());
            ObjectNode answer = JSON.createObjectNode().put("@odata.context",
                    "https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.security.alertComment)");
            answer.set("value", comments);
            Http.sendJson(exchange, 200, answer.toString());
        } else {
            error(exchange, 405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.");
        }
    }

    private void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        String requestId = UUID.randomUUID().toString();
        exchange.getResponseHeaders().set("request-id", requestId);
        Http.sendJson(exchange, status, ErrorBodies.graph(code, message, requestId, requestId, state.now()));
    }
}
