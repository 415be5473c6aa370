package io.defenderalertroutes.sinks.ocsf;

import static io.defenderalertroutes.sinks.ocsf.OcsfValues.JSON;
import static io.defenderalertroutes.sinks.ocsf.OcsfValues.putText;
import static io.defenderalertroutes.sinks.ocsf.OcsfValues.text;

import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An incident of either incident API ({@link IncidentShape}) as an OCSF 1.3.0 Incident Finding (class 2005), the
 * mapping of docs/formats.md: each of its alerts is one {@code finding_info} of {@code finding_info_list}, and what
 * neither the incident nor a finding_info has a place for goes to {@code unmapped} (an alert's under
 * {@code unmapped.alerts[]}, beside its id), never dropped.
 */
public final class IncidentFindings {

    public static final int CLASS_UID = 2005;
    /** Graph's and Defender XDR's words, lower case: neither has New, a new incident is active. */
    private static final Map<String, Integer> STATUSES = Map.of("unknown", 0, "active", 1, "inprogress", 2,
            "awaitingaction", 3, "resolved", 4);
    private static final Map<Integer, String> STATUS_NAMES = Map.of(0, "Unknown", 1, "New", 2, "In Progress",
            3, "On Hold", 4, "Resolved", 5, "Closed", 99, "Other");
    private static final Map<String, Integer> CLASSIFICATIONS = Map.of("unknown", 0, "falsepositive", 1,
            "truepositive", 2, "informationalexpectedactivity", 5);
    /** Determinations OCSF has a verdict of its own for; the others only refine the classification. */
    private static final Map<String, Integer> DETERMINATIONS = Map.of("securitytesting", 6,
            "notenoughdatatovalidate", 7);
    private static final Map<Integer, String> VERDICT_NAMES = Map.of(0, "Unknown", 1, "False Positive",
            2, "True Positive", 5, "Benign", 6, "Test", 7, "Insufficient Data", 99, "Other");

    private IncidentFindings() {
    }

    /**
     * The finding of one incident version: {@code update} when it is a later version of an incident already
     * delivered ({@code Defender-Change: update}), {@code key} its idempotency key, the finding's {@code metadata.uid}.
     */
    public static ObjectNode finding(JsonNode incident, IncidentShape shape, boolean update, String key) {
        ObjectNode event = OcsfValues.finding(CLASS_UID, "Incident Finding", incident, shape.updated(), update,
                STATUSES, STATUS_NAMES);
        putText(event, "message", text(incident, shape.title()));
        putText(event, "desc", text(incident, shape.description()));
        putText(event, "src_url", text(incident, shape.url()));
        putText(event, "comment", text(incident, shape.resolvingComment()));
        verdict(event, text(incident, "classification"), text(incident, "determination"));
        assignee(event, text(incident, "assignedTo"));
        event.set("metadata", metadata(incident, shape, key));

        Alerts alerts = alerts(incident.path("alerts"), shape.alerts());
        event.set("finding_info_list", alerts.infos());
        if (alerts.start() != null) {
            event.put("start_time", alerts.start());
        }
        if (alerts.end() != null) {
            event.put("end_time", alerts.end());
        }
        if (!alerts.attacks().isEmpty()) {
            event.set("attacks", alerts.attacks());
        }
        Observables observables = new Observables();
        observables.observe("assignee.name", Observables.USER_NAME, event.path("assignee").path("name").textValue());
        if (!observables.array().isEmpty()) {
            event.set("observables", observables.array());
        }
        ObjectNode unmapped = OcsfValues.unplaced(incident, shape.mapped());
        if (!alerts.unmapped().isEmpty()) {
            unmapped = unmapped == null ? JSON.createObjectNode() : unmapped;
            unmapped.set("alerts", alerts.unmapped());
        }
        if (unmapped != null) {
            event.set("unmapped", unmapped);
        }
        return event;
    }

