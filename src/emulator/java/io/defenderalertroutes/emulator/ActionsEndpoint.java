package io.defenderalertroutes.emulator;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * The response actions of the Defender for Endpoint API: alert updates, machine actions and their lifecycle,
 * machine tags and indicators, each behind its application permission, the tenant's call budget and the
 * per-endpoint limits Microsoft documents (batch update 10 a minute and 500 an hour, indicator import 30 a minute).
 */
final class ActionsEndpoint {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTEXT = "https://api.securitycenter.microsoft.com/api/$metadata#";

    /** The machine action verbs of {@code POST /api/machines/{id}/{verb}}: type and permission. */
    private record Verb(String type, String permission, List<String> required) {
    }

    private static final Map<String, Verb> VERBS = Map.of(
            "isolate", new Verb("Isolate", "Machine.Isolate", List.of("Comment", "IsolationType")),
            "unisolate", new Verb("Unisolate", "Machine.Isolate", List.of("Comment")),
            "runantivirusscan", new Verb("RunAntiVirusScan", "Machine.Scan", List.of("Comment")),
            "restrictcodeexecution", new Verb("RestrictCodeExecution", "Machine.RestrictExecution", List.of("Comment")),
            "unrestrictcodeexecution", new Verb("UnrestrictCodeExecution", "Machine.RestrictExecution", List.of("Comment")),
            "collectinvestigationpackage", new Verb("CollectInvestigationPackage", "Machine.CollectForensics",
                    List.of("Comment")),
            "stopandquarantinefile", new Verb("StopAndQuarantineFile", "Machine.StopAndQuarantine",
                    List.of("Comment", "Sha1")));
    private static final Set<String> ALERT_STATUSES = Set.of("New", "InProgress", "Resolved");
    private static final Set<String> CLASSIFICATIONS = Set.of("TruePositive", "InformationalExpectedActivity",
            "FalsePositive", "Unknown");
    private static final Set<String> INDICATOR_TYPES = Set.of("FileSha1", "FileMd5", "FileSha256",
            "CertificateThumbprint", "IpAddress", "DomainName", "Url");
    private static final Set<String> INDICATOR_ACTIONS = Set.of("Alert", "Warn", "Block", "Audit", "BlockAndRemediate",
            "AlertAndBlock", "Allowed");

    private static final String BODY = "emulator.body";

    private final EmulatorState state;

    ActionsEndpoint(EmulatorState state) {
        this.state = state;
    }

    static boolean handles(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        return p.startsWith("/api/alerts/") || p.startsWith("/api/machines/") || p.startsWith("/api/machineactions/")
                || p.equals("/api/indicators") || p.startsWith("/api/indicators/");
    }

    /** A call refused with an error already sent. */
    private static final class Refused extends Exception {
        Refused() {
            super(null, null, false, false);
        }
    }

    void handle(HttpExchange exchange) throws IOException {
        // read whatever the answer: a body left unread would be taken for the next request on the connection
        exchange.setAttribute(BODY, Http.body(exchange));
        Optional<TokenRegistry.IssuedToken> token = MdeGate.authenticate(state, exchange);
        if (token.isEmpty()) {
            return;
        }
        String tenantId = token.get().tenantId();
        TenantState tenant = state.tenant(tenantId);
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        tenant.countApiRequest(method + " " + path);
        MdeGate.pause(tenant.responseDelay());
        if (MdeGate.throttled(exchange, tenant.rateLimiter(), state, state.callsPerMinute(), state.callsPerHour())) {
            return;
        }
        InjectedFault fault = tenant.faults().poll();
        if (fault != null) {
            Http.send(exchange, fault.status(), fault.body().isEmpty() ? null : Http.JSON,
                    fault.body().getBytes(java.nio.charset.StandardCharsets.UTF_8), fault.headers());
            return;
        }
        String[] parts = path.substring(1).split("/");
        String collection = parts[1].toLowerCase(Locale.ROOT);
        try {
            switch (collection) {
                case "alerts" -> alerts(exchange, tenantId, tenant, method, parts);
                case "machines" -> machines(exchange, token.get(), tenant, method, parts);
                case "machineactions" -> machineActions(exchange, tenant, method, parts);
                default -> indicators(exchange, token.get(), tenant, method, parts);
            }
        } catch (Refused refused) {
            // the answer is sent
        }
    }

