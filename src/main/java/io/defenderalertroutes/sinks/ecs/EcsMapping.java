package io.defenderalertroutes.sinks.ecs;

import java.time.Instant;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An alert or incident of any of the four sources as an Elastic Common Schema document (nested objects, as
 * Elasticsearch ingests them), with the field choices of Elastic's own integrations: Microsoft Defender for Endpoint
 * for {@code defender-api} alerts ({@link EndpointAlerts}), Microsoft 365 Defender for Graph alerts and the alerts
 * split off an incident ({@link XdrAlerts}) and for incidents ({@link Incidents}). The mapping is in docs/formats.md.
 * Knows JSON and ECS only: the sinks' {@code EcsTransformer} reads the exchange and calls it.
 */
public final class EcsMapping {

    /** The ECS version the documents are written to and checked against (src/test/resources/standards/ecs). */
    public static final String ECS_VERSION = "8.17.0";
    /** The sources mapped, as {@code defender.source} and the Defender-Source header name them. */
    public static final Set<String> SOURCES = Set.of("defender-api", "graph", "graph-incidents", "defender-incidents");

    private EcsMapping() {
    }

    /**
     * The document of {@code item} as served by {@code source}: with an incident source, the incident itself when
     * {@code incident}, an alert split off it otherwise. {@code tenant} and {@code idempotencyKey} (the bundle's, may
     * be null) go to {@code labels}.
     */
    public static ObjectNode document(JsonNode item, String source, boolean incident, String tenant,
            String idempotencyKey) {
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
            case "defender-incidents" -> {
                if (incident) {
                    Incidents.map(item, Incidents.INCIDENT_API, doc);
                } else {
                    XdrAlerts.map(item, XdrAlerts.INCIDENT_API, doc);
                }
            }
            default -> throw new IllegalArgumentException("no ECS mapping for the source " + source);
        }
        if (!doc.has("@timestamp")) {
            doc.put("@timestamp", Instant.now().toString());
        }
        doc.put("ecs.version", ECS_VERSION);
        // which of the bundle's tenants, and the version's idempotency key (a document id that repeats on redelivery)
        doc.put("labels.defender_tenant", tenant);
        doc.put("labels.defender_idempotency_key", idempotencyKey);
        return doc.json();
    }
}
