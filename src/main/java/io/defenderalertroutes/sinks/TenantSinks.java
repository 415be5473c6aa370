package io.defenderalertroutes.sinks;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.defenderalertroutes.tenant.SinkSettings;
import io.defenderalertroutes.tenant.Tenant;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;

/**
 * What the shared sink routes need of the alert's tenant that a simple expression cannot say: its Kafka topic
 * (which may itself be an expression) and, for the HTTP sink's loop, its playbook handlers, each called with its own
 * signature.
 */
public final class TenantSinks {

    /** The exchange property holding the URL of the handler being called. */
    public static final String HANDLER_URL = "DefenderHandlerUrl";
    /** The position (from 1) of the handler being called: a dead letter records it, so that a replay calls only it. */
    public static final String HANDLER_POSITION = "DefenderHandlerPosition";

    private final Map<String, Expression> topics = new ConcurrentHashMap<>();

    /** The tenant's topic for this alert; written with {@code ${...}}, evaluated (compiled once per topic). */
    public String kafkaTopic(Exchange exchange) {
        String topic = Tenant.of(exchange).sinks().kafkaTopic();
        if (!topic.contains("${")) {
            return topic;
        }
        return topics.computeIfAbsent(topic, t -> exchange.getContext().resolveLanguage("simple").createExpression(t))
                .evaluate(exchange, String.class);
    }

    /**
     * The sinks' error handler's one question (routes/dead-letters.camel.yaml, defender-sink-errors): whether the
     * failed sink hands the alert to the dead letter. Not when there is none ({@code defender.dead-letter=none}: the
     * poll fails and the alert comes again), nor for a replayed dead letter (its failure goes back to the replay,
     * which keeps the letter), nor for a sink of the tenant's that holds ({@code on-failure=hold}: its failure fails
     * the poll instead, keeping the checkpoint and the dedup keys) unless the failure is permanent
     * ({@link PermanentFailure}).
     */
    public boolean deadLettersOnFailure(Exchange exchange) {
        if ("none".equals(exchange.getContext().resolvePropertyPlaceholders("{{defender.dead-letter}}"))
                || exchange.getProperty(DeadLetterReplay.REPLAY, false, Boolean.class)) {
            return false;
        }
        String route = exchange.getProperty(Exchange.FAILURE_ROUTE_ID, String.class);
        if (route == null) {
            route = org.apache.camel.support.ExchangeHelper.getAtRouteId(exchange);
        }
        org.apache.camel.Route failed = route == null ? null : exchange.getContext().getRoute(route);
        if (failed == null) {
            return true;
        }
        String endpoint = failed.getEndpoint().getEndpointUri().replace("direct://", "direct:");
        // a failure that will not pass (a record Kafka refuses) is dead-lettered even by a holding sink: holding it
        // would stop the tenant's polls for good
        return !Tenant.of(exchange).sinks().holding().contains(endpoint)
                || PermanentFailure.is(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class))
                || PermanentFailure.is(exchange.getException());
    }

    /** How many handlers the tenant has; none fails the alert (to the dead letter, with this reason). */
    public int handlerCount(Exchange exchange) {
        Tenant tenant = Tenant.of(exchange);
        if (tenant.sinks().handlers().isEmpty()) {
            throw new IllegalStateException("tenant " + tenant.name() + " has no playbook handler: set "
                    + "defender.sink.http.urls (or defender.tenant." + tenant.name() + ".sink.http.urls)");
        }
        // a replayed dead letter goes to the one handler that failed, not again to those that took it
        return exchange.getProperty(DeadLetterReplay.REPLAY_HANDLER) != null ? 1 : tenant.sinks().handlers().size();
    }

    /** Addresses and signs the request for the handler of this loop iteration. */
    public void prepareHandler(Exchange exchange) throws Exception {
        Integer replayTo = exchange.getProperty(DeadLetterReplay.REPLAY_HANDLER, Integer.class);
        int index = replayTo != null ? replayTo - 1 : exchange.getProperty(Exchange.LOOP_INDEX, 0, Integer.class);
        List<SinkSettings.Handler> handlers = Tenant.of(exchange).sinks().handlers();
        if (index >= handlers.size()) {
            throw new PermanentFailure.NoSuchHandlerException("the dead letter names handler " + (index + 1) + " of tenant "
                    + Tenant.nameOf(exchange) + ", which has " + handlers.size() + " now");
        }
        SinkSettings.Handler handler = handlers.get(index);
        exchange.setProperty(HANDLER_URL, handler.url());
        exchange.setProperty(HANDLER_POSITION, index + 1);
        handler.signer().process(exchange);
    }
}
