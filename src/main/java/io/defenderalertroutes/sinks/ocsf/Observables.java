package io.defenderalertroutes.sinks.ocsf;

import static io.defenderalertroutes.sinks.ocsf.OcsfValues.JSON;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A finding's {@code observables[]}: the values a search in a lake finds it by, each named by its attribute's path. */
final class Observables {

    // OCSF 1.3.0 numbers observable types in its dictionary (types' and attributes' "observable"), not in observable.json
    static final int HOSTNAME = 1;
    static final int IP_ADDRESS = 2;
    static final int USER_NAME = 4;
    static final int URL_STRING = 6;
    static final int FILE_NAME = 7;
    static final int HASH = 8;
    static final int PROCESS_NAME = 9;
    static final int COMMAND_LINE = 13;
    private static final Map<Integer, String> OBSERVABLE_TYPES = Map.of(HOSTNAME, "Hostname", IP_ADDRESS,
            "IP Address", USER_NAME, "User Name", URL_STRING, "URL String", FILE_NAME, "File Name", HASH, "Hash",
            PROCESS_NAME, "Process Name", COMMAND_LINE, "Command Line");

    private final ArrayNode observed = JSON.createArrayNode();

    /** What was observed so far, one per name and value. */
    ArrayNode array() {
        return observed;
    }

    /** One observable per name and value, however many evidences repeat it. */
    void observe(String name, int typeId, String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        for (JsonNode known : observed) {
            if (known.get("name").asText().equals(name) && known.get("value").asText().equals(value)) {
                return;
            }
        }
        observed.addObject().put("name", name).put("type_id", typeId).put("type", OBSERVABLE_TYPES.get(typeId))
                .put("value", value);
    }

    /** Each hash of an OCSF file. */
    void hashes(String name, ObjectNode file) {
        if (file != null) {
            for (JsonNode hash : file.path("hashes")) {
                observe(name, HASH, hash.get("value").asText());
            }
        }
    }
}
