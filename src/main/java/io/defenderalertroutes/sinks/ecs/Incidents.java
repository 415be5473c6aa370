package io.defenderalertroutes.sinks.ecs;

import static io.defenderalertroutes.sinks.ecs.EcsValues.text;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An incident with its alerts as Elastic's Microsoft 365 Defender integration maps incidents (its {@code incident}
 * data stream's ingest pipeline): a Graph incident ({@code /security/incidents}, {@code defender.source=graph-incidents})
 * or a Defender XDR one ({@code /api/incidents}, {@code defender-incidents}). Elastic writes one document per alert of
 * an incident; the bundle delivers the incident as one document (its alerts split off as alert documents with
 * {@code defender.incidents.split-alerts}), so what ECS says of its alerts gathers every alert's: all their tactics,
 * techniques, hashes, IP addresses, users and hosts, the first evidence of a kind in the one-valued fields, the
 * earliest first activity and the latest last activity. The whole incident is under {@code m365_defender.incident}.
 */
final class Incidents {

    static final String NAMESPACE = "m365_defender.incident";
    /** Elastic's incident severities, 1 to 4; unknown (or UnSpecified) sets none. */
    static final Map<String, Integer> SEVERITIES = Map.of("informational", 1, "low", 2, "medium", 3, "high", 4);

    /** Where each API keeps what both say. */
    record Shape(String id, String name, String created, String updated, String webUrl, String tenant,
            XdrAlerts.Shape alerts) {
    }

    static final Shape GRAPH = new Shape("id", "displayName", "createdDateTime", "lastUpdateDateTime",
            "incidentWebUrl", "tenantId", XdrAlerts.GRAPH);
    static final Shape INCIDENT_API = new Shape("incidentId", "incidentName", "createdTime", "lastUpdateTime",
            "incidentUri", null, XdrAlerts.INCIDENT_API);

    private Incidents() {
    }

    static void map(JsonNode incident, Shape shape, EcsDocument doc) {
        doc.put("@timestamp", EcsValues.date(text(incident, shape.updated())));
        // Elastic's incident data stream: an incident is an event; its alerts are the alerts
        doc.put("event.kind", "event")
                .put("event.module", "m365_defender")
                .put("event.dataset", "m365_defender.incident")
                .put("event.id", text(incident, shape.id()))
                .put("event.created", EcsValues.date(text(incident, shape.created())))
                .put("event.url", text(incident, shape.webUrl()))
                .put("message", text(incident, shape.name()));
        EcsValues.severity(doc, text(incident, "severity"), SEVERITIES);
        String status = String.valueOf(text(incident, "status")).toLowerCase(Locale.ROOT);
        if (status.equals("active")) {
            doc.add("event.type", "start");
        } else if (status.equals("resolved")) {
            doc.add("event.type", "end");
        }
        XdrAlerts.determination(doc, text(incident, "determination"));
        doc.put("observer.vendor", "Microsoft").put("observer.product", "Defender XDR");
        if (shape.tenant() != null && text(incident, shape.tenant()) != null) {
            doc.put("cloud.provider", "azure").put("cloud.account.id", text(incident, shape.tenant()));
        }
        XdrAlerts.people(doc, incident);
        alerts(doc, incident.path("alerts"), shape.alerts());
        doc.put(NAMESPACE, EcsValues.snakeCase(incident));
    }

    private static void alerts(EcsDocument doc, JsonNode alerts, XdrAlerts.Shape shape) {
        String provider = null;
        boolean oneProvider = true;
        Instant first = null;
        Instant last = null;
        for (JsonNode alert : alerts) {
            String source = text(alert, "serviceSource");
            oneProvider &= provider == null || provider.equals(source);
            provider = provider == null ? source : provider;
            XdrAlerts.threat(doc, alert);
            XdrAlerts.people(doc, alert);
            XdrAlerts.evidence(doc, alert, shape);
            first = earlier(first, EcsValues.date(text(alert, shape.first())));
            Instant alertLast = EcsValues.instant(EcsValues.date(text(alert, shape.last())));
            last = last == null || (alertLast != null && alertLast.isAfter(last)) ? alertLast : last;
        }
        if (oneProvider) {
            doc.put("event.provider", provider);
        }
        EcsValues.period(doc, first == null ? null : first.toString(), last == null ? null : last.toString());
    }

    private static Instant earlier(Instant known, String date) {
        Instant other = EcsValues.instant(date);
        return known == null || (other != null && other.isBefore(known)) ? other : known;
    }
}
