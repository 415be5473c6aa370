package io.defenderalertroutes.sinks;

import java.io.IOException;
import java.io.StringWriter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.defenderalertroutes.defender.AlertHeaders;
import io.defenderalertroutes.sinks.time.DefenderTimes;
import org.apache.camel.Message;
import org.apache.camel.spi.DataType;
import org.apache.camel.spi.DataTypeTransformer;
import org.apache.camel.spi.Transformer;

/**
 * An alert or incident as a CloudEvents 1.0 event in structured mode (the JSON event format): the attributes from the
 * Defender-* headers the alert flow set, the alert's JSON as {@code data}, inserted as Microsoft served it rather than
 * parsed and written again, so that a consumer that unwraps {@code data} has the raw alert's bytes.
 * <p>
 * Resolved by name ({@code META-INF/services/org/apache/camel/transformer/defender-cloudevents}) wherever a route says
 * {@code transformDataType: toType: defender:cloudevents}, and by the sinks' format step ({@link SinkFormats}).
 */
@DataTypeTransformer(name = "defender:cloudevents",
        description = "Wraps a Microsoft Defender alert or incident (raw JSON body, Defender-* headers) in a CloudEvents 1.0 JSON event")
public final class CloudEventsTransformer extends Transformer {

    public static final String SPEC_VERSION = "1.0";
    /** The structured-mode media type of the JSON event format (HTTP and Kafka bindings). */
    public static final String MEDIA_TYPE = "application/cloudevents+json; charset=UTF-8";
    static final String TYPE_PREFIX = "com.microsoft.defender.";
    /** Which Microsoft API served the data: its shape differs by API, which the type alone does not say. */
    static final String SOURCE_API_EXTENSION = "defenderapi";
    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public void transform(Message message, DataType from, DataType to) throws Exception {
        String raw = message.getBody(String.class);
        if (raw == null || raw.isBlank() || raw.strip().charAt(0) != '{') {
            throw new IllegalArgumentException("defender:cloudevents wraps an alert's JSON object; the body is not one");
        }
        String id = required(message, AlertHeaders.IDEMPOTENCY_KEY);
        String tenant = required(message, AlertHeaders.TENANT);
        String alertId = required(message, AlertHeaders.ALERT_ID);
        StringWriter out = new StringWriter(raw.length() + 512);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("specversion", SPEC_VERSION);
            json.writeStringField("id", id);
            json.writeStringField("source", tenant);
            json.writeStringField("type", type(message));
            json.writeStringField("subject", alertId);
            String time = DefenderTimes.rfc3339(message.getHeader(AlertHeaders.LAST_UPDATE_TIME, String.class));
            if (time != null) {
                json.writeStringField("time", time);
            }
            String api = message.getHeader(AlertHeaders.SOURCE, String.class);
            if (api != null) {
                json.writeStringField(SOURCE_API_EXTENSION, api);
            }
            json.writeStringField("datacontenttype", "application/json");
            json.writeFieldName("data");
            json.writeRawValue(raw.strip());
            json.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the CloudEvent of alert " + alertId, e);
        }
        message.setBody(out.toString());
        message.setHeader(SinkFormats.CONTENT_TYPE, MEDIA_TYPE);
    }

    /**
     * By what the event is (an incident's own event, or an alert's: one split off an incident is an alert) and
     * whether this alert was delivered before (Defender-Change).
     */
    static String type(Message message) {
        boolean incident = AlertHeaders.incidentItself(message);
        boolean update = "update".equals(message.getHeader(AlertHeaders.CHANGE, String.class));
        return TYPE_PREFIX + (incident ? "incident" : "alert") + (update ? ".updated" : "") + ".v1";
    }

    private static String required(Message message, String header) {
        String value = message.getHeader(header, String.class);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("defender:cloudevents needs the header " + header
                    + ", which the bundle's alert flow and its Kamelet set on every alert");
        }
        return value;
    }
}
