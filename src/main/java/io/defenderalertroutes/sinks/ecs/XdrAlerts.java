package io.defenderalertroutes.sinks.ecs;

import static io.defenderalertroutes.sinks.ecs.EcsValues.text;

import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Microsoft Defender XDR alert as Elastic's Microsoft 365 Defender integration maps it (its {@code alert} data
 * stream's ingest pipeline): a Graph alert ({@code /security/alerts_v2}, {@code defender.source=graph}, and an alert
 * split off a Graph incident), and an alert split off a Defender XDR incident ({@code /api/incidents}), which says the
 * same under other names. ECS fields for what ECS has a place for; the whole alert under {@code m365_defender.alert}
 * in snake case, as Elastic keeps it.
 */
final class XdrAlerts {

    static final String NAMESPACE = "m365_defender.alert";
    /** Elastic's alert severities (the scale of its detection rules' severities): informational and low 21. */
    static final Map<String, Integer> SEVERITIES = Map.of("informational", 21, "low", 21, "medium", 47, "high", 73,
            "critical", 99);

    /** Where each API keeps what both say. */
    record Shape(String id, String created, String updated, String first, String last, String webUrl,
            String tenant) {
    }

    static final Shape GRAPH = new Shape("id", "createdDateTime", "lastUpdateDateTime", "firstActivityDateTime",
            "lastActivityDateTime", "alertWebUrl", "tenantId");
    static final Shape INCIDENT_API = new Shape("alertId", "creationTime", "lastUpdatedTime", "firstActivity",
            "lastActivity", null, null);

    private XdrAlerts() {
    }

    static void map(JsonNode alert, Shape shape, EcsDocument doc) {
        doc.put("@timestamp", EcsValues.date(text(alert, shape.updated())));
        doc.put("event.kind", "alert")
                .put("event.module", "m365_defender")
                .put("event.dataset", "m365_defender.alert")
                .put("event.provider", text(alert, "serviceSource"))
                .put("event.id", text(alert, shape.id()))
                .put("event.created", EcsValues.date(text(alert, shape.created())));
        EcsValues.period(doc, text(alert, shape.first()), text(alert, shape.last()));
        EcsValues.severity(doc, text(alert, "severity"), SEVERITIES);
        EndpointAlerts.status(doc, text(alert, "status"));
        if (shape.webUrl() != null) {
            doc.put("event.url", text(alert, shape.webUrl()));
        }
        doc.put("message", text(alert, "description"))
                .put("rule.id", text(alert, "detectorId"))
                .put("rule.name", text(alert, "title"));
        threat(doc, alert);
        determination(doc, text(alert, "determination"));
        doc.put("observer.vendor", "Microsoft")
                .put("observer.product", "Defender XDR")
                .put("observer.name", text(alert, "detectionSource"));
        if (shape.tenant() != null && text(alert, shape.tenant()) != null) {
            doc.put("cloud.provider", "azure").put("cloud.account.id", text(alert, shape.tenant()));
        }
        people(doc, alert);
        evidence(doc, alert, shape);
        doc.put(NAMESPACE, EcsValues.snakeCase(alert));
    }

    /** The alert's category as an ATT&CK tactic, its techniques, its threat family as Elastic's threat.group.name. */
    static void threat(EcsDocument doc, JsonNode alert) {
        doc.add("threat.tactic.name", text(alert, "category"));
        EcsValues.techniques(doc, alert.path("mitreTechniques"));
        if (doc.has("threat.tactic")) {
            doc.put("threat.framework", "MITRE ATT&CK");
        }
        doc.putFirst("threat.group.name", text(alert, "threatFamilyName"));
    }

    /** Elastic's: a malware or malicious-user-activity determination is malware, phishing email, apt a threat. */
    static void determination(EcsDocument doc, String determination) {
        switch (determination == null ? "" : determination.toLowerCase(Locale.ROOT)) {
            case "malware", "malicioususeractivity" -> doc.add("event.category", "malware").add("event.type", "info");
            case "phishing" -> doc.add("event.category", "email").add("event.type", "info");
            case "apt" -> doc.add("event.category", "threat").add("event.type", "indicator");
            default -> {
                // unknown, other, notAvailable...: nothing to say
            }
        }
    }

    /** Who the alert is assigned to and who commented on it: related.user, as Elastic gathers them. */
    static void people(EcsDocument doc, JsonNode item) {
        doc.add("related.user", text(item, "assignedTo"));
        for (JsonNode comment : item.path("comments")) {
            doc.add("related.user", text(comment, "createdByDisplayName"));
            doc.add("related.user", text(comment, "createdBy"));
        }
    }

    /** Graph's evidence; a Defender XDR incident's alert has entities (Defender for Endpoint's names) and devices. */
    static void evidence(EcsDocument doc, JsonNode alert, Shape shape) {
        if (shape == GRAPH) {
            GraphEvidence.map(doc, alert.path("evidence"));
            return;
        }
        FlatEvidence.map(doc, alert.path("entities"));
        for (JsonNode device : alert.path("devices")) {
            EcsValues.host(doc, text(device, "deviceDnsName"), text(device, "mdeDeviceId"));
        }
    }
}
