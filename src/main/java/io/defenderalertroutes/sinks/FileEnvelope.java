package io.defenderalertroutes.sinks;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.defenderalertroutes.defender.AlertHeaders;
import io.defenderalertroutes.tenant.Tenant;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * A file has no headers, so the file sink writes a small envelope: the metadata fields, then the alert's JSON
 * under {@code alert}, inserted as the API sent it rather than re-serialized.
 */
public final class FileEnvelope {

    public static final String FAILED_SINK = "Defender-Failed-Sink";
    public static final String FAILURE = "Defender-Failure";

    private static final ObjectMapper JSON = new ObjectMapper();

    public void wrap(Exchange exchange) throws JsonProcessingException {
        Message message = exchange.getMessage();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("tenant", message.getHeader(AlertHeaders.TENANT));
        fields.put("alertId", message.getHeader(AlertHeaders.ALERT_ID));
        fields.put("lastUpdateTime", message.getHeader(AlertHeaders.LAST_UPDATE_TIME));
        fields.put("status", message.getHeader(AlertHeaders.STATUS));
        fields.put("severity", message.getHeader(AlertHeaders.SEVERITY));
        fields.put("category", message.getHeader(AlertHeaders.CATEGORY));
        fields.put("change", message.getHeader(AlertHeaders.CHANGE));
        fields.put("idempotencyKey", message.getHeader(AlertHeaders.IDEMPOTENCY_KEY));
        fields.put("source", message.getHeader(AlertHeaders.SOURCE));
        if (message.getHeader(FAILED_SINK) != null) {
            // a dead letter says where and why delivery failed
            fields.put("failedSink", message.getHeader(FAILED_SINK));
            fields.put("failure", message.getHeader(FAILURE));
        }
        String head = JSON.writeValueAsString(fields);
        String raw = message.getBody(String.class);
        message.setBody(head.substring(0, head.length() - 1) + ",\"alert\":" + raw + "}\n");
    }

    /** A file name that is safe on every file system and unique per alert version. */
    public String fileName(Exchange exchange) {
        Message message = exchange.getMessage();
        String id = message.getHeader(AlertHeaders.ALERT_ID, String.class);
        String time = message.getHeader(AlertHeaders.LAST_UPDATE_TIME, String.class);
        return safe(Tenant.nameOf(exchange)) + "/" + safe(id) + "_" + safe(time) + ".json";
    }

    /** A dead letter's file name: one per alert version and failed sink, so that two failed sinks keep two files. */
    public String deadLetterFileName(Exchange exchange) {
        String name = fileName(exchange);
        String sink = exchange.getMessage().getHeader(FAILED_SINK, "unknown-sink", String.class);
        return name.substring(0, name.length() - ".json".length()) + "_" + safe(sink) + ".json";
    }

    private static String safe(String text) {
        return text.replaceAll("[^A-Za-z0-9._-]", "-");
    }
}
