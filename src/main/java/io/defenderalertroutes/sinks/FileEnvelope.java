package io.defenderalertroutes.sinks;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.defenderalertroutes.defender.AlertHeaders;
import io.defenderalertroutes.meters.AlertMeters;
import io.defenderalertroutes.tenant.Tenant;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * A file has no headers, so the file sink writes a small envelope: the metadata fields, then the alert's JSON
 * under {@code alert}, inserted as the API sent it rather than re-serialized. A dead letter is the same envelope
 * with the failed sink and the reason, and is read back ({@link #unwrap}) to be replayed with its headers.
 */
public final class FileEnvelope {

    public static final String FAILED_SINK = AlertMeters.FAILED_SINK;
    public static final String FAILURE = "Defender-Failure";
    /** The position (from 1) of the playbook handler that failed, when the HTTP sink failed for one handler. */
    public static final String FAILED_HANDLER = "Defender-Failed-Handler";

    /** Envelope field to header, in the order written. */
    private static final Map<String, String> FIELDS = fields();
    private static final String ALERT_FIELD = ",\"alert\":";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Written only when set: where delivery failed, and an incident's own fields. */
    private static final java.util.Set<String> WHEN_SET = java.util.Set.of("failedSink", "failedHandler", "failure",
            "incidentId", "alertCount");
    private static final java.util.regex.Pattern UNSAFE = java.util.regex.Pattern.compile("[^A-Za-z0-9._-]");

    private static Map<String, String> fields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("tenant", AlertHeaders.TENANT);
        fields.put("alertId", AlertHeaders.ALERT_ID);
        fields.put("lastUpdateTime", AlertHeaders.LAST_UPDATE_TIME);
        fields.put("status", AlertHeaders.STATUS);
        fields.put("severity", AlertHeaders.SEVERITY);
        fields.put("category", AlertHeaders.CATEGORY);
        fields.put("change", AlertHeaders.CHANGE);
        fields.put("idempotencyKey", AlertHeaders.IDEMPOTENCY_KEY);
        fields.put("source", AlertHeaders.SOURCE);
        fields.put("incidentId", AlertHeaders.INCIDENT_ID);
        fields.put("alertCount", AlertHeaders.ALERT_COUNT);
        fields.put("failedSink", FAILED_SINK);
        fields.put("failedHandler", FAILED_HANDLER);
        fields.put("failure", FAILURE);
        return java.util.Collections.unmodifiableMap(fields);
    }

    /** An envelope read back: the headers it recorded and the alert's JSON as it was delivered. */
    public record Unwrapped(Map<String, String> headers, String alert) {
    }

    public void wrap(Exchange exchange) throws JsonProcessingException {
        Message message = exchange.getMessage();
        Map<String, Object> fields = new LinkedHashMap<>();
        // a dead letter's fields (where and why delivery failed) and an incident's only when there are any
        FIELDS.forEach((field, header) -> {
            Object value = message.getHeader(header);
            if (value != null || !WHEN_SET.contains(field)) {
                fields.put(field, value);
            }
        });
        String head = JSON.writeValueAsString(fields);
        String raw = message.getBody(String.class);
        message.setBody(head.substring(0, head.length() - 1) + ALERT_FIELD + raw + "}\n");
    }

    /**
     * Reads an envelope back. The alert is cut out of the text rather than parsed and written again, so that a
     * replayed alert is byte for byte what was first delivered; the head is JSON written by {@link #wrap}, in which
     * {@code ,"alert":} cannot occur inside a string (its quotes would be escaped).
     */
    public static Unwrapped unwrap(String text) throws JsonProcessingException {
        int cut = text.indexOf(ALERT_FIELD);
        int end = text.lastIndexOf('}');
        if (cut < 0 || end <= cut) {
            throw new IllegalArgumentException("not an envelope of the bundle (no \"alert\" field)");
        }
        // an envelope ends with its own brace and a newline: anything else is a file still being written
        if (!text.endsWith("}\n")) {
            throw new IllegalArgumentException("incomplete envelope (still being written?)");
        }
        JsonNode head = JSON.readTree(text.substring(0, cut) + "}");
        Map<String, String> headers = new LinkedHashMap<>();
        FIELDS.forEach((field, header) -> {
            JsonNode value = head.get(field);
            if (value != null && !value.isNull()) {
                headers.put(header, value.asText());
            }
        });
        return new Unwrapped(headers, text.substring(cut + ALERT_FIELD.length(), end));
    }

    /** A file name that is safe on every file system and unique per alert version. */
    public String fileName(Exchange exchange) {
        Message message = exchange.getMessage();
        String id = message.getHeader(AlertHeaders.ALERT_ID, String.class);
        String time = message.getHeader(AlertHeaders.LAST_UPDATE_TIME, String.class);
        return safe(Tenant.nameOf(exchange)) + "/" + safe(id) + "_" + safe(time) + ".json";
    }

    /**
     * A dead letter's file name: one per alert version and failed sink (and handler), so that two failed sinks, or
     * two failed handlers of one sink, keep two files.
     */
    public String deadLetterFileName(Exchange exchange) {
        String name = fileName(exchange);
        Message message = exchange.getMessage();
        String sink = message.getHeader(FAILED_SINK, "unknown-sink", String.class);
        String handler = message.getHeader(FAILED_HANDLER, String.class);
        return name.substring(0, name.length() - ".json".length()) + "_" + safe(sink)
                + (handler == null ? "" : "-" + safe(handler)) + ".json";
    }

    private static String safe(String text) {
        // compiled once: a file name is made for every alert (4 % of the bundle's CPU with the file sink on)
        return UNSAFE.matcher(text).replaceAll("-");
    }
}
