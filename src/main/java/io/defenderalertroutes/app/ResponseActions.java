package io.defenderalertroutes.app;

import io.defenderalertroutes.actions.ActionBroker;
import io.defenderalertroutes.actions.ActionCalls;
import io.defenderalertroutes.actions.ActionDesk;
import io.defenderalertroutes.actions.ActionResults;
import io.defenderalertroutes.actions.ActionTenant;
import io.defenderalertroutes.assembly.TenantParts;
import io.defenderalertroutes.config.Settings;
import io.defenderalertroutes.observe.KafkaReachHealthCheck;
import io.defenderalertroutes.observe.StatusReport;
import io.defenderalertroutes.signing.HandlerSigner;
import io.defenderalertroutes.sinks.Callbacks;
import io.defenderalertroutes.tenant.SinkSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The beans of the action routes ({@code routes/action-*.camel.yaml}), bound whether or not a tenant allows actions
 * (the routes are loaded either way); the Kafka request consumer is started only when one does.
 */
final class ResponseActions {

    private static final Logger LOG = LoggerFactory.getLogger(ResponseActions.class);
    static final String KAFKA_ROUTE = "defender-actions-kafka";
    static final List<String> HTTP_ROUTES = List.of("defender-actions-http", "defender-actions-http-result",
            "defender-actions-inbox");
    static final String OUTBOX_ROUTE = "defender-action-outbox";
    static final String BROKER_CHECK_ROUTE = "defender-actions-broker-check";

    private ResponseActions() {
    }

    /** The result callbacks, each with its own or the shared secret and token (as the alert handlers). */
    private static Callbacks callbacks(Settings settings, boolean required, Clock clock) {
        String key = "defender.actions.results.http.urls";
        List<String> urls = settings.list(key, "");
        if (required && urls.isEmpty()) {
            throw settings.problem(key, "is required when defender.actions.results includes http: one or more URLs");
        }
        java.util.Optional<String> secret = settings.sensitive("defender.actions.results.http.signing-secret");
        java.util.Optional<String> bearer = settings.sensitive("defender.actions.results.http.bearer-token");
        List<SinkSettings.Handler> handlers = new java.util.ArrayList<>();
        for (String url : urls) {
            settings.checkHttpUrl(key, url);
            handlers.add(new SinkSettings.Handler(url, new HandlerSigner(secret.orElse(null), bearer.orElse(null), clock)));
        }
        return new Callbacks(handlers);
    }

    /**
     * Readiness of the actions' Kafka, under the id of Camel's own check of the consumer route (which it replaces):
     * DOWN with the reason and the hint while the brokers do not answer.
     */
    private static void registerHealthCheck(CamelContext context, ActionBroker broker, String routeId) {
        org.apache.camel.health.HealthCheckRegistry health = org.apache.camel.health.HealthCheckRegistry.get(context);
        if (health == null) {
            return;
        }
        KafkaReachHealthCheck check = new KafkaReachHealthCheck(routeId, broker::bootstrapServers, broker::problem);
        check.setCamelContext(context);
        health.register(check);
    }

    /** The response actions' Kafka, while its brokers do not answer (asked each time the status page is shown). */
    static List<StatusReport.Notice> notices(CamelContext context) {
        ActionBroker broker = context.getRegistry().lookupByNameAndType(
                "defenderActionBroker", ActionBroker.class);
        return broker == null ? List.of() : broker.outage()
                .map(why -> List.of(new StatusReport.Notice("Response actions", why, broker.fix()))).orElse(List.of());
    }

