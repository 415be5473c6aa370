package io.defenderalertroutes.app;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import io.defenderalertroutes.gate.HttpGate;
import io.defenderalertroutes.observe.StatusReport;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.component.quartz.QuartzComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bundle's pages on Camel's management port, beside health and metrics: {@code GET <path>/status} (HTML),
 * {@code <path>/status.json} and {@code POST <path>/dead-letters/replay}. Camel's platform-http routes serve the
 * application's own server, not the management one, so each page is a Vert.x route on the management router that
 * hands the request to its Camel route ({@code routes/observe.camel.yaml}), where the gate and the work are.
 */
final class ManagementPages {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementPages.class);

    private ManagementPages() {
    }

    private static boolean loopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }

    /** The response actions' Kafka, while its brokers do not answer (bound by ResponseActions, asked when shown). */
    private static List<StatusReport.Notice> notices(CamelContext context) {
        io.defenderalertroutes.actions.ActionBroker broker = context.getRegistry().lookupByNameAndType(
                "defenderActionBroker", io.defenderalertroutes.actions.ActionBroker.class);
        return broker == null ? List.of() : broker.outage()
                .map(why -> List.of(new StatusReport.Notice("Response actions", why, broker.fix()))).orElse(List.of());
    }

    static void configure(CamelContext context, Settings settings, List<TenantPipeline> tenants, Clock clock)
            throws Exception {
        String host = settings.string("camel.management.host", "0.0.0.0");
        java.util.Optional<String> token = settings.sensitive("defender.management.token");
        if (token.isPresent() && token.get().length() < 16) {
            throw settings.problem("defender.management.token", "is too short to guard anything: use 16 characters or more");
        }
        context.getRegistry().bind("defenderManagementGate", HttpGate.forManagement(token.orElse(null), loopback(host)));
        List<StatusReport.TenantView> views = tenants.stream().map(t -> new StatusReport.TenantView(t.name(),
                t.alertQuery().source(), t.criteria().toString(), String.join(", ", t.sinks().names()), t.health(),
                t.checkpoints())).toList();
        context.getRegistry().bind("defenderStatus", new StatusReport(views, tenant -> nextPoll(context, tenant),
                () -> notices(context), clock));
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) {
                ManagementHttpServer server = ctx.hasService(ManagementHttpServer.class);
                if (server == null || server.getRouter() == null) {
                    return;
                }
                ProducerTemplate producer = ctx.createProducerTemplate();
                // beside health and metrics: /observe unless camel.management.health-path moved them
                String health = server.getHealthPath();
                String path = health.lastIndexOf('/') > 0 ? health.substring(0, health.lastIndexOf('/')) : "/observe";
                serve(server, HttpMethod.GET, path + "/status", producer, "direct:defender-status-page");
                serve(server, HttpMethod.GET, path + "/status.json", producer, "direct:defender-status-json");
                serve(server, HttpMethod.POST, path + "/dead-letters/replay", producer, "direct:defender-dead-letter-replay-now");
                LOG.info("Status page at http://{}:{}{}/status{}", host, server.getPort(), path,
                        token.isPresent() ? " (management token required)" : loopback(host) ? ""
                                : " (locked: set defender.management.token to open it beyond localhost)");
            }
        });
    }

    private static Instant nextPoll(CamelContext context, String tenant) {
        try {
            QuartzComponent quartz = context.getComponent("quartz", QuartzComponent.class);
            org.quartz.Trigger trigger = quartz.getScheduler().getTrigger(TenantRoutes.pollTrigger(tenant));
            return trigger == null || trigger.getNextFireTime() == null ? null : trigger.getNextFireTime().toInstant();
        } catch (Exception e) {
            return null;
        }
    }

    private static void serve(ManagementHttpServer server, HttpMethod method, String path, ProducerTemplate producer,
            String endpoint) {
        server.getRouter().route(method, path).blockingHandler((RoutingContext ctx) -> {
            Exchange exchange = producer.send(endpoint, e -> {
                for (String header : List.of("Authorization", "X-Requested-By")) {
                    String value = ctx.request().getHeader(header);
                    if (value != null) {
                        e.getMessage().setHeader(header, value);
                    }
                }
            });
            var response = ctx.response();
            if (exchange.getException() != null) {
                LOG.warn("{} {} failed: {}", method, path, exchange.getException().toString());
                response.setStatusCode(500).putHeader("Content-Type", "text/plain; charset=utf-8")
                        .end("failed: " + exchange.getException().getClass().getSimpleName() + "\n");
                return;
            }
            var message = exchange.getMessage();
            response.setStatusCode(message.getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class));
            response.putHeader("Content-Type", message.getHeader(Exchange.CONTENT_TYPE, "text/plain", String.class));
            response.putHeader("Cache-Control", "no-store");
            String challenge = message.getHeader("WWW-Authenticate", String.class);
            if (challenge != null) {
                response.putHeader("WWW-Authenticate", challenge);
            }
            // read once: a marshalled body may be a stream
            String body = message.getBody(String.class);
            response.end(body == null ? "" : body);
        }, false);
    }
}
