package io.defenderalertroutes.app;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.defenderalertroutes.actions.ActionCalls;
import io.defenderalertroutes.actions.ActionDesk;
import io.defenderalertroutes.actions.ActionResults;
import io.defenderalertroutes.actions.ActionTenant;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The beans of the action routes ({@code routes/actions.camel.yaml}), bound whether or not a tenant allows actions
 * (the routes are loaded either way); the Kafka request consumer is started only when one does.
 */
final class ResponseActions {

    private static final Logger LOG = LoggerFactory.getLogger(ResponseActions.class);
    static final String KAFKA_ROUTE = "defender-actions-kafka";

    private ResponseActions() {
    }

    static void configure(CamelContext context, Settings settings, List<TenantPipeline> tenants, Clock clock)
            throws Exception {
        Map<String, ActionTenant> byName = new LinkedHashMap<>();
        for (TenantPipeline tenant : tenants) {
            byName.put(tenant.name(), new ActionTenant(tenant.tenant(), tenant.tokenEnricher(), tenant.apiUrl(),
                    tenant.allowedActions()));
        }
        List<String> sinks = settings.list("defender.actions.results");
        for (String sink : sinks) {
            if (!sink.contains(":") && !sink.equals("kafka") && !sink.equals("file")) {
                throw settings.problem("defender.actions.results", "unknown result sink '" + sink
                        + "'; expected kafka, file or an endpoint URI");
            }
        }
        ActionResults results = new ActionResults(Path.of(settings.string("defender.actions.store-dir")), sinks, clock);
        ActionDesk desk = new ActionDesk(byName, results, clock);
        ActionCalls calls = new ActionCalls(Duration.ofMinutes(settings.integer("defender.actions.wait-minutes", 1, 50)),
                Duration.ofMillis(settings.integer("defender.actions.check-after-ms", 10, 600_000)), clock);
        String topic = settings.string("defender.actions.topic");
        context.getRegistry().bind("defenderActionDesk", desk);
        context.getRegistry().bind("defenderActionCalls", calls);
        context.getRegistry().bind("defenderActionResults", results);
        if (!desk.anyAllowed()) {
            return;
        }
        tenants.stream().filter(t -> !t.allowedActions().isEmpty()).forEach(t -> LOG.info("Tenant {} allows the "
                + "response actions {}", t.name(), t.allowedActions().stream().map(k -> k.key()).toList()));
        if (topic.equals("none")) {
            LOG.info("Action requests come from direct:defender-action only (defender.actions.topic=none)");
            return;
        }
        // once every route is up (onCamelContextStarted comes before the routes start)
        context.addStartupListener(new org.apache.camel.StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) throws Exception {
                // a route that does not start with the context is known by its status only (getRoute has none)
                if (ctx.getRouteController().getRouteStatus(KAFKA_ROUTE) != null) {
                    ctx.getRouteController().startRoute(KAFKA_ROUTE);
                    LOG.info("Action requests are read from the Kafka topic {}", topic);
                }
            }
        });
    }
}
