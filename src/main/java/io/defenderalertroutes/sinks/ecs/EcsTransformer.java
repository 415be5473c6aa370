package io.defenderalertroutes.sinks.ecs;

import java.time.Instant;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.defenderalertroutes.defender.AlertHeaders;
import io.defenderalertroutes.sinks.SinkFormats;
import org.apache.camel.Message;
import org.apache.camel.spi.DataType;
import org.apache.camel.spi.DataTypeTransformer;
import org.apache.camel.spi.Transformer;

/**
 * An alert or incident of any of the four sources as an Elastic Common Schema document (nested objects, as
 * Elasticsearch ingests them), with the field choices of Elastic's own integrations: Microsoft Defender for Endpoint
 * for {@code defender-api} alerts ({@link EndpointAlerts}), Microsoft 365 Defender for Graph alerts and the alerts
 * split off an incident ({@link XdrAlerts}) and for incidents ({@link Incidents}). The mapping is in docs/formats.md.
 * <p>
 * Which shape the body is comes from the Defender-* headers: {@code Defender-Source} names the API, and an incident
 * source's item is the incident itself when {@code Defender-Incident-Id} is its {@code Defender-Alert-Id}, an alert
 * split off it otherwise.
 */
@DataTypeTransformer(name = "defender:ecs",
        description = "Maps a Microsoft Defender alert or incident (raw JSON body, Defender-* headers) to an Elastic Common Schema 8.17.0 document")
public final class EcsTransformer extends Transformer {

    /** The ECS version the documents are written to and checked against (src/test/resources/standards/ecs). */
    public static final String ECS_VERSION = "8.17.0";
    static final Set<String> SOURCES = Set.of("defender-api", "graph", "graph-incidents", "defender-incidents");

    @Override
    public void transform(Message message, DataType from, DataType to) throws Exception {
        String source = message.getHeader(AlertHeaders.SOURCE, String.class);
        if (!SOURCES.contains(source)) {
            throw new IllegalArgumentException("defender:ecs maps the items of defender-api, graph, graph-incidents "
                    + "and defender-incidents (the Defender-Source header), not " + source);
        }
        String raw = message.getBody(String.class);
        JsonNode item = raw == null ? null : EcsDocument.JSON.readTree(raw);
        if (item == null || !item.isObject()) {
            throw new IllegalArgumentException("defender:ecs maps an alert's or incident's JSON object; the body is not one");
        }
        ObjectNode doc = document(item, source, incident(message), message);
        if (message.getExchange().getProperty(SinkFormats.KEEP_RAW, false, Boolean.class)) {
            ((ObjectNode) doc.get("event")).put("original", raw);
        }
        message.setBody(EcsDocument.JSON.writeValueAsString(doc));
        message.setHeader("Content-Type", "application/json");
    }

    static ObjectNode document(JsonNode item, String source, boolean incident, Message message) {
        EcsDocument doc = new EcsDocument();
        switch (source) {
            case "defender-api" -> EndpointAlerts.map(item, doc);
            case "graph" -> XdrAlerts.map(item, XdrAlerts.GRAPH, doc);
            case "graph-incidents" -> {
                if (incident) {
                    Incidents.map(item, Incidents.GRAPH, doc);
                } else {
                    XdrAlerts.map(item, XdrAlerts.GRAPH, doc);
                }
            }
            default -> {
                if (incident) {
                    Incidents.map(item, Incidents.INCIDENT_API, doc);
                } else {
                    XdrAlerts.map(item, XdrAlerts.INCIDENT_API, doc);
                }
            }
        }
        if (!doc.has("@timestamp")) {
            doc.put("@timestamp", Instant.now().toString());
        }
        doc.put("ecs.version", ECS_VERSION);
        // which of the bundle's tenants, and the version's idempotency key (a document id that repeats on redelivery)
        doc.put("labels.defender_tenant", message.getHeader(AlertHeaders.TENANT, String.class));
        doc.put("labels.defender_idempotency_key", message.getHeader(AlertHeaders.IDEMPOTENCY_KEY, String.class));
        return doc.json();
    }

    /** An incident source's own item, rather than an alert split off an incident. */
    private static boolean incident(Message message) {
        String incidentId = message.getHeader(AlertHeaders.INCIDENT_ID, String.class);
        return incidentId != null && incidentId.equals(message.getHeader(AlertHeaders.ALERT_ID, String.class));
    }
}
