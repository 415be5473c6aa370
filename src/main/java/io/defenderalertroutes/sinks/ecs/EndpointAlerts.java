package io.defenderalertroutes.sinks.ecs;

import static io.defenderalertroutes.sinks.ecs.EcsValues.text;

import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * A Defender for Endpoint alert ({@code /api/alerts}, {@code defender.source=defender-api}) as Elastic's Microsoft
 * Defender for Endpoint integration maps it (its {@code log} data stream's ingest pipeline): ECS fields for what ECS
 * has a place for, every other field as served under {@code microsoft.defender_endpoint}.
 */
final class EndpointAlerts {

    static final String NAMESPACE = "microsoft.defender_endpoint";
    /** Elastic's 0 to 4, by Microsoft's word (any case); another word sets no event.severity and is kept. */
    static final Map<String, Integer> SEVERITIES = Map.of("unspecified", 0, "informational", 1, "low", 2,
            "medium", 3, "high", 4);
    /** The alert's fields placed in ECS (and left out of the namespace, as Elastic's pipeline moves them). */
    static final Set<String> PLACED = Set.of("id", "title", "description", "category", "alertCreationTime",
            "firstEventTime", "lastEventTime", "aadTenantId", "machineId", "computerDnsName", "detectionSource",
            "relatedUser", "severity");
    /** Placed only when they are times: another value has no ECS date to go in and stays in the namespace. */
    private static final Set<String> TIMES = Set.of("alertCreationTime", "firstEventTime", "lastEventTime");

    private EndpointAlerts() {
    }

    static void map(JsonNode alert, EcsDocument doc) {
        doc.put("@timestamp", EcsValues.date(text(alert, "lastUpdateTime")));
        doc.put("event.kind", "alert")
                .put("event.module", "microsoft_defender_endpoint")
                .put("event.dataset", "microsoft_defender_endpoint.log")
                .put("event.provider", "defender_endpoint")
                .put("event.timezone", "UTC")
                .put("event.id", text(alert, "id"))
                .put("event.action", text(alert, "category"))
                .put("event.created", EcsValues.date(text(alert, "alertCreationTime")));
        EcsValues.period(doc, text(alert, "firstEventTime"), text(alert, "lastEventTime"));
        boolean severityMapped = EcsValues.severity(doc, text(alert, "severity"), SEVERITIES);
        doc.add("event.category", "host");
        if ("malware".equalsIgnoreCase(text(alert, "category"))) {
            doc.add("event.category", "malware");
        }
        status(doc, text(alert, "status"));

        doc.put("message", text(alert, "title"))
                .put("rule.id", text(alert, "detectorId"))
                .put("rule.name", text(alert, "title"))
                .put("rule.description", text(alert, "description"));
        doc.add("threat.tactic.name", text(alert, "category"));
        EcsValues.techniques(doc, alert.path("mitreTechniques"));
        if (doc.has("threat.tactic")) {
            doc.put("threat.framework", "MITRE ATT&CK");
        }
        doc.put("observer.vendor", "Microsoft")
                .put("observer.product", "Defender for Endpoint")
                .put("observer.name", text(alert, "detectionSource"));
        doc.put("cloud.provider", "azure")
                .put("cloud.account.id", text(alert, "aadTenantId"))
                .put("cloud.instance.id", text(alert, "machineId"));
        EcsValues.host(doc, text(alert, "computerDnsName"), text(alert, "machineId"));
        JsonNode relatedUser = alert.path("relatedUser");
        doc.put("user.name", text(relatedUser, "userName")).put("user.domain", text(relatedUser, "domainName"));
        doc.add("related.user", text(relatedUser, "userName"));
        FlatEvidence.map(doc, alert.path("evidence"));
        doc.put(NAMESPACE, namespace(alert, severityMapped));
    }

    /** Elastic's: New starts, Resolved ends; In progress (and any other word) says neither. */
    static void status(EcsDocument doc, String status) {
        if ("new".equalsIgnoreCase(status)) {
            doc.add("event.type", "start");
        } else if ("resolved".equalsIgnoreCase(status)) {
            doc.add("event.type", "end");
        }
    }

    /**
     * Every field ECS did not take, as served but without nulls, the ids as text as Elastic converts them
     * ({@code incidentId} is a number here, text elsewhere); the severity too when it is a word ECS has no level for,
     * and a time that is none.
     */
    private static ObjectNode namespace(JsonNode alert, boolean severityMapped) {
        ObjectNode rest = EcsDocument.JSON.createObjectNode();
        alert.fields().forEachRemaining(field -> {
            String name = field.getKey();
            JsonNode value = field.getValue();
            boolean placed = PLACED.contains(name) && !(name.equals("severity") && !severityMapped)
                    && !(TIMES.contains(name) && EcsValues.date(text(alert, name)) == null);
            if (placed || value.isNull()) {
                return;
            }
            rest.set(name, value.isNumber() && EcsValues.isId(name) ? TextNode.valueOf(value.asText())
                    : EcsValues.copy(value, UnaryOperator.identity(), false));
        });
        return rest;
    }
}
