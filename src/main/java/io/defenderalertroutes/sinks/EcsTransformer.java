package io.defenderalertroutes.sinks;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.defenderalertroutes.defender.AlertHeaders;
import io.defenderalertroutes.sinks.ecs.EcsMapping;
import org.apache.camel.Message;
import org.apache.camel.spi.DataTypeTransformer;

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
public final class EcsTransformer extends MappingTransformer {

    @Override
    String dataType() {
        return "defender:ecs";
    }

    @Override
    Set<String> sources() {
        return EcsMapping.SOURCES;
    }

    @Override
    ObjectNode map(JsonNode item, String source, boolean splitOff, Message message) {
        return EcsMapping.document(item, source, !splitOff, message.getHeader(AlertHeaders.TENANT, String.class),
                message.getHeader(AlertHeaders.IDEMPOTENCY_KEY, String.class));
    }

    @Override
    void keepRaw(ObjectNode event, String raw) {
        ((ObjectNode) event.get("event")).put("original", raw);
    }
}