    /** What an incident's finding takes of its alerts: the time they span, their techniques, what else they say. */
    private record Alerts(ArrayNode infos, ArrayNode attacks, ArrayNode unmapped, Long start, Long end) {
    }

    private static Alerts alerts(JsonNode served, AlertShape shape) {
        ArrayNode infos = JSON.createArrayNode();
        ArrayNode attacks = JSON.createArrayNode();
        ArrayNode unmapped = JSON.createArrayNode();
        Long start = null;
        Long end = null;
        for (JsonNode alert : served) {
            if (!alert.isObject()) {
                continue;
            }
            ObjectNode info = DetectionFindings.findingInfo(alert, shape);
            infos.add(info);
            info.path("attacks").forEach(attack -> OcsfValues.addOnce(attacks, attack.deepCopy()));
            start = earlier(start, info.path("first_seen_time"));
            end = later(end, info.path("last_seen_time"));
            ObjectNode rest = OcsfValues.unplaced(alert, shape.findingInfoFields(), shape.times());
            if (rest != null) {
                // its id beside what was not placed, so a reader can tell which finding_info it belongs to
                ObjectNode kept = JSON.createObjectNode().put(shape.id(), info.get("uid").asText());
                kept.setAll(rest);
                unmapped.add(kept);
            }
        }
        return new Alerts(infos, attacks, unmapped, start, end);
    }

    /**
     * Microsoft's classification is OCSF's verdict, but for a determination OCSF has a verdict of its own for: a
     * security test is Test whatever it was classified, too little data Insufficient Data. The determination stays
     * in {@code unmapped}, since most of its words (malware, phishing...) say what it was, not the verdict.
     */
    private static void verdict(ObjectNode event, String classification, String determination) {
        Integer byDetermination = determination == null ? null
                : DETERMINATIONS.get(determination.toLowerCase(Locale.ROOT));
        if (byDetermination != null) {
            event.put("verdict_id", byDetermination);
            event.put("verdict", VERDICT_NAMES.get(byDetermination));
        } else if (classification != null) {
            OcsfValues.putEnum(event, "verdict_id", "verdict", classification, CLASSIFICATIONS, VERDICT_NAMES);
        }
    }

    /**
     * Incident Finding asks for an assignee or an assignee group; Microsoft's assignedTo is free text (mostly an
     * e-mail address) or null. An unassigned incident is in the queue the portal calls Unassigned: that is its group,
     * rather than an event that breaks the class or a user invented to pass it.
     */
    private static void assignee(ObjectNode event, String assignedTo) {
        if (assignedTo != null && !assignedTo.isBlank()) {
            event.putObject("assignee").put("name", assignedTo);
        } else {
            event.putObject("assignee_group").put("name", "Unassigned")
                    .put("desc", "Microsoft Defender names no one assigned to the incident");
        }
    }

    private static ObjectNode metadata(JsonNode incident, IncidentShape shape, String key) {
        ObjectNode metadata = JSON.createObjectNode();
        metadata.put("version", OcsfValues.OCSF_VERSION);
        // both incident APIs serve Defender XDR's incidents, gathered from every Defender product
        metadata.putObject("product").put("vendor_name", "Microsoft").put("name", "Microsoft Defender XDR");
        putText(metadata, "uid", key);
        // Incident Finding has no uid of its own: the incident's id is what ties its versions and its alerts together
        putText(metadata, "correlation_uid", text(incident, shape.id()));
        putText(metadata, "tenant_uid", text(incident, shape.tenant()));
        putText(metadata, "original_time", text(incident, shape.updated()));
        return metadata;
    }

    private static Long earlier(Long known, JsonNode time) {
        return !time.isIntegralNumber() ? known : known == null ? time.asLong() : Math.min(known, time.asLong());
    }

    private static Long later(Long known, JsonNode time) {
        return !time.isIntegralNumber() ? known : known == null ? time.asLong() : Math.max(known, time.asLong());
    }
}
