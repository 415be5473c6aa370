package io.defenderalertroutes.sinks;

import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.defenderalertroutes.defender.AlertHeaders;
import org.apache.camel.Message;
import org.apache.camel.spi.DataType;
import org.apache.camel.spi.Transformer;

/**
 * What the formats that map an alert field by field (OCSF, ECS) do alike around their mapping: refuse a source they
 * have no mapping for and a body that is no JSON object, keep the raw text where the standard keeps it
 * ({@link SinkFormats#KEEP_RAW}), and deliver compact JSON.
 */
abstract class MappingTransformer extends Transformer {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The data type's name, for the lines that refuse a body: {@code defender:ocsf}. */
    abstract String dataType();

    /** The sources ({@code Defender-Source}) there is a mapping for; a sink's format on another is refused at start-up. */
    abstract Set<String> sources();

    /**
     * The event for {@code item} of {@code source}; {@code splitOff} when it is an alert split off an incident
     * ({@link AlertHeaders#splitOffAlert}).
     */
    abstract ObjectNode map(JsonNode item, String source, boolean splitOff, Message message);

    /** Puts the raw text where the standard keeps the original event. */
    abstract void keepRaw(ObjectNode event, String raw);

    @Override
    public final void transform(Message message, DataType from, DataType to) throws Exception {
        String source = message.getHeader(AlertHeaders.SOURCE, String.class);
        if (!sources().contains(source)) {
            throw new IllegalArgumentException(dataType() + " maps the items of "
                    + String.join(", ", new TreeSet<>(sources())) + " (the Defender-Source header), not " + source);
        }
        String raw = message.getBody(String.class);
        JsonNode item = raw == null ? null : JSON.readTree(raw);
        if (item == null || !item.isObject()) {
            throw new IllegalArgumentException(dataType() + " maps an alert's or incident's JSON object; the body is not one");
        }
        ObjectNode event = map(item, source, AlertHeaders.splitOffAlert(message), message);
        if (message.getExchange().getProperty(SinkFormats.KEEP_RAW, false, Boolean.class)) {
            keepRaw(event, raw);
        }
        message.setBody(JSON.writeValueAsString(event));
        message.setHeader(SinkFormats.CONTENT_TYPE, "application/json");
    }
}
