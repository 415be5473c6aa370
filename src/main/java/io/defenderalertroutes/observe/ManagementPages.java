package io.defenderalertroutes.observe;

import io.defenderalertroutes.config.Settings;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import io.defenderalertroutes.gate.HttpGate;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bundle's pages on Camel's management port, beside health and metrics: {@code GET <path>/status} (HTML),
 * {@code <path>/status.json}, {@code POST <path>/dead-letters/replay} and
 * {@code POST <path>/tenants/{tenant}/poll}. Camel's platform-http routes serve the
 * application's own server, not the management one, so each page is a Vert.x route on the management router that
 * hands the request to its Camel route ({@code routes/observe.camel.yaml}), where the gate and the work are.
 */
public final class ManagementPages {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementPages.class);

    private ManagementPages() {
    }

    private static boolean loopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }

    /**
     * @param nextPoll by tenant name, when its timer fires next (null: not scheduled)
     * @param notices  what the page shows above the tenants, asked each time it is shown
     */
    public static void configure(CamelContext context, Settings settings, java.util.Collection<StatusReport.TenantView> views,
            Function<String, Instant> nextPoll, Supplier<List<StatusReport.Notice>> notices, Clock clock) throws Exception {
        String host = settings.string("camel.management.host", "0.0.0.0");
        java.util.Optional<String> token = settings.sensitive("defender.management.token");
        if (token.isPresent() && token.get().length() < 16) {
            throw settings.problem("defender.management.token", "is too short to guard anything: use 16 characters or more");
        }
        context.getRegistry().bind("defenderManagementGate", HttpGate.forManagement(token.orElse(null), loopback(host)));
        context.getRegistry().bind("defenderStatus", new StatusReport(views, nextPoll, notices, clock));
        context.getRegistry().bind("defenderPollOnDemand", new PollOnDemand(views, PollOnDemand.WAIT));
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
                serve(server, HttpMethod.POST, path + "/tenants/:tenant/poll", producer, "direct:defender-on-demand-poll");
                serve(server, HttpMethod.POST, path + "/tenants/reload", producer, "direct:defender-tenants-reload-now");
                LOG.info("Status page at http://{}:{}{}/status{}", host, server.getPort(), path,
                        token.isPresent() ? " (management token required)" : loopback(host) ? ""
                                : " (locked: set defender.management.token to open it beyond localhost)");
            }
        });
    }

    private static void serve(ManagementHttpServer server, HttpMethod method, String path, ProducerTemplate producer,
            String endpoint) {
        server.getRouter().route(method, path).blockingHandler((RoutingContext ctx) -> {
            Exchange exchange = producer.send(endpoint, e -> {
                String tenant = ctx.pathParam("tenant");
                if (tenant != null) {
                    e.getMessage().setHeader(PollOnDemand.TENANT, tenant);
                }
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
