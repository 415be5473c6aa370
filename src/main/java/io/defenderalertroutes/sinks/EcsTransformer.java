package io.defenderalertroutes.sinks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.defenderalertroutes.defender.AlertHeaders;
import io.defenderalertroutes.sinks.ecs.EcsMapping;
import org.apache.camel.Message;
import org.apache.camel.spi.DataType;
import org.apache.camel.spi.DataTypeTransformer;
import org.apache.camel.spi.Transformer;

/**
 * An alert or incident of any of the four sources as an Elastic Common Schema 8.17.0 document, mapped as Elastic's
 * own integrations map them ({@link EcsMapping}, docs/formats.md). Which shape the body is comes from the Defender-*
 * headers: {@code Defender-Source} names the API, and an incident source's item is the incident itself unless
 * {@code Defender-Incident-Id} names an incident other than its {@code Defender-Alert-Id}
 * ({@link AlertHeaders#splitOffAlert}). With
 * {@link SinkFormats#KEEP_RAW} the body as served is kept in {@code event.original}.
 * <p>
 * Resolved by name ({@code META-INF/services/org/apache/camel/transformer/defender-ecs}) wherever a route says
 * {@code transformDataType: toType: defender:ecs}, and by the sinks' format step ({@link SinkFormats}).
 */
@DataTypeTransformer(name = "defender:ecs",
        description = "Maps a Microsoft Defender alert or incident (raw JSON body, Defender-* headers) to an Elastic Common Schema 8.17.0 document")
public final class EcsTransformer extends Transformer {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void transform(Message message, DataType from, DataType to) throws Exception {
        String source = message.getHeader(AlertHeaders.SOURCE, String.class);
        if (!EcsMapping.SOURCES.contains(source)) {
            throw new IllegalArgumentException("defender:ecs maps the items of defender-api, graph, graph-incidents "
                    + "and defender-incidents (the Defender-Source header), not " + source);
        }
        String raw = message.getBody(String.class);
        JsonNode item = raw == null ? null : JSON.readTree(raw);
        if (item == null || !item.isObject()) {
            throw new IllegalArgumentException("defender:ecs maps an alert's or incident's JSON object; the body is not one");
        }
        ObjectNode doc = EcsMapping.document(item, source, !AlertHeaders.splitOffAlert(message),
                message.getHeader(AlertHeaders.TENANT, String.class),
                message.getHeader(AlertHeaders.IDEMPOTENCY_KEY, String.class));
        if (message.getExchange().getProperty(SinkFormats.KEEP_RAW, false, Boolean.class)) {
            ((ObjectNode) doc.get("event")).put("original", raw);
        }
        message.setBody(JSON.writeValueAsString(doc));
        message.setHeader("Content-Type", "application/json");
    }
}
