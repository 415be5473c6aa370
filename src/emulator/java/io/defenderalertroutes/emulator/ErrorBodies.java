package io.defenderalertroutes.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/** The error shapes a client meets: Entra ID's OAuth errors, MDE's OData errors and Microsoft Graph's. */
final class ErrorBodies {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter GRAPH_DATE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ENTRA_TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private ErrorBodies() {
    }

    /** {@code {"error":{"code","message","target"}}}, the target being a fresh request id as MDE sends. */
    static String mde(String code, String message) {
        ObjectNode body = MAPPER.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        error.put("target", UUID.randomUUID().toString());
        return body.toString();
    }

    /**
     * {@code {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}}, as Graph answers;
     * the ids are those sent in the response headers of the same call.
     */
    static String graph(String code, String message, String requestId, String clientRequestId, Instant now) {
        ObjectNode body = MAPPER.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        ObjectNode inner = error.putObject("innerError");
        inner.put("date", GRAPH_DATE.format(now));
        inner.put("request-id", requestId);
        inner.put("client-request-id", clientRequestId);
        return body.toString();
    }

    /**
     * An Entra ID token error. Its description ends with trace, correlation and time lines as the real one does;
     * the correlation id echoes the client's {@code client-request-id}, which is what support asks for.
     */
    static String entra(String error, long code, String description, String correlationId, Instant now) {
        String traceId = UUID.randomUUID().toString();
        String correlation = correlationId != null ? correlationId : UUID.randomUUID().toString();
        String timestamp = ENTRA_TIMESTAMP.format(now);
        ObjectNode body = MAPPER.createObjectNode();
        body.put("error", error);
        body.put("error_description", "AADSTS" + code + ": " + description + "\r\nTrace ID: " + traceId
                + "\r\nCorrelation ID: " + correlation + "\r\nTimestamp: " + timestamp);
        body.putArray("error_codes").add(code);
        body.put("timestamp", timestamp);
        body.put("trace_id", traceId);
        body.put("correlation_id", correlation);
        body.put("error_uri", "https://login.microsoftonline.com/error?code=" + code);
        return body.toString();
    }
}
