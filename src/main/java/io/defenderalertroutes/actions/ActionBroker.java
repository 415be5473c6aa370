package io.defenderalertroutes.actions;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the Kafka brokers the actions depend on (the request topic, the results topic) answer, checked every few
 * seconds by the route {@code defender-actions-broker-check}. A TCP connection to a bootstrap server is enough: the
 * question is "does a broker answer", and a Kafka client of our own would add one more client logging connection
 * warnings while it does not. A broker that answers but refuses us (credentials, TLS) shows in the Kafka clients'
 * own errors instead.
 */
public final class ActionBroker {

    /** What a deployment without a broker sets instead; said wherever the problem is shown. */
    public static final String HINT = "without Kafka, set defender.actions.topic=none and defender.actions.results=file";

    private static final Logger LOG = LoggerFactory.getLogger(ActionBroker.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 2000;
    private static final Duration SAY_AGAIN_AFTER = Duration.ofMinutes(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<String> bootstrapServers;
    private final boolean requests;
    private final boolean results;
    private final Clock clock;
    /** What of the actions needs the brokers, and the Kafka clients that do. */
    private final List<String> uses = new ArrayList<>();
    private final List<String> clients = new ArrayList<>();
    private volatile String problem;
    private Instant lastSaid;

    /**
     * @param bootstrapServers the Kafka component's brokers, asked at each check (the component is configured after
     *        the bundle's beans are made)
     * @param requestTopic the topic requests go through, or null (defender.actions.topic=none)
     * @param resultTopic the topic results go to, or null (no kafka in defender.actions.results)
     */
    public ActionBroker(Supplier<String> bootstrapServers, String requestTopic, String resultTopic,
            Clock clock) {
        this.bootstrapServers = bootstrapServers;
        this.requests = requestTopic != null;
        this.results = resultTopic != null;
        this.clock = clock;
        if (requests) {
            uses.add("the request topic " + requestTopic + " (defender.actions.topic)");
            // the client ids set in routes/action-intake.camel.yaml and action-results.camel.yaml
            clients.add("defender-actions-requests (reads " + requestTopic + ")");
            clients.add("defender-actions-request-producer (hands requests to " + requestTopic + ")");
        }
        if (results) {
            uses.add("the result topic " + resultTopic + " (defender.actions.results=kafka)");
            clients.add("defender-actions-result-producer (writes results to " + resultTopic + ")");
        }
    }

    /** A deployment whose actions do not use Kafka. */
    public static ActionBroker unused() {
        return new ActionBroker(() -> "", null, null, Clock.systemUTC());
    }

    public String bootstrapServers() {
        String servers = bootstrapServers.get();
        return servers == null ? "" : servers;
    }

    /** True while requests cannot reach the request topic: taking one over HTTP would be a promise not kept. */
    public boolean holdsRequests() {
        return requests && problem != null;
    }

    /** True while results cannot reach the result topic: they wait in the outbox. */
    public boolean holdsResults() {
        return results && problem != null;
    }

    /** {@code POST /actions} while requests are held: 503, the reason, and when to ask again. */
    public void refuse(Exchange exchange) {
        ActionRun run = exchange.getProperty(ActionRun.PROPERTY, ActionRun.class);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 503);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setHeader("Retry-After", "30");
        exchange.getMessage().setBody(JSON.createObjectNode()
                .put("requestId", run == null || run.request() == null ? null : run.request().requestId())
                .put("status", "not accepted")
                .put("error", "not accepted, nothing will run: " + problem().orElse("the Kafka brokers do not answer")
                        + "; ask again once they do")
                .toString());
    }

    /** True when the actions use Kafka at all (a request topic, or Kafka results). */
    public boolean used() {
        return !uses.isEmpty();
    }

    /** True unless the actions use Kafka and its brokers did not answer at the last check. */
    public boolean reachable() {
        return problem == null;
    }

    /** Why the actions' Kafka is unreachable, with the hint, or empty. */
    public Optional<String> problem() {
        return outage().map(why -> why + "; " + HINT);
    }

    /** Why the actions' Kafka is unreachable, or empty. */
    public Optional<String> outage() {
        return Optional.ofNullable(problem);
    }

    /** What to do about an outage. */
    public String fix() {
        return "start a broker at " + bootstrapServers() + " (camel.component.kafka.brokers), or, " + HINT;
    }

    /** Connects to the bootstrap servers in turn; the first that answers is enough. Logs each change once. */
    public void check() {
        if (!used()) {
            return;
        }
        List<String> failures = new ArrayList<>();
        for (String server : bootstrapServers().split(",")) {
            String address = server.trim();
            int colon = address.lastIndexOf(':');
            if (address.isEmpty() || colon < 0) {
                continue;
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))),
                        CONNECT_TIMEOUT_MILLIS);
                changeTo(null);
                return;
            } catch (IOException | IllegalArgumentException e) {
                failures.add(address + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
        }
        changeTo("the Kafka brokers of " + String.join(" and ", uses) + " do not answer (" + String.join("; ", failures)
                + ")");
    }

    private synchronized void changeTo(String now) {
        String before = problem;
        problem = now;
        if (before == null && now != null) {
            LOG.warn("Response actions: {}. Until one does, POST /actions answers 503 and results for Kafka wait in the "
                    + "outbox; {}", now, HINT);
        } else if (before != null && now == null) {
            LOG.info("Response actions: the Kafka brokers {} answer again", bootstrapServers());
            lastSaid = null;
        }
        if (now != null && (lastSaid == null || !clock.instant().isBefore(lastSaid.plus(SAY_AGAIN_AFTER)))) {
            // in place of the clients' own connection warnings, which log4j2.properties drops for these clients:
            // Kafka's come twice a second per client, these once a minute
            lastSaid = clock.instant();
            for (String client : clients) {
                LOG.warn("Kafka client {}: cannot reach {} (said once a minute while it lasts)", client, bootstrapServers());
            }
        }
    }
}
