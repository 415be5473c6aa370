package io.defenderalertroutes.sinks;

import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.defenderalertroutes.defender.AlertHeaders;
import io.defenderalertroutes.sinks.ocsf.AlertShape;
import io.defenderalertroutes.sinks.ocsf.DetectionFindings;
import io.defenderalertroutes.sinks.ocsf.IncidentFindings;
import io.defenderalertroutes.sinks.ocsf.IncidentShape;
import org.apache.camel.Message;
import org.apache.camel.spi.DataTypeTransformer;

/**
 * The {@code defender:ocsf} data type: the raw alert or incident with its Defender-* headers, as a sink or a route of
 * the user's has it, to OCSF 1.3.0: an alert to a Detection Finding, an incident to an Incident Finding. The mappings
 * themselves are in {@code io.defenderalertroutes.sinks.ocsf}; here only which one applies.
 */
@DataTypeTransformer(name = "defender:ocsf",
        description = "Maps a Microsoft Defender alert or incident (raw JSON body, Defender-* headers) to an OCSF 1.3.0 "
                + "Detection Finding or Incident Finding")
public final class OcsfTransformer extends MappingTransformer {

    /** The alert sources, as the Defender-Source header names them, and their alerts' shape. */
    private static final Map<String, AlertShape> ALERT_SOURCES = Map.of("defender-api", AlertShape.DEFENDER_FOR_ENDPOINT,
            "graph", AlertShape.GRAPH);
    private static final Map<String, IncidentShape> INCIDENT_SOURCES = Map.of("graph-incidents", IncidentShape.GRAPH,
            "defender-incidents", IncidentShape.DEFENDER_XDR);
    /** Every source this transformer maps: a sink's format ocsf on any other is refused at start-up. */
    static final Set<String> SOURCES = Set.of("defender-api", "graph", "graph-incidents", "defender-incidents");

    @Override
    String dataType() {
        return "defender:ocsf";
    }

    @Override
    Set<String> sources() {
        return SOURCES;
    }

    @Override
    ObjectNode map(JsonNode item, String source, boolean splitOff, Message message) {
        boolean update = "update".equals(message.getHeader(AlertHeaders.CHANGE, String.class));
        String key = message.getHeader(AlertHeaders.IDEMPOTENCY_KEY, String.class);
        IncidentShape incidents = INCIDENT_SOURCES.get(source);
        if (incidents == null) {
            return DetectionFindings.finding(item, ALERT_SOURCES.get(source), update, key);
        }
        return splitOff ? DetectionFindings.finding(item, incidents.alerts(), update, key)
                : IncidentFindings.finding(item, incidents, update, key);
    }

    @Override
    void keepRaw(ObjectNode event, String raw) {
        event.put("raw_data", raw);
    }
}
