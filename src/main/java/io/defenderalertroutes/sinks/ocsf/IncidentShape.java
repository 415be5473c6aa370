package io.defenderalertroutes.sinks.ocsf;

import java.util.HashSet;
import java.util.Set;

/**
 * Where each incident API keeps what both say: Graph's {@code /security/incidents} and Defender XDR's
 * {@code /api/incidents} differ in names, in their alerts' shape, and in what Defender XDR leaves out (a description,
 * the tenant, a resolving comment).
 */
public enum IncidentShape {
    GRAPH("id", "displayName", "description", "incidentWebUrl", "lastUpdateDateTime", "tenantId",
            "resolvingComment", AlertShape.GRAPH),
    DEFENDER_XDR("incidentId", "incidentName", null, "incidentUri", "lastUpdateTime", null, null,
            AlertShape.XDR_INCIDENT_ALERT);

    private final String id;
    private final String title;
    private final String description;
    private final String url;
    private final String updated;
    private final String tenant;
    private final String resolvingComment;
    private final AlertShape alerts;
    private final Set<String> mapped;

    IncidentShape(String id, String title, String description, String url, String updated, String tenant,
            String resolvingComment, AlertShape alerts) {
        this.id = id;
        this.title = title;
        this.description = description;
        this.url = url;
        this.updated = updated;
        this.tenant = tenant;
        this.resolvingComment = resolvingComment;
        this.alerts = alerts;
        Set<String> all = new HashSet<>(Set.of(id, title, url, updated, "assignedTo", "classification", "status",
                "severity", "alerts"));
        for (String optional : new String[] {description, tenant, resolvingComment}) {
            if (optional != null) {
                all.add(optional);
            }
        }
        this.mapped = Set.copyOf(all);
    }

    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    /** Null where the API has no such field. */
    public String description() {
        return description;
    }

    public String url() {
        return url;
    }

    public String updated() {
        return updated;
    }

    /** Null where the API has no such field. */
    public String tenant() {
        return tenant;
    }

    /** Null where the API has no such field. */
    public String resolvingComment() {
        return resolvingComment;
    }

    /** The shape of the alerts inside the incident. */
    public AlertShape alerts() {
        return alerts;
    }

    /** The incident's fields an Incident Finding places; every other one goes to {@code unmapped}. */
    public Set<String> mapped() {
        return mapped;
    }
}