    /** @param byName the tenants' actions, read at each request (tenants come and go while the bundle runs) */
    /** @return whether the response actions run (some tenant of the start-up allows one) */
    static boolean configure(CamelContext context, Settings settings, Map<String, ActionTenant> byName, Clock clock)
            throws Exception {
        List<String> sinks = settings.list("defender.actions.results");
        for (String sink : sinks) {
            if (!sink.contains(":") && !List.of("kafka", "file", "http").contains(sink)) {
                throw settings.problem("defender.actions.results", "unknown result sink '" + sink
                        + "'; expected kafka, file, http or an endpoint URI");
            }
        }
        context.getRegistry().bind("defenderActionCallbacks", callbacks(settings, sinks.contains("http"), clock));
        Duration wait = settings.duration("defender.actions.wait", Duration.ofMinutes(1), Duration.ofMinutes(50));
        String topic = settings.string("defender.actions.topic");
        boolean anyAllowed = byName.values().stream().anyMatch(t -> !t.allowed().isEmpty());
        ActionBroker broker = anyAllowed && (!topic.equals("none") || sinks.contains("kafka"))
                ? new ActionBroker(() -> context.getComponent("kafka",
                        org.apache.camel.component.kafka.KafkaComponent.class).getConfiguration().getBrokers(),
                        topic.equals("none") ? null : topic,
                        sinks.contains("kafka") ? settings.string("defender.actions.results.topic") : null, clock)
                : ActionBroker.unused();
        context.getRegistry().bind("defenderActionBroker", broker);
        // the inbox and the outbox do not even look at their files while what they would hand them to is away
        context.getRegistry().bind("defenderActionInboxFilter",
                (org.apache.camel.component.file.GenericFileFilter<Object>) file -> !broker.holdsRequests());
        context.getRegistry().bind("defenderActionOutboxFilter",
                (org.apache.camel.component.file.GenericFileFilter<Object>) file -> !broker.holdsResults());
        ActionResults results = new ActionResults(Path.of(settings.string("defender.actions.store-dir")), sinks, broker,
                clock);
        ActionDesk desk = new ActionDesk(byName, results, clock);
        ActionCalls calls = new ActionCalls(wait,
                settings.duration("defender.actions.check-after", Duration.ofMillis(10), Duration.ofMinutes(10)), clock);
        java.util.Optional<String> port = settings.optional("defender.actions.http.port");
        java.util.Optional<String> bearer = settings.sensitive("defender.actions.http.bearer-token");
        java.util.Optional<String> signing = settings.sensitive("defender.actions.http.signing-secret");
        int httpPort = port.isEmpty() ? -1 : settings.integer("defender.actions.http.port", 1, 65535);
        if (httpPort > 0 && bearer.isEmpty() && signing.isEmpty()) {
            throw settings.problem("defender.actions.http.port", "the actions endpoint executes what it is asked: set "
                    + "defender.actions.http.bearer-token and/or defender.actions.http.signing-secret (as environment "
                    + "variables) before opening it");
        }
        context.getRegistry().bind("defenderActionGate", io.defenderalertroutes.gate.HttpGate.forActions(bearer.orElse(null), signing.orElse(null), clock));
        context.getRegistry().bind("defenderActionDesk", desk);
        context.getRegistry().bind("defenderActionCalls", calls);
        context.getRegistry().bind("defenderActionResults", results);
        if (!desk.anyAllowed()) {
            return false;
        }
        byName.forEach((name, t) -> {
            if (!t.allowed().isEmpty()) {
                LOG.info("Tenant {} allows the response actions {}", name, t.allowed().stream().map(k -> k.key()).sorted()
                        .toList());
            }
        });
        // what carries results out in the background, and what watches the brokers, run whatever the inputs
        List<String> inputs = new java.util.ArrayList<>(List.of(OUTBOX_ROUTE));
        if (broker.used()) {
            inputs.add(BROKER_CHECK_ROUTE);
            registerHealthCheck(context, broker, topic.equals("none") ? "defender-action-result-kafka" : KAFKA_ROUTE);
        }
        if (!topic.equals("none")) {
            inputs.add(KAFKA_ROUTE);
        }
        if (httpPort > 0) {
            // a server of its own, beside the management port: camel.server.* stays the application's
            org.apache.camel.component.platform.http.main.MainHttpServer server =
                    new org.apache.camel.component.platform.http.main.MainHttpServer();
            server.setCamelContext(context);
            server.setHost(settings.string("defender.actions.http.host"));
            server.setPort(httpPort);
            server.setPath("/");
            context.addService(server);
            inputs.addAll(HTTP_ROUTES);
        }
        if (httpPort <= 0 && topic.equals("none")) {
            LOG.info("Action requests come from direct:defender-action only (defender.actions.topic=none)");
        }
        // once every route is up (onCamelContextStarted comes before the routes start)
        context.addStartupListener(new org.apache.camel.StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) throws Exception {
                // before the first request is taken: a broker away from the start is said at start-up, and the
                // first POST /actions already knows
                broker.check();
                for (String route : inputs) {
                    // a route that does not start with the context is known by its status only (getRoute has none)
                    if (ctx.getRouteController().getRouteStatus(route) != null) {
                        ctx.getRouteController().startRoute(route);
                    }
                }
                if (inputs.contains(KAFKA_ROUTE)) {
                    LOG.info("Action requests are read from the Kafka topic {}", topic);
                }
                if (httpPort > 0) {
                    LOG.info("Action requests are taken at POST http://{}:{}/actions", settings.string("defender.actions.http.host"), httpPort);
                }
            }
        });
        return true;
    }
}
