package io.defenderalertroutes.sinks;

import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.defenderalertroutes.defender.AlertHeaders;
import io.defenderalertroutes.sinks.ocsf.AlertShape;
import io.defenderalertroutes.sinks.ocsf.DetectionFindings;
import io.defenderalertroutes.sinks.ocsf.IncidentFindings;
import io.defenderalertroutes.sinks.ocsf.IncidentShape;
import org.apache.camel.Message;
import org.apache.camel.spi.DataType;
import org.apache.camel.spi.DataTypeTransformer;
import org.apache.camel.spi.Transformer;

/**
 * The {@code defender:ocsf} data type: the raw alert or incident with its Defender-* headers, as a sink or a route of
 * the user's has it, to OCSF 1.3.0: an alert to a Detection Finding, an incident to an Incident Finding. The mappings
 * themselves are in {@code io.defenderalertroutes.sinks.ocsf}; here only which one applies.
 */
@DataTypeTransformer(name = "defender:ocsf",
        description = "Maps a Microsoft Defender alert or incident (raw JSON body, Defender-* headers) to an OCSF 1.3.0 "
                + "Detection Finding or Incident Finding")
public final class OcsfTransformer extends Transformer {

    /** The alert sources, as the Defender-Source header names them, and their alerts' shape. */
    private static final Map<String, AlertShape> ALERT_SOURCES = Map.of("defender-api", AlertShape.DEFENDER_FOR_ENDPOINT,
            "graph", AlertShape.GRAPH);
    private static final Map<String, IncidentShape> INCIDENT_SOURCES = Map.of("graph-incidents", IncidentShape.GRAPH,
            "defender-incidents", IncidentShape.DEFENDER_XDR);
    /** Every source this transformer maps: a sink's format ocsf on any other is refused at start-up. */
    static final Set<String> SOURCES = Set.of("defender-api", "graph", "graph-incidents", "defender-incidents");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void transform(Message message, DataType from, DataType to) throws Exception {
        String source = message.getHeader(AlertHeaders.SOURCE, String.class);
        if (!SOURCES.contains(source)) {
            throw new IllegalArgumentException("defender:ocsf maps what Defender-Source " + SOURCES
                    + " names, not " + source);
        }
        String raw = message.getBody(String.class);
        JsonNode item = JSON.readTree(raw);
        if (item == null || !item.isObject()) {
            throw new IllegalArgumentException("defender:ocsf maps an alert's or incident's JSON object; the body is not one");
        }
        boolean update = "update".equals(message.getHeader(AlertHeaders.CHANGE, String.class));
        String key = message.getHeader(AlertHeaders.IDEMPOTENCY_KEY, String.class);
        IncidentShape incidents = INCIDENT_SOURCES.get(source);
        ObjectNode finding;
        if (incidents == null) {
            finding = DetectionFindings.finding(item, ALERT_SOURCES.get(source), update, key);
        } else if (AlertHeaders.splitOffAlert(message)) {
            finding = DetectionFindings.finding(item, incidents.alerts(), update, key);
        } else {
            finding = IncidentFindings.finding(item, incidents, update, key);
        }
        if (message.getExchange().getProperty(SinkFormats.KEEP_RAW, false, Boolean.class)) {
            finding.put("raw_data", raw);
        }
        message.setBody(JSON.writeValueAsString(finding));
        message.setHeader("Content-Type", "application/json");
    }
}
