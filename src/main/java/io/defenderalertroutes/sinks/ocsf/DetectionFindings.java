package io.defenderalertroutes.sinks.ocsf;

import static io.defenderalertroutes.sinks.ocsf.OcsfValues.JSON;
import static io.defenderalertroutes.sinks.ocsf.OcsfValues.putText;
import static io.defenderalertroutes.sinks.ocsf.OcsfValues.putTime;
import static io.defenderalertroutes.sinks.ocsf.OcsfValues.text;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An alert of any of the three shapes ({@link AlertShape}) as an OCSF 1.3.0 Detection Finding (class 2004), the
 * mapping of docs/formats.md. A field without an OCSF counterpart goes to {@code unmapped} under its own name rather
 * than being dropped, and a severity or status OCSF has no value for becomes Other (99) with Microsoft's word kept.
 */
public final class DetectionFindings {

    public static final int CLASS_UID = 2004;
    private static final Map<String, Integer> STATUSES = Map.of("unknown", 0, "new", 1, "inprogress", 2, "resolved", 4);
    private static final Map<Integer, String> STATUS_NAMES = Map.of(0, "Unknown", 1, "New", 2, "In Progress",
            4, "Resolved", 99, "Other");

    private DetectionFindings() {
    }

    /**
     * The finding of one alert version: {@code update} when it is a later version of an alert already delivered
     * ({@code Defender-Change: update}), {@code key} its idempotency key, the finding's {@code metadata.uid}.
     */
    public static ObjectNode finding(JsonNode alert, AlertShape shape, boolean update, String key) {
        ObjectNode event = OcsfValues.finding(CLASS_UID, "Detection Finding", alert, shape.updated(), update, STATUSES,
                STATUS_NAMES);
        putText(event, "message", text(alert, "title"));
        ObjectNode info = findingInfo(alert, shape);
        event.set("metadata", metadata(alert, shape, key, info.has("attacks")));
        event.set("finding_info", info);
        ObjectNode device = OcsfValues.device(text(alert, "machineId"), text(alert, "computerDnsName"));
        if (device != null) {
            event.set("device", device);
        }
        if (info.has("attacks")) {
            // the security_control profile, as Detection Finding asks of a security control: attacks here and in
            // finding_info, and what the control did, which an alert does not say
            event.set("attacks", info.get("attacks").deepCopy());
            event.put("action_id", 0);
            event.put("action", "Unknown");
        }
        Observables observables = new Observables();
        if (device != null) {
            observables.observe("device.hostname", Observables.HOSTNAME, text(device, "hostname"));
        }
        ArrayNode evidences = evidences(alert, shape, observables);
        if (!evidences.isEmpty()) {
            event.set("evidences", evidences);
        }
        if (!observables.array().isEmpty()) {
            event.set("observables", observables.array());
        }
        ObjectNode unmapped = OcsfValues.unplaced(alert, shape.mapped(), shape.times());
        if (unmapped != null) {
            event.set("unmapped", unmapped);
        }
        return event;
    }

    /** One OCSF evidence per evidence served, in Microsoft's order; a Defender XDR alert's devices after its entities. */
    private static ArrayNode evidences(JsonNode alert, AlertShape shape, Observables observables) {
        ArrayNode evidences = JSON.createArrayNode();
        GraphEvidence graph = new GraphEvidence(observables);
        EndpointEvidence endpoint = new EndpointEvidence(observables);
        for (JsonNode item : alert.path(shape.evidence())) {
            if (item.isObject()) {
                addSaying(evidences, shape == AlertShape.GRAPH ? graph.of(item) : endpoint.of(item));
            }
        }
        if (shape == AlertShape.XDR_INCIDENT_ALERT) {
            for (JsonNode device : alert.path("devices")) {
                if (device.isObject()) {
                    addSaying(evidences, endpoint.device(device));
                }
            }
        }
        return evidences;
    }

    /** An evidence of nothing but nulls says nothing, and an empty one breaks evidences' at_least_one. */
    private static void addSaying(ArrayNode evidences, ObjectNode evidence) {
        if (!evidence.isEmpty()) {
            evidences.add(evidence);
        }
    }

    private static ObjectNode metadata(JsonNode alert, AlertShape shape, String key, boolean attacks) {
        ObjectNode metadata = JSON.createObjectNode();
        metadata.put("version", OcsfValues.OCSF_VERSION);
        ObjectNode product = metadata.putObject("product");
        product.put("vendor_name", "Microsoft");
        product.put("name", shape.product());
        if (text(alert, "detectionSource") != null) {
            product.putObject("feature").put("name", text(alert, "detectionSource"));
        }
        putText(metadata, "uid", key);
        putText(metadata, "tenant_uid", text(alert, shape.tenant()));
        putText(metadata, "original_time", text(alert, shape.updated()));
        ArrayNode profiles = metadata.putArray("profiles");
        if (alert.hasNonNull("machineId") || alert.hasNonNull("computerDnsName")) {
            profiles.add("host");
        }
        // blank technique ids make no attack, and the profile without attacks would ask an action_id of nothing
        if (attacks) {
            profiles.add("security_control");
        }
        if (profiles.isEmpty()) {
            metadata.remove("profiles");
        }
        return metadata;
    }

    /** What OCSF knows of the alert as a finding: here the finding's own, and one of an incident's list. */
    static ObjectNode findingInfo(JsonNode alert, AlertShape shape) {
        ObjectNode info = JSON.createObjectNode();
        String id = text(alert, shape.id());
        info.put("uid", id);
        info.put("title", text(alert, "title") != null ? text(alert, "title") : id);
        putText(info, "desc", text(alert, "description"));
        putTime(info, "created_time", text(alert, shape.created()));
        putTime(info, "first_seen_time", text(alert, shape.first()));
        putTime(info, "last_seen_time", text(alert, shape.last()));
        putTime(info, "modified_time", text(alert, shape.updated()));
        if (text(alert, "category") != null) {
            info.putArray("types").add(text(alert, "category"));
        }
        if (text(alert, "detectorId") != null) {
            ObjectNode analytic = info.putObject("analytic");
            analytic.put("uid", text(alert, "detectorId"));
            // Defender does not say how its detector works
            analytic.put("type_id", 0);
            analytic.put("type", "Unknown");
        }
        ArrayNode attacks = OcsfValues.attacks(alert.path("mitreTechniques"));
        if (!attacks.isEmpty()) {
            info.set("attacks", attacks);
        }
        if (text(alert, "incidentId") != null) {
            ObjectNode incident = info.putArray("related_events").addObject();
            incident.put("uid", text(alert, "incidentId"));
            incident.put("type", "Microsoft Defender incident");
        }
        return info;
    }
}
