package io.defenderalertroutes.defender;

import io.defenderalertroutes.state.DedupStore;
import io.defenderalertroutes.state.LocalDedupStore;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;

/**
 * Turns a split alert into the message every sink receives: the raw JSON as body, and the metadata a handler
 * routes on as headers. Header names are the same on Kafka records and HTTP requests.
 */
public final class AlertHeaders {

    public static final String TENANT = "Defender-Tenant";
    public static final String ALERT_ID = "Defender-Alert-Id";
    public static final String LAST_UPDATE_TIME = "Defender-Last-Update-Time";
    public static final String STATUS = "Defender-Status";
    public static final String SEVERITY = "Defender-Severity";
    public static final String CATEGORY = "Defender-Category";
    /** {@code new} for the first delivery of an alert, {@code update} for a later version of it. */
    public static final String CHANGE = "Defender-Change";
    /** {@code tenant:id:lastUpdateTime}: the same for every redelivery of one version, so a handler can drop repeats. */
    public static final String IDEMPOTENCY_KEY = "Defender-Idempotency-Key";
    /** {@code defender-api} or {@code graph}: which API the alert came from; its body is that API's JSON. */
    public static final String SOURCE = "Defender-Source";
    /** The key our own dedup uses: the alert id, or id and lastUpdateTime when every update fires. */
    public static final String DEDUP_KEY = "DefenderDedupKey";
    /** From an incidents source: the incident's id (also in Defender-Alert-Id, the key every sink uses) and its alerts. */
    public static final String INCIDENT_ID = "Defender-Incident-Id";
    public static final String ALERT_COUNT = "Defender-Alert-Count";

    private final String tenant;
    private final boolean everyUpdate;
    private final DedupStore delivered;
    private final AlertApi api;
    private volatile boolean splitIncidentAlerts;
    /** Where an incident's alerts keep their dedup keys, apart from the incidents' own. */
    static final String INCIDENT_ALERT_KEY_PREFIX = "alert:";
    /** The incident (as fetched) whose alerts are split off: the sinks may change the body and headers meanwhile. */
    private static final String INCIDENT = "DefenderIncident";

    /**
     * Whether the message's item is an alert split off an incident ({@code defender.incidents.split-alerts}): it keeps
     * its incident's source and names its incident, which is not itself. An incident source's item that names no
     * incident (a route of the user's that set only the source) is the incident, in every format alike.
     */
    public static boolean splitOffAlert(Message message) {
        String incident = message.getHeader(INCIDENT_ID, String.class);
        return incident != null && !incident.equals(message.getHeader(ALERT_ID, String.class));
    }

    /**
     * Whether the message's item is an incident of an incidents source: the incident it names is itself. An item
     * that names no incident is not one, whatever its source (CloudEvents' type says only what the headers show).
     */
    public static boolean incidentItself(Message message) {
        String incident = message.getHeader(INCIDENT_ID, String.class);
        return incident != null && incident.equals(message.getHeader(ALERT_ID, String.class));
    }

    public AlertHeaders(String tenant, boolean everyUpdate, DedupStore delivered) {
        this(tenant, everyUpdate, delivered, AlertApi.DEFENDER);
    }

    public AlertHeaders(String tenant, boolean everyUpdate, DedupStore delivered, AlertApi api) {
        this.tenant = tenant;
        this.everyUpdate = everyUpdate;
        this.delivered = delivered;
        this.api = api;
    }

