package io.defenderalertroutes.sinks.ocsf;

import java.util.HashSet;
import java.util.Set;

/**
 * Where each API keeps what all its alerts say: Defender for Endpoint's {@code /api/alerts}, Graph's alerts_v2 (alone
 * or inside a Graph incident) and the alerts inside a Defender XDR incident differ in names, not in meaning.
 */
public enum AlertShape {
    DEFENDER_FOR_ENDPOINT("Microsoft Defender for Endpoint", "id", "alertCreationTime", "firstEventTime",
            "lastEventTime", "lastUpdateTime", "aadTenantId", "evidence", Set.of("machineId", "computerDnsName")),
    // alerts_v2 gathers every Defender product's alerts: the product is XDR, serviceSource says which one
    GRAPH("Microsoft Defender XDR", "id", "createdDateTime", "firstActivityDateTime", "lastActivityDateTime",
            "lastUpdateDateTime", "tenantId", "evidence", Set.of()),
    // an XDR incident's alert names no tenant, and carries its devices apart from its other entities
    XDR_INCIDENT_ALERT("Microsoft Defender XDR", "alertId", "creationTime", "firstActivity", "lastActivity",
            "lastUpdatedTime", null, "entities", Set.of("devices"));

    private final String product;
    private final String id;
    private final String created;
    private final String first;
    private final String last;
    private final String updated;
    private final String tenant;
    private final String evidence;
    private final Set<String> findingInfoFields;
    private final Set<String> mapped;

    AlertShape(String product, String id, String created, String first, String last, String updated, String tenant,
            String evidence, Set<String> alsoMapped) {
        this.product = product;
        this.id = id;
        this.created = created;
        this.first = first;
        this.last = last;
        this.updated = updated;
        this.tenant = tenant;
        this.evidence = evidence;
        this.findingInfoFields = Set.of(id, "title", "description", created, first, last, updated, "category",
                "detectorId", "incidentId", "mitreTechniques");
        Set<String> all = new HashSet<>(findingInfoFields);
        all.addAll(Set.of("severity", "status", "detectionSource", evidence));
        all.addAll(alsoMapped);
        if (tenant != null) {
            all.add(tenant);
        }
        this.mapped = Set.copyOf(all);
    }

    public String product() {
        return product;
    }

    public String id() {
        return id;
    }

    public String created() {
        return created;
    }

    public String first() {
        return first;
    }

    public String last() {
        return last;
    }

    public String updated() {
        return updated;
    }

    /** The field naming the tenant's directory id; null where the alert has none. */
    public String tenant() {
        return tenant;
    }

    /** The array of the alert's evidence (Defender XDR calls it entities). */
    public String evidence() {
        return evidence;
    }

    /** The fields a {@code finding_info} takes: all an incident's finding keeps of each of its alerts. */
    public Set<String> findingInfoFields() {
        return findingInfoFields;
    }

    /**
     * The times a finding_info takes only when they are times (epoch milliseconds); the last update is kept as
     * written in {@code metadata.original_time} either way.
     */
    public Set<String> times() {
        return Set.of(created, first, last);
    }

    /** The fields a Detection Finding places; every other one goes to {@code unmapped}. */
    public Set<String> mapped() {
        return mapped;
    }
}