    private void alerts(HttpExchange exchange, String tenantId, TenantState tenant, String method, String[] parts)
            throws IOException, Refused {
        require(exchange, tenant, "Alert.ReadWrite.All");
        if (parts.length == 3 && parts[2].equalsIgnoreCase("batchUpdate") && method.equals("POST")) {
            if (MdeGate.throttled(exchange, tenant.responses().limiter("batchUpdate"), state, 10, 500)) {
                return;
            }
            ObjectNode body = body(exchange);
            JsonNode ids = body.get("alertIds");
            if (ids == null || !ids.isArray() || ids.isEmpty()) {
                throw badRequest(exchange, "alertIds must be a non-empty list of alert ids");
            }
            for (JsonNode id : ids) {
                if (tenant.alerts().get(id.asText()).isEmpty()) {
                    throw notFound(exchange, "Alert " + id.asText() + " was not found");
                }
            }
            for (JsonNode id : ids) {
                update(exchange, tenantId, tenant, id.asText(), body);
            }
            Http.send(exchange, 200, null, new byte[0], Map.of());
        } else if (parts.length == 3 && method.equals("PATCH")) {
            String id = parts[2];
            if (tenant.alerts().get(id).isEmpty()) {
                throw notFound(exchange, "Alert " + id + " was not found");
            }
            Http.sendJson(exchange, 200, update(exchange, tenantId, tenant, id, body(exchange)));
        } else {
            throw notAllowed(exchange, method);
        }
    }

    /** Applies an update as Microsoft does: the given fields, a comment appended, and a new lastUpdateTime. */
    private String update(HttpExchange exchange, String tenantId, TenantState tenant, String id, ObjectNode changes)
            throws IOException, Refused {
        ObjectNode alert = (ObjectNode) JSON.readTree(tenant.alerts().get(id).orElseThrow().json(true));
        String now = Instant.now().toString();
        for (String field : List.of("status", "assignedTo", "classification", "determination")) {
            JsonNode value = changes.get(field);
            if (value == null || value.isNull()) {
                continue;
            }
            if (field.equals("status") && !ALERT_STATUSES.contains(value.asText())) {
                throw badRequest(exchange, "Invalid status '" + value.asText() + "'; expected New, InProgress or Resolved");
            }
            if (field.equals("classification") && !CLASSIFICATIONS.contains(value.asText())) {
                throw badRequest(exchange, "Invalid classification '" + value.asText() + "'");
            }
            alert.put(field, value.asText());
        }
        if ("Resolved".equals(alert.path("status").asText())) {
            alert.put("resolvedTime", now);
        }
        JsonNode comment = changes.get("comment");
        if (comment != null && !comment.isNull()) {
            JsonNode existing = alert.get("comments");
            ArrayNode comments = existing instanceof ArrayNode array ? array : alert.putArray("comments");
            comments.addObject().put("comment", comment.asText()).put("createdBy", "Automation").put("createdTime", now);
        }
        alert.put("lastUpdateTime", now);
        String json = JSON.writeValueAsString(alert);
        tenant.putMdeAlert(tenantId, json);
        return json;
    }

    private void machines(HttpExchange exchange, TokenRegistry.IssuedToken token, TenantState tenant, String method,
            String[] parts) throws IOException, Refused {
        if (parts.length != 4 || !method.equals("POST")) {
            throw notAllowed(exchange, method);
        }
        String machineId = parts[2];
        String verb = parts[3].toLowerCase(Locale.ROOT);
        ResponseState responses = tenant.responses();
        if (verb.equals("tags")) {
            require(exchange, tenant, "Machine.ReadWrite.All");
            ObjectNode body = body(exchange);
            String value = text(exchange, body, "Value");
            String action = text(exchange, body, "Action");
            machine(exchange, responses, machineId);
            if (action.equals("Add")) {
                responses.tags(machineId).add(value);
            } else if (action.equals("Remove")) {
                responses.tags(machineId).remove(value);
            } else {
                throw badRequest(exchange, "Action must be Add or Remove, was '" + action + "'");
            }
            ObjectNode machine = JSON.createObjectNode().put("@odata.context", CONTEXT + "Machines/$entity")
                    .put("id", machineId).put("computerDnsName", machineId + ".contoso.local");
            responses.tags(machineId).stream().sorted().forEach(machine.putArray("machineTags")::add);
            Http.sendJson(exchange, 200, machine.toString());
            return;
        }
        Verb known = VERBS.get(verb);
        if (known == null) {
            throw notFound(exchange, "No resource at " + exchange.getRequestURI().getPath());
        }
        require(exchange, tenant, known.permission());
        ObjectNode body = body(exchange);
        for (String field : known.required()) {
            text(exchange, body, field);
        }
        String scope = null;
        if (body.has("IsolationType")) {
            scope = body.get("IsolationType").asText();
            if (!Set.of("Full", "Selective", "UnManagedDevice").contains(scope)) {
                throw badRequest(exchange, "IsolationType must be Full, Selective or UnManagedDevice, was '" + scope + "'");
            }
        }
        if (body.has("ScanType")) {
            scope = body.get("ScanType").asText();
            if (!Set.of("Quick", "Full").contains(scope)) {
                throw badRequest(exchange, "ScanType must be Quick or Full, was '" + scope + "'");
            }
        }
        machine(exchange, responses, machineId);
        Instant now = state.now();
        if (responses.running(machineId, known.type(), now).isPresent()) {
            Http.sendJson(exchange, 400, ErrorBodies.mde("ActiveRequestAlreadyExists",
                    "Action is already in progress"));
            return;
        }
        ResponseState.MachineAction action = responses.start(known.type(), machineId, body.get("Comment").asText(), scope,
                now);
        Http.sendJson(exchange, 201, machineAction(action, token.clientId(), now));
    }