    public void describe(Exchange exchange) throws InvalidPayloadException {
        Message message = exchange.getMessage();
        DefenderAlert alert = message.getMandatoryBody(DefenderAlert.class);
        message.setHeader(TENANT, tenant);
        message.setHeader(ALERT_ID, alert.id());
        message.setHeader(LAST_UPDATE_TIME, alert.lastUpdateTime());
        // criteria and handlers speak the seed guide's vocabulary whichever API answered
        setOrRemove(message, STATUS, api.statusFromApi(alert.status()));
        setOrRemove(message, SEVERITY, api.severityFromApi(alert.severity()));
        setOrRemove(message, CATEGORY, alert.category());
        message.setHeader(CHANGE, delivered.hasDelivered(alert.id()) ? "update" : "new");
        message.setHeader(SOURCE, api.key());
        if (alert.incident()) {
            message.setHeader(INCIDENT_ID, alert.id());
            message.setHeader(ALERT_COUNT, alert.alertCount());
            if (splitIncidentAlerts) {
                exchange.setProperty(INCIDENT, alert);
            }
        }
        message.setHeader(IDEMPOTENCY_KEY, tenant + ":" + alert.id() + ":" + alert.lastUpdateTime());
        String dedupKey = LocalDedupStore.key(alert.id(), alert.lastUpdateTime(), everyUpdate);
        message.setHeader(DEDUP_KEY, dedupKey);
        // the header is the idempotent consumer's and goes before the sinks; a sink that acknowledges later (the
        // Kafka sink's page batch) finds the key here
        exchange.setProperty(DEDUP_KEY, dedupKey);
        message.setBody(alert.raw());
    }

    /** With {@code defender.incidents.split-alerts}: each alert of an incident goes out as an event of its own too. */
    public void splitIncidentAlerts(boolean split) {
        this.splitIncidentAlerts = split;
    }

    /**
     * The alerts of the incident the exchange carries (its raw JSON as body, after {@link #describe}), each cut out of
     * the incident's text unchanged; none unless this tenant splits incidents.
     */
    public java.util.List<DefenderAlert> incidentAlerts(Exchange exchange) throws java.io.IOException {
        DefenderAlert fetched = exchange.getProperty(INCIDENT, DefenderAlert.class);
        if (fetched == null) {
            return java.util.List.of();
        }
        byte[] incident = fetched.raw().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.util.List<DefenderAlert> alerts = new java.util.ArrayList<>();
        try (com.fasterxml.jackson.core.JsonParser parser = new com.fasterxml.jackson.core.JsonFactory().createParser(incident)) {
            parser.nextToken();
            AlertReader.read(parser, incident, api, alerts);
        }
        return alerts;
    }

    /**
     * Describes one alert of an incident (the body, from {@link #incidentAlerts}) as the alert sources do, in the
     * words of the alert API the incidents come with (Graph's, or Defender for Endpoint's for Defender XDR), keeping
     * the incident's id: the alert's own dedup key, so that an alert already delivered does not fire again when its
     * incident changes.
     */
    public void describeIncidentAlert(Exchange exchange) throws InvalidPayloadException {
        Message message = exchange.getMessage();
        DefenderAlert alert = message.getMandatoryBody(DefenderAlert.class);
        String keyId = INCIDENT_ALERT_KEY_PREFIX + alert.id();
        // only the alert's own headers: what the incident's sinks answered stays behind
        message.getHeaders().clear();
        message.setHeader(TENANT, tenant);
        message.setHeader(SOURCE, api.key());
        message.setHeader(INCIDENT_ID, exchange.getProperty(INCIDENT, DefenderAlert.class).id());
        exchange.removeProperty(INCIDENT);
        message.setHeader(ALERT_ID, alert.id());
        message.setHeader(LAST_UPDATE_TIME, alert.lastUpdateTime());
        setOrRemove(message, STATUS, api.incidentAlerts().vocabulary().statusFromApi(alert.status()));
        setOrRemove(message, SEVERITY, api.incidentAlerts().vocabulary().severityFromApi(alert.severity()));
        setOrRemove(message, CATEGORY, alert.category());
        message.setHeader(CHANGE, delivered.hasDelivered(keyId) ? "update" : "new");
        message.setHeader(IDEMPOTENCY_KEY, tenant + ":" + alert.id() + ":" + alert.lastUpdateTime());
        String dedupKey = LocalDedupStore.key(keyId, alert.lastUpdateTime(), everyUpdate);
        message.setHeader(DEDUP_KEY, dedupKey);
        exchange.setProperty(DEDUP_KEY, dedupKey);
        message.setBody(alert.raw());
    }

    private static void setOrRemove(Message message, String name, String value) {
        if (value == null) {
            message.removeHeader(name);
        } else {
            message.setHeader(name, value);
        }
    }
}
