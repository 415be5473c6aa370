package io.defenderalertroutes.actions;

import java.time.Instant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What became of a request: {@code {"requestId", "tenant", "action", "target", "outcome", "httpStatus",
 * "machineAction": {"id", "status", "packageUri"}, "error", "requestedAt", "finishedAt"}}. The origin (who asked)
 * is for the audit log, not the result.
 */
public record ActionResult(String requestId, String tenant, String action, String target, String outcome,
        Integer httpStatus, String machineActionId, String machineActionStatus, String packageUri, String error,
        Instant requestedAt, Instant finishedAt, String origin) {

    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String REJECTED = "rejected";
    public static final String ALREADY_IN_PROGRESS = "already-in-progress";
    public static final String TIMED_OUT = "timed-out";

    private static final ObjectMapper JSON = new ObjectMapper();

    public ObjectNode toJson() {
        ObjectNode json = JSON.createObjectNode();
        json.put("requestId", requestId).put("tenant", tenant).put("action", action).put("target", target)
                .put("outcome", outcome);
        if (httpStatus == null) {
            json.putNull("httpStatus");
        } else {
            json.put("httpStatus", httpStatus);
        }
        if (machineActionId != null) {
            ObjectNode machineAction = json.putObject("machineAction");
            machineAction.put("id", machineActionId).put("status", machineActionStatus);
            if (packageUri != null) {
                machineAction.put("packageUri", packageUri);
            }
        }
        json.put("error", error);
        json.put("requestedAt", requestedAt == null ? null : requestedAt.toString());
        json.put("finishedAt", finishedAt == null ? null : finishedAt.toString());
        return json;
    }

    @Override
    public String toString() {
        return toJson().toString();
    }
}
