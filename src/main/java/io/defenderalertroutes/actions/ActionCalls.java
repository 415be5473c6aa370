package io.defenderalertroutes.actions;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.defenderalertroutes.auth.TokenEnricher;
import io.defenderalertroutes.defender.AlertApi;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Turns a run into the calls the shared API route makes (the action itself, then, for a machine action, its
 * progress and, for an investigation package, the package's URI) and reads what each answered into the run.
 */
public final class ActionCalls {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FINAL = Set.of("Succeeded", "Failed", "TimeOut", "Cancelled");
    private static final Duration LONGEST_CHECK = Duration.ofSeconds(60);

    private final Duration wait;
    private final Duration firstCheck;
    private final Clock clock;

    /**
     * @param wait       how long a machine action is followed before its result says timed-out
     * @param firstCheck the first wait before its progress is asked for (doubling, at most a minute)
     */
    public ActionCalls(Duration wait, Duration firstCheck, Clock clock) {
        this.wait = wait;
        this.firstCheck = firstCheck;
        this.clock = clock;
    }

    /** The action's own call: Microsoft's body fields as the caller gave them. */
    public void prepare(Exchange exchange) throws Exception {
        ActionRun run = run(exchange);
        ActionRequest request = run.request();
        ActionKind kind = request.kind();
        ObjectNode body = request.parameters().deepCopy();
        if (kind == ActionKind.ADD_MACHINE_TAG || kind == ActionKind.REMOVE_MACHINE_TAG) {
            body.put("Action", kind == ActionKind.ADD_MACHINE_TAG ? "Add" : "Remove");
        }
        String target = request.target() == null ? null : URLEncoder.encode(request.target(), StandardCharsets.UTF_8)
                .replace("+", "%20");
        ActionTenant tenant = run.tenant();
        if (tenant.throughGraph(kind)) {
            graphUpdate(exchange, run, target);
            return;
        }
        request(exchange, tenant.mdeTokens(), tenant.mdeApiUrl(), kind.method(), kind.path(target),
                kind.method().equals("DELETE") ? null : body.toString());
    }

    /**
     * An alert update on Graph: a PATCH of the fields in Graph's vocabulary, then the comment (a call of its own), or
     * the comment alone.
     */
    private static void graphUpdate(Exchange exchange, ActionRun run, String target) {
        ObjectNode parameters = run.request().parameters();
        ObjectNode patch = JSON.createObjectNode();
        for (String field : List.of("status", "classification", "determination")) {
            if (parameters.hasNonNull(field)) {
                String value = parameters.get(field).asText();
                patch.put(field, value.isEmpty() ? value : Character.toLowerCase(value.charAt(0)) + value.substring(1));
            }
        }
        if (parameters.hasNonNull("assignedTo")) {
            patch.put("assignedTo", parameters.get("assignedTo").asText());
        }
        String comment = parameters.hasNonNull("comment") ? parameters.get("comment").asText() : null;
        ActionTenant tenant = run.tenant();
        String path = AlertApi.GRAPH.path() + "/" + target;
        if (patch.isEmpty()) {
            request(exchange, tenant.tokens(), tenant.apiUrl(), "POST", path + "/comments", graphComment(comment));
        } else {
            run.commentNext(comment);
            request(exchange, tenant.tokens(), tenant.apiUrl(), "PATCH", path, patch.toString());
        }
    }

    private static String graphComment(String comment) {
        return JSON.createObjectNode().put("@odata.type", "microsoft.graph.security.alertComment")
                .put("comment", comment).toString();
    }

    public void answered(Exchange exchange) {
        ActionRun run = run(exchange);
        run.answered(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class));
        if (run.commentNext() != null) {
            run.follow(clock.instant().plus(wait), java.time.Duration.ZERO);
            return;
        }
        if (!run.request().kind().machineAction()) {
            run.finish(ActionResult.SUCCEEDED, null);
            return;
        }
        JsonNode action = json(exchange);
        run.machineAction(action.path("id").asText(null), action.path("status").asText(null));
        run.follow(clock.instant().plus(wait), firstCheck);
        progressed(run, action.path("status").asText(""));
    }

    /** What Microsoft refused, in one sentence a person can act on. */
    public void failed(Exchange exchange) {
        ActionRun run = run(exchange);
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (!(failure instanceof HttpOperationFailedException http)) {
            run.finish(ActionResult.FAILED, "the API could not be reached: " + describe(failure));
            return;
        }
        run.answered(http.getStatusCode());
        String code = errorField(http, "code");
        String message = errorField(http, "message");
        ActionRequest request = run.request();
        String tenant = request.tenant();
        switch (http.getStatusCode()) {
            case 400 -> {
                if ("ActiveRequestAlreadyExists".equals(code)
                        || message != null && message.toLowerCase(Locale.ROOT).contains("already in progress")) {
                    run.finish(ActionResult.ALREADY_IN_PROGRESS, "Microsoft: " + message);
                } else {
                    run.finish(ActionResult.FAILED, "HTTP 400: Microsoft refused the request: " + message);
                }
            }
            case 403 -> run.finish(ActionResult.FAILED, "HTTP 403: the app registration of tenant " + tenant
                    + " lacks the application permission " + (run.tenant().throughGraph(request.kind())
                            ? "SecurityAlert.ReadWrite.All on Microsoft Graph" : request.kind().permission()
                            + " on WindowsDefenderATP") + "; grant it, with admin consent");
            case 404 -> run.finish(ActionResult.FAILED, request.target() == null
                    ? "HTTP 404: not found in tenant " + tenant + (message == null ? "" : ": " + message)
                    : "HTTP 404: " + request.kind().target().name().toLowerCase(Locale.ROOT).replace("tag", "machine")
                            + " '" + request.target() + "' does not exist in tenant " + tenant
                            + (message == null ? "" : " (Microsoft: " + message + ")"));
            default -> run.finish(ActionResult.FAILED, "HTTP " + http.getStatusCode()
                    + (message == null ? "" : ": " + message) + " (after the retries the tenant's settings allow)");
        }
    }

    /** The next check of a machine action: its progress, or once it succeeded, its investigation package's URI. */
    public void prepareFollow(Exchange exchange) throws Exception {
        ActionRun run = run(exchange);
        ActionTenant tenant = run.tenant();
        if (run.commentNext() != null) {
            String target = URLEncoder.encode(run.request().target(), StandardCharsets.UTF_8).replace("+", "%20");
            request(exchange, tenant.tokens(), tenant.apiUrl(), "POST", AlertApi.GRAPH.path() + "/" + target
                    + "/comments", graphComment(run.commentNext()));
            return;
        }
        String id = URLEncoder.encode(run.machineActionId(), StandardCharsets.UTF_8);
        request(exchange, tenant.mdeTokens(), tenant.mdeApiUrl(), "GET", "/api/machineactions/" + id
                + (run.fetchPackage() ? "/GetPackageUri" : ""), null);
    }

    public void followed(Exchange exchange) {
        ActionRun run = run(exchange);
        if (run.commentNext() != null) {
            run.commentNext(null);
            run.finish(ActionResult.SUCCEEDED, null);
            return;
        }
        JsonNode answer = json(exchange);
        if (run.fetchPackage()) {
            run.packageUri(answer.path("value").asText(null));
            run.finish(ActionResult.SUCCEEDED, null);
            return;
        }
        String status = answer.path("status").asText("");
        run.machineAction(run.machineActionId(), status);
        progressed(run, status);
    }

    /** A check that failed: a missing permission ends the following (said in the result); anything else waits on. */
    public void followFailed(Exchange exchange) {
        ActionRun run = run(exchange);
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (run.commentNext() != null) {
            // the fields were updated; the comment was refused: said as the action's result
            run.commentNext(null);
            failed(exchange);
            run.finish(run.outcome(), "the alert was updated, but its comment was not added: " + run.error());
            return;
        }
        if (failure instanceof HttpOperationFailedException http && http.getStatusCode() == 403) {
            run.finish(ActionResult.SUCCEEDED, "the action was started as machine action " + run.machineActionId()
                    + ", but its progress cannot be followed: the app registration of tenant " + run.request().tenant()
                    + " lacks Machine.Read.All on WindowsDefenderATP; grant it to see how machine actions end");
            return;
        }
        if (!clock.instant().isBefore(run.deadline())) {
            run.finish(ActionResult.TIMED_OUT, "its progress could not be read before the wait ended: "
                    + describe(failure));
            return;
        }
        run.backOff(firstCheck, LONGEST_CHECK);
    }

    private void progressed(ActionRun run, String status) {
        if (!FINAL.contains(status)) {
            if (clock.instant().isBefore(run.deadline())) {
                run.backOff(firstCheck, LONGEST_CHECK);
            } else {
                run.finish(ActionResult.TIMED_OUT, "machine action " + run.machineActionId() + " was still " + status
                        + " when the wait (defender.actions.wait) ended");
            }
            return;
        }
        switch (status) {
            case "Succeeded" -> {
                if (run.request().kind() == ActionKind.COLLECT_INVESTIGATION_PACKAGE) {
                    run.fetchPackageNext();
                } else {
                    run.finish(ActionResult.SUCCEEDED, null);
                }
            }
            case "TimeOut" -> run.finish(ActionResult.TIMED_OUT, "Defender reports the machine action timed out");
            case "Cancelled" -> run.finish(ActionResult.FAILED, "the machine action was cancelled");
            default -> run.finish(ActionResult.FAILED, "Defender reports the machine action failed");
        }
    }

    private static void request(Exchange exchange, TokenEnricher tokens, String apiUrl, String method, String path,
            String body) {
        Message message = exchange.getMessage();
        // nothing the request arrived with (Kafka or caller headers) may travel on to Microsoft
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_METHOD, method);
        message.setHeader(Exchange.HTTP_URI, apiUrl + path);
        if (body != null) {
            message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        }
        message.setBody(body);
        tokens.process(exchange);
    }

    private static JsonNode json(Exchange exchange) {
        try {
            byte[] body = exchange.getMessage().getBody(byte[].class);
            return body == null || body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (java.io.IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static String errorField(HttpOperationFailedException http, String field) {
        try {
            JsonNode value = JSON.readTree(http.getResponseBody()).path("error").path(field);
            return value.isMissingNode() || value.isNull() ? null : value.asText();
        } catch (Exception e) {
            return null;
        }
    }

    private static String describe(Exception failure) {
        return failure == null ? "unknown" : failure.getClass().getSimpleName()
                + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }

    private static ActionRun run(Exchange exchange) {
        return exchange.getProperty(ActionRun.PROPERTY, ActionRun.class);
    }
}