    private void machineActions(HttpExchange exchange, TenantState tenant, String method, String[] parts)
            throws IOException, Refused {
        if (!method.equals("GET") || parts.length < 3 || parts.length > 4) {
            throw notAllowed(exchange, method);
        }
        require(exchange, tenant, "Machine.Read.All");
        ResponseState.MachineAction action = tenant.responses().action(parts[2]).orElse(null);
        if (action == null) {
            throw notFound(exchange, "Machine action " + parts[2] + " was not found");
        }
        Instant now = state.now();
        if (parts.length == 3) {
            Http.sendJson(exchange, 200, machineAction(action, "emulated-app", now));
        } else if (parts[3].equalsIgnoreCase("GetPackageUri") && action.type().equals("CollectInvestigationPackage")) {
            if (!action.status(now).equals("Succeeded")) {
                throw badRequest(exchange, "The investigation package is not ready: the action is " + action.status(now));
            }
            Http.sendJson(exchange, 200, JSON.createObjectNode().put("@odata.context", CONTEXT + "Edm.String")
                    .put("value", state.baseUrl() + "/packages/" + action.id() + ".zip?sig=emulated").toString());
        } else {
            throw notFound(exchange, "No resource at " + exchange.getRequestURI().getPath());
        }
    }

    private void indicators(HttpExchange exchange, TokenRegistry.IssuedToken token, TenantState tenant, String method,
            String[] parts) throws IOException, Refused {
        require(exchange, tenant, "Ti.ReadWrite.All");
        ResponseState responses = tenant.responses();
        if (parts.length == 2 && method.equals("POST")) {
            ObjectNode indicator = indicator(exchange, body(exchange), token);
            responses.indicators().put(indicator.get("id").asText(), indicator.toString());
            Http.sendJson(exchange, 200, indicator.toString());
        } else if (parts.length == 3 && parts[2].equalsIgnoreCase("import") && method.equals("POST")) {
            if (MdeGate.throttled(exchange, responses.limiter("import"), state, 30, Integer.MAX_VALUE)) {
                return;
            }
            JsonNode list = body(exchange).get("Indicators");
            if (list == null || !list.isArray() || list.isEmpty() || list.size() > 500) {
                throw badRequest(exchange, "Indicators must be a list of 1 to 500 indicators");
            }
            ObjectNode answer = JSON.createObjectNode().put("@odata.context", CONTEXT + "Collection(microsoft.windowsDefenderATP.api.ImportIndicatorResult)");
            ArrayNode results = answer.putArray("value");
            for (JsonNode each : list) {
                ObjectNode result = results.addObject().put("indicator", each.path("indicatorValue").asText());
                try {
                    ObjectNode indicator = indicator(null, (ObjectNode) each, token);
                    responses.indicators().put(indicator.get("id").asText(), indicator.toString());
                    result.put("id", indicator.get("id").asText()).put("isFailed", false).putNull("failureReason");
                } catch (IllegalArgumentException e) {
                    result.putNull("id").put("isFailed", true).put("failureReason", e.getMessage());
                }
            }
            Http.sendJson(exchange, 200, answer.toString());
        } else if (parts.length == 3 && method.equals("DELETE")) {
            if (responses.indicators().remove(parts[2]) == null) {
                throw notFound(exchange, "Indicator " + parts[2] + " was not found");
            }
            Http.send(exchange, 204, null, new byte[0], Map.of());
        } else {
            throw notAllowed(exchange, method);
        }
    }

