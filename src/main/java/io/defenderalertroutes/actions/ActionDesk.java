package io.defenderalertroutes.actions;

import java.time.Clock;
import java.util.Map;

import io.defenderalertroutes.gate.HttpGate;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;

/**
 * Where a request comes in: parsed, checked against the tenants this deployment serves and the actions each allows,
 * and matched with a stored result of the same requestId. Whatever comes in leaves as an {@link ActionRun} on the
 * exchange; a request that cannot run carries its rejection, and nothing is called for it.
 */
public final class ActionDesk {

    /** The exchange property naming who asked (a Kafka record's topic/partition/offset, or {@code direct}). */
    public static final String ORIGIN = "DefenderActionOrigin";
    /** The exchange property keeping a Kafka record's commit handle while the action route clears the headers. */
    static final String KAFKA_COMMIT = "DefenderKafkaCommit";
    /** The exchange property holding a Kafka record's requestId, by which it is keyed. */
    static final String REQUEST_ID = "DefenderActionRequestId";
    /**
     * The exchange properties the action route's throttles go by: the tenant's endpoint an action counts against,
     * and that endpoint's own limits per minute and per hour, each unset where it has none.
     */
    static final String ENDPOINT = "DefenderActionEndpoint";
    static final String PER_MINUTE = "DefenderActionEndpointPerMinute";
    static final String PER_HOUR = "DefenderActionEndpointPerHour";
    /** The record header naming where the bundle first read a request it then keyed by its requestId. */
    static final String FIRST_READ_AT = "Defender-Action-Origin";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final Map<String, ActionTenant> tenants;
    private final ActionResults results;
    private final Clock clock;

    public ActionDesk(Map<String, ActionTenant> tenants, ActionResults results, Clock clock) {
        // read at each use: tenants come and go while the bundle runs (defender.tenants.dir)
        this.tenants = tenants;
        this.results = results;
        this.clock = clock;
    }

    public boolean anyAllowed() {
        return tenants.values().stream().anyMatch(t -> !t.allowed().isEmpty());
    }

    /** Takes a request in to run it: checked, then its requestId claimed (or answered from its kept result). */
    public void accept(Exchange exchange) {
        intake(exchange, true);
    }

    /**
     * Checks a request that is to run later (HTTP: it is put in the inbox first): rejected or repeated as
     * {@link #accept} would, but nothing claimed yet.
     */
    public void check(Exchange exchange) {
        intake(exchange, false);
    }

    private void intake(Exchange exchange, boolean claim) {
        String origin = exchange.getProperty(ORIGIN, String.class);
        if (origin == null) {
            // over HTTP: the credential the caller proved itself with
            String passed = exchange.getProperty(HttpGate.PASSED, String.class);
            origin = passed == null ? "direct" : "http:" + passed;
            exchange.setProperty(ORIGIN, origin);
        }
        java.time.Instant now = clock.instant();
        ActionRun run;
        try {
            ActionRequest request = ActionRequest.parse(exchange.getMessage().getBody(String.class), origin, now);
            ActionTenant tenant = tenants.get(request.tenant());
            if (tenant == null) {
                throw new ActionRequest.Rejected("unknown tenant '" + request.tenant() + "'; this deployment serves "
                        + String.join(", ", tenants.keySet()), request.requestId(), request.tenant(),
                        request.kind().key(), request.target());
            }
            if (!tenant.allowed().contains(request.kind())) {
                throw new ActionRequest.Rejected(request.kind().key() + " is not allowed for tenant '"
                        + request.tenant() + "': add it to " + allowedKey(request.tenant()), request.requestId(),
                        request.tenant(), request.kind().key(), request.target());
            }
            run = results.recall(request.requestId()).map(stored -> ActionRun.ofRepeat(request, stored))
                    .orElseGet(() -> !claim || results.claim(request.requestId()) ? new ActionRun(request, tenant)
                            : ActionRun.ofClaimed(request, now));
            if (!run.repeated() && !run.executed()) {
                exchange.setProperty(ActionRun.PROPERTY, run);
                return;
            }
            exchange.setProperty(REQUEST_ID, request.requestId());
            if (!run.repeated()) {
                tenant.tenant().putOn(exchange);
                ActionKind kind = request.kind();
                exchange.setProperty(ENDPOINT, tenant.tenant().name() + " " + kind.endpoint());
                exchange.setProperty(PER_MINUTE, kind.callsPerMinute() == Integer.MAX_VALUE ? null : kind.callsPerMinute());
                exchange.setProperty(PER_HOUR, kind.callsPerHour() == Integer.MAX_VALUE ? null : kind.callsPerHour());
            }
        } catch (ActionRequest.Rejected rejected) {
            run = ActionRun.ofRejection(rejected.result(origin, now, now));
        }
        exchange.setProperty(ActionRun.PROPERTY, run);
    }

    private String allowedKey(String tenant) {
        return tenants.size() == 1 ? "defender.actions.allowed" : "defender.tenant." + tenant + ".actions.allowed";
    }

    /**
     * A request record from Kafka: who asked (its topic, partition and offset, and where it was first read when
     * it is a copy the bundle keyed by its requestId) and its requestId, if it has one.
     */
    public void readKafkaRecord(Exchange exchange) {
        Message message = exchange.getMessage();
        String here = "kafka:" + message.getHeader(KafkaConstants.TOPIC) + "/" + message.getHeader(KafkaConstants.PARTITION)
                + "/" + message.getHeader(KafkaConstants.OFFSET);
        String first = message.getHeader(FIRST_READ_AT, String.class);
        exchange.setProperty(ORIGIN, first == null ? here : first + " (then " + here + ")");
        exchange.setProperty(REQUEST_ID, requestIdOf(exchange));
    }

    /** The request's requestId, or null when it has none (the action route rejects it, with the reason). */
    private static String requestIdOf(Exchange exchange) {
        try {
            com.fasterxml.jackson.databind.JsonNode id = JSON.readTree(exchange.getMessage().getBody(String.class))
                    .get("requestId");
            return id != null && id.isTextual() ? id.asText() : null;
        } catch (Exception malformed) {
            return null;
        }
    }

    /**
     * A request taken from the inbox: its first line is who asked over HTTP, the rest the request as it came. Its
     * requestId, if it has one, is what it is keyed by on the request topic.
     */
    public void fromInbox(Exchange exchange) {
        String text = exchange.getMessage().getBody(String.class);
        int newline = text.indexOf('\n');
        exchange.setProperty(ORIGIN, newline < 0 ? "http" : text.substring(0, newline));
        exchange.getMessage().setBody(newline < 0 ? text : text.substring(newline + 1));
        exchange.setProperty(REQUEST_ID, requestIdOf(exchange));
    }

    /** After a Kafka request was handled, whatever its outcome: its offset is committed, so it is not read again. */
    public void commitKafkaOffset(Exchange exchange) {
        KafkaManualCommit commit = exchange.getProperty(KAFKA_COMMIT, KafkaManualCommit.class);
        if (commit != null) {
            commit.commit();
        }
    }
}
