package io.defenderalertroutes.emulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/** One handler for every path, because token paths begin with a tenant id and cannot be a fixed context. */
final class EmulatorRouter implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(EmulatorRouter.class);

    private final TokenEndpoint tokens;
    private final AlertsEndpoint alerts;
    private final GraphAlertsEndpoint graphAlerts;
    private final AdminEndpoint admin;
    private final ActionsEndpoint actions;
    private final GraphAlertUpdates graphUpdates;
    private final XdrIncidentsEndpoint xdrIncidents;

    EmulatorRouter(EmulatorState state) {
        this.tokens = new TokenEndpoint(state);
        this.alerts = new AlertsEndpoint(state);
        this.graphAlerts = new GraphAlertsEndpoint(state);
        this.admin = new AdminEndpoint(state);
        this.actions = new ActionsEndpoint(state);
        this.graphUpdates = new GraphAlertUpdates(state);
        this.xdrIncidents = new XdrIncidentsEndpoint(state);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath();
            String tenantId;
            if (path.equals(AlertsEndpoint.PATH)) {
                alerts.handle(exchange);
            } else if (path.equals(XdrIncidentsEndpoint.PATH)) {
                xdrIncidents.handle(exchange);
            } else if (ActionsEndpoint.handles(path)) {
                actions.handle(exchange);
            } else if (GraphAlertUpdates.handles(path)) {
                graphUpdates.handle(exchange);
            } else if (path.equals(GraphAlertsEndpoint.PATH) || path.equals(GraphAlertsEndpoint.INCIDENTS_PATH)) {
                graphAlerts.handle(exchange);
            } else if (path.startsWith(AdminEndpoint.PREFIX)) {
                admin.handle(exchange);
            } else if ((tenantId = TokenEndpoint.tenantOf(path)) != null) {
                tokens.handle(exchange, tenantId);
            } else {
                Http.sendJson(exchange, 404, ErrorBodies.mde("ResourceNotFound", "No resource at " + path));
            }
        } catch (IOException e) {
            LOG.debug("Client went away during {} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI(),
                    e.toString());
        } catch (RuntimeException e) {
            LOG.error("Emulator failed on {} {}", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e);
            try {
                Http.sendJson(exchange, 500, ErrorBodies.mde("InternalServerError",
                        "An error occurred, please retry the operation."));
            } catch (IOException | RuntimeException ignored) {
                // the response may already be under way; nothing more can be said to the client
            }
        } finally {
            exchange.close();
        }
    }
}