    /** A checked indicator with its new id; without an exchange a mistake is an IllegalArgumentException. */
    private ObjectNode indicator(HttpExchange exchange, ObjectNode body, TokenRegistry.IssuedToken token)
            throws IOException, Refused {
        String problem = null;
        for (String field : List.of("indicatorValue", "indicatorType", "action", "title", "description")) {
            if (!body.hasNonNull(field) || body.get(field).asText().isBlank()) {
                problem = "The field " + field + " is required";
                break;
            }
        }
        if (problem == null && !INDICATOR_TYPES.contains(body.get("indicatorType").asText())) {
            problem = "Invalid indicatorType '" + body.get("indicatorType").asText() + "'";
        } else if (problem == null && !INDICATOR_ACTIONS.contains(body.get("action").asText())) {
            problem = "Invalid action '" + body.get("action").asText() + "'";
        } else if (problem == null && body.get("indicatorType").asText().equals("IpAddress")
                && body.get("indicatorValue").asText().contains("/")) {
            problem = "CIDR ranges are not supported for IpAddress indicators";
        }
        if (problem != null) {
            if (exchange == null) {
                throw new IllegalArgumentException(problem);
            }
            throw badRequest(exchange, problem);
        }
        ObjectNode indicator = JSON.createObjectNode().put("@odata.context", CONTEXT + "Indicators/$entity");
        indicator.put("id", state.tenant(token.tenantId()).responses().nextIndicatorId());
        body.fields().forEachRemaining(f -> indicator.set(f.getKey(), f.getValue()));
        indicator.put("createdBy", token.clientId()).put("creationTimeDateTimeUtc", state.now().toString());
        return indicator;
    }

    private static String machineAction(ResponseState.MachineAction action, String requestor, Instant now) {
        ObjectNode json = JSON.createObjectNode().put("@odata.context", CONTEXT + "MachineActions/$entity")
                .put("id", action.id()).put("type", action.type());
        if (action.scope() == null) {
            json.putNull("scope");
        } else {
            json.put("scope", action.scope());
        }
        json.put("requestor", requestor).put("requestorComment", action.comment()).put("status", action.status(now))
                .put("machineId", action.machineId()).put("computerDnsName", action.machineId() + ".contoso.local")
                .put("creationDateTimeUtc", action.created().toString())
                .put("lastUpdateDateTimeUtc", now.toString()).putNull("relatedFileInfo");
        return json.toString();
    }

    private void require(HttpExchange exchange, TenantState tenant, String permission) throws IOException, Refused {
        if (tenant.responses().denied().contains(permission)) {
            Http.sendJson(exchange, 403, ErrorBodies.mde("Forbidden", "The application does not have any of the "
                    + "required application permissions (" + permission + ") to access the resource."));
            throw new Refused();
        }
    }

    private static void machine(HttpExchange exchange, ResponseState responses, String machineId)
            throws IOException, Refused {
        if (!responses.hasMachine(machineId)) {
            throw notFound(exchange, "Machine " + machineId + " was not found");
        }
    }

    private static ObjectNode body(HttpExchange exchange) throws IOException, Refused {
        try {
            JsonNode body = JSON.readTree((String) exchange.getAttribute(BODY));
            if (body instanceof ObjectNode object) {
                return object;
            }
        } catch (JsonProcessingException | IllegalArgumentException e) {
            // answered below
        }
        throw badRequest(exchange, "The request body must be a JSON object");
    }

    private static String text(HttpExchange exchange, ObjectNode body, String field) throws IOException, Refused {
        JsonNode value = body.get(field);
        if (value == null || value.isNull() || value.asText().isBlank()) {
            throw badRequest(exchange, "The field " + field + " is required");
        }
        return value.asText();
    }

    private static Refused badRequest(HttpExchange exchange, String message) throws IOException {
        Http.sendJson(exchange, 400, ErrorBodies.mde("BadRequest", message));
        return new Refused();
    }

    private static Refused notFound(HttpExchange exchange, String message) throws IOException {
        Http.sendJson(exchange, 404, ErrorBodies.mde("NotFound", message));
        return new Refused();
    }

    private static Refused notAllowed(HttpExchange exchange, String method) throws IOException {
        Http.sendJson(exchange, 405, ErrorBodies.mde("MethodNotAllowed",
                "The requested resource does not support http method '" + method + "'."));
        return new Refused();
    }
}
