package io.defenderalertroutes.actions;

import java.time.Instant;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A response action as asked for: {@code {"requestId", "tenant", "action", "target", "parameters"}}, the
 * parameters being Microsoft's own body fields, passed on as given. {@link #parse} checks everything that does not
 * depend on the deployment (which tenants it serves, what each allows: {@link ActionDesk}).
 */
public record ActionRequest(String requestId, String tenant, ActionKind kind, String target, ObjectNode parameters,
        String origin, Instant requestedAt) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    /** A request refused before anything was called: the one sentence why, and what could be read of it. */
    public static final class Rejected extends Exception {

        private final String requestId;
        private final String tenant;
        private final String action;
        private final String target;

        Rejected(String why, String requestId, String tenant, String action, String target) {
            super(why, null, false, false);
            this.requestId = requestId;
            this.tenant = tenant;
            this.action = action;
            this.target = target;
        }

        public ActionResult result(String origin, Instant requestedAt, Instant now) {
            return new ActionResult(requestId, tenant, action, target, ActionResult.REJECTED, null, null, null, null,
                    getMessage(), requestedAt, now, origin);
        }
    }

    public static ActionRequest parse(String text, String origin, Instant now) throws Rejected {
        JsonNode tree;
        try {
            tree = text == null ? null : JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new Rejected("the request is not valid JSON: " + e.getOriginalMessage(), null, null, null, null);
        }
        if (!(tree instanceof ObjectNode request)) {
            throw new Rejected("the request must be a JSON object with requestId, tenant, action, target and parameters",
                    null, null, null, null);
        }
        String requestId = text(request, "requestId");
        String tenant = text(request, "tenant");
        String action = text(request, "action");
        String target = text(request, "target");
        if (requestId == null || !REQUEST_ID.matcher(requestId).matches()) {
            throw new Rejected(requestId == null ? "requestId is missing or not a string"
                    : "requestId may hold only letters, digits, '.', '_' and '-' (at most 128)",
                    null, tenant, action, target);
        }
        if (tenant == null || tenant.isBlank()) {
            throw new Rejected("tenant is missing or not a string: name one of the deployment's tenants", requestId,
                    null, action, target);
        }
        ActionKind kind = action == null ? null : ActionKind.byKey(action).orElse(null);
        if (kind == null) {
            throw new Rejected((action == null ? "action is missing or not a string" : "unknown action '" + action + "'")
                    + "; the actions are " + String.join(", ", ActionKind.keys()), requestId, tenant, action, target);
        }
        boolean wantsTarget = kind.target() != ActionKind.Target.NONE;
        if (wantsTarget && (target == null || target.isBlank())) {
            throw new Rejected(action + " needs a target: the id of the " + kind.target().name().toLowerCase(java.util.Locale.ROOT)
                    .replace("tag", "machine") + " to act on", requestId, tenant, action, target);
        }
        if (!wantsTarget && request.hasNonNull("target")) {
            throw new Rejected(action + " takes no target; what it acts on goes in its parameters", requestId, tenant,
                    action, target);
        }
        JsonNode parameters = request.get("parameters");
        if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
            throw new Rejected("parameters must be a JSON object of Microsoft's body fields", requestId, tenant, action,
                    target);
        }
        ObjectNode fields = parameters instanceof ObjectNode object ? object : JSON.createObjectNode();
        String problem = ParameterCheck.problem(kind, fields);
        if (problem != null) {
            throw new Rejected(problem, requestId, tenant, action, target);
        }
        return new ActionRequest(requestId, tenant, kind, target, fields, origin, now);
    }

    private static String text(ObjectNode request, String field) {
        JsonNode value = request.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
