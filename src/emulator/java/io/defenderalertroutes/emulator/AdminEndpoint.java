package io.defenderalertroutes.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * For people running the emulator on its own: add alerts (MDE ones at {@code alerts}, raw Graph ones at
 * {@code graph-alerts}) and read counters over HTTP. There is no authentication;
 * the emulator binds to 127.0.0.1 unless told otherwise, and it holds nothing but test data.
 */
final class AdminEndpoint {

    static final String PREFIX = "/emulator/";

    private static final Pattern TENANT_RESOURCE = Pattern.compile("/emulator/tenants/([^/]+)/(alerts|graph-alerts|stats)");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final EmulatorState state;

    AdminEndpoint(EmulatorState state) {
        this.state = state;
    }

    void handle(HttpExchange exchange) throws IOException {
        Matcher matcher = TENANT_RESOURCE.matcher(exchange.getRequestURI().getPath());
        if (!matcher.matches()) {
            Http.sendJson(exchange, 404, error("No such emulator resource"));
            return;
        }
        String tenantId = matcher.group(1);
        String resource = matcher.group(2);
        String method = exchange.getRequestMethod();
        if (resource.equals("alerts") && method.equals("POST")) {
            try {
                StoredAlert stored = state.tenant(tenantId).putMdeAlert(tenantId, Http.body(exchange));
                ObjectNode body = MAPPER.createObjectNode();
                body.put("id", stored.id());
                Http.sendJson(exchange, 201, body.toString());
            } catch (IllegalArgumentException e) {
                Http.sendJson(exchange, 400, error(e.getMessage()));
            }
        } else if (resource.equals("graph-alerts") && method.equals("POST")) {
            try {
                StoredGraphAlert stored = state.tenant(tenantId).putGraphAlert(Http.body(exchange));
                ObjectNode body = MAPPER.createObjectNode();
                body.put("id", stored.id());
                Http.sendJson(exchange, 201, body.toString());
            } catch (IllegalArgumentException e) {
                Http.sendJson(exchange, 400, error(e.getMessage()));
            }
        } else if (resource.equals("stats") && method.equals("GET")) {
            Http.sendJson(exchange, 200, stats(tenantId));
        } else {
            Http.sendJson(exchange, 405, error(method + " is not supported on " + resource));
        }
    }

    private String stats(String tenantId) {
        TenantState tenant = state.tenant(tenantId);
        ObjectNode body = MAPPER.createObjectNode();
        body.put("tenant", tenantId);
        body.put("alerts", tenant.alerts().size());
        body.put("tokenRequests", tenant.tokenRequests());
        body.put("apiRequests", tenant.apiRequests());
        body.put("pendingFaults", tenant.faults().size());
        tenant.queries().forEach(body.putArray("requestQueries")::add);
        body.put("graphAlerts", tenant.graphAlertCount());
        body.put("graphRequests", tenant.graphRequests());
        tenant.graphQueries().forEach(body.putArray("graphRequestQueries")::add);
        tenant.graphPreferHeaders().forEach(body.putArray("graphPreferHeaders")::add);
        return body.toString();
    }

    private static String error(String message) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("error", message);
        return body.toString();
    }
}
