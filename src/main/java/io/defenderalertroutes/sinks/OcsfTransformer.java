package io.defenderalertroutes.sinks;

import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.defenderalertroutes.defender.AlertHeaders;
import io.defenderalertroutes.sinks.ocsf.AlertShape;
import io.defenderalertroutes.sinks.ocsf.DetectionFindings;
import org.apache.camel.Message;
import org.apache.camel.spi.DataType;
import org.apache.camel.spi.DataTypeTransformer;
import org.apache.camel.spi.Transformer;

/**
 * The {@code defender:ocsf} data type: the raw alert with its Defender-* headers, as a sink or a route of the user's
 * has it, to OCSF 1.3.0. Which mapping applies is the Defender-Source header's to say; the mappings themselves are in
 * {@code io.defenderalertroutes.sinks.ocsf}. Incidents are the next step of issue 29: until then an incident is
 * refused, at start-up for a sink's format ({@code TenantParts}) and here for a route of the user's.
 */
@DataTypeTransformer(name = "defender:ocsf",
        description = "Maps a Microsoft Defender for Endpoint or Graph alert (raw JSON body, Defender-* headers) to an OCSF 1.3.0 Detection Finding")
public final class OcsfTransformer extends Transformer {

    /** The alert APIs this transformer maps, as the Defender-Source header names them, and their alerts' shape. */
    private static final Map<String, AlertShape> ALERT_SOURCES = Map.of("defender-api", AlertShape.DEFENDER_FOR_ENDPOINT,
            "graph", AlertShape.GRAPH);
    static final Set<String> SOURCES = ALERT_SOURCES.keySet();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void transform(Message message, DataType from, DataType to) throws Exception {
        String source = message.getHeader(AlertHeaders.SOURCE, String.class);
        AlertShape shape = ALERT_SOURCES.get(source);
        if (shape == null) {
            throw new IllegalArgumentException("defender:ocsf maps alerts (Defender-Source defender-api or graph) so "
                    + "far, not " + source);
        }
        String raw = message.getBody(String.class);
        JsonNode alert = JSON.readTree(raw);
        if (!alert.isObject()) {
            throw new IllegalArgumentException("defender:ocsf maps an alert's JSON object; the body is not one");
        }
        ObjectNode finding = DetectionFindings.finding(alert, shape, update(message),
                message.getHeader(AlertHeaders.IDEMPOTENCY_KEY, String.class));
        if (message.getExchange().getProperty(SinkFormats.KEEP_RAW, false, Boolean.class)) {
            finding.put("raw_data", raw);
        }
        message.setBody(JSON.writeValueAsString(finding));
        message.setHeader("Content-Type", "application/json");
    }

    private static boolean update(Message message) {
        return "update".equals(message.getHeader(AlertHeaders.CHANGE, String.class));
    }
}
