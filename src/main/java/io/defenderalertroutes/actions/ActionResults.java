package io.defenderalertroutes.actions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;

/**
 * Every request's result, kept under its requestId ({@code defender.actions.store-dir}, a file each, written
 * atomically): a repeated requestId gets the kept result and calls nothing, across restarts, and across instances
 * that share the directory. Also what the result routes need: the result sinks and the audit line.
 */
public final class ActionResults {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** The exchange property naming the sinks an outbox record is still to go to. */
    public static final String OUTBOX_SINKS = "DefenderOutboxSinks";

    private final Path dir;
    /** The requestIds being run in this process. */
    private final java.util.Set<String> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final List<String> sinkEndpoints;
    private final ActionBroker broker;
    private final Clock clock;

    /**
     * @param sinks the result sinks: kafka, file, or endpoint URIs
     * @param broker whether the result topic can be reached (a result for it waits in the outbox while not)
     */
    public ActionResults(Path dir, List<String> sinks, ActionBroker broker, Clock clock) {
        this.dir = dir;
        this.sinkEndpoints = sinks.stream().map(s -> s.contains(":") ? s : "direct:defender-action-result-" + s).toList();
        this.broker = broker;
        this.clock = clock;
    }

    /**
     * Claims a requestId for the run about to call Microsoft, so that a copy of the request arriving meanwhile in
     * this process (from another input, or the same input again) is not run too. False while another run holds it.
     * Instances sharing the store are kept apart by the inbox's lock and Kafka's partitions, not by this.
     */
    boolean claim(String requestId) {
        return running.add(requestId);
    }

    /** After a run that failed before its result was kept: its requestId may be run again. */
    public void release(Exchange exchange) {
        ActionRun run = exchange.getProperty(ActionRun.PROPERTY, ActionRun.class);
        if (run != null && run.executed()) {
            running.remove(run.request().requestId());
        }
    }

    Optional<String> recall(String requestId) {
        Path file = file(requestId);
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the kept result " + file, e);
        }
    }

    /** Ends a run: the result as the body, kept under its requestId unless it was a repeat or a rejection. */
    public void finish(Exchange exchange) throws IOException {
        ActionRun run = exchange.getProperty(ActionRun.PROPERTY, ActionRun.class);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        // a metric tag: the action's name when it is one of ours, whatever a rejected request said
        exchange.getMessage().setHeader("Defender-Action", run.request() == null ? "unknown" : run.request().kind().key());
        if (run.repeated()) {
            exchange.getMessage().setHeader("Defender-Action-Outcome", "repeat");
            exchange.getMessage().setBody(run.storedResult());
            return;
        }
        ActionResult result = run.result(clock.instant());
        String json = result.toJson().toString();
        exchange.getMessage().setHeader("Defender-Action-Request-Id", result.requestId());
        exchange.getMessage().setHeader("Defender-Action-Outcome", result.outcome());
        if (run.executed()) {
            try {
                keep(result.requestId(), json);
            } finally {
                running.remove(result.requestId());
            }
        }
        exchange.getMessage().setBody(json);
    }

    /**
     * {@code GET /actions/{requestId}}: 200 with the kept result, 202 while the request waits in the inbox, 404 for a
     * requestId never accepted.
     */
    public void lookup(Exchange exchange) throws IOException {
        String requestId = exchange.getMessage().getHeader("requestId", String.class);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        ObjectNode answer = JSON.createObjectNode().put("requestId", requestId);
        Optional<String> kept = requestId == null || !requestId.matches("[A-Za-z0-9._-]{1,128}") ? Optional.empty()
                : recall(requestId);
        if (kept.isPresent()) {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            exchange.getMessage().setBody(kept.get());
        } else if (kept.isEmpty() && requestId != null && (Files.exists(dir.resolve("inbox").resolve(requestId + ".json"))
                || Files.exists(forwardedMark(requestId)))) {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
            exchange.getMessage().setBody(answer.put("status", "accepted").toString());
        } else {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
            exchange.getMessage().setBody(answer.put("error", "no request with this requestId was accepted").toString());
        }
    }

    /** For the results' recipient list. */
    public String sinks() {
        return String.join(",", sinkEndpoints);
    }

    /**
     * The result sinks to send a new result to now, in the run that made it: none for a rejection (its caller is
     * answered at once, whatever state the sinks are in), and not Kafka while its brokers do not answer. The others
     * go through the outbox ({@link #outboxRecord}).
     */
    public String sinksNow(Exchange exchange) {
        return String.join(",", split(exchange).get(true));
    }

    /**
     * The outbox record of a result for the sinks {@link #sinksNow} left out (their endpoints on the first line, the
     * result after it), or null when none were. The outbox route sends it on in the background, and keeps it until
     * they took it.
     */
    public String outboxRecord(Exchange exchange) {
        List<String> later = split(exchange).get(false);
        return later.isEmpty() ? null : String.join(",", later) + "\n" + exchange.getMessage().getBody(String.class);
    }

    private java.util.Map<Boolean, List<String>> split(Exchange exchange) {
        ActionRun run = exchange.getProperty(ActionRun.PROPERTY, ActionRun.class);
        boolean rejected = run != null && run.rejected();
        boolean kafkaHeld = broker.holdsResults();
        return sinkEndpoints.stream().collect(java.util.stream.Collectors.partitioningBy(
                sink -> !rejected && !(kafkaHeld && sink.equals("direct:defender-action-result-kafka"))));
    }

    /**
     * A record taken from the outbox: the sinks still to send it to (as a property, for the recipient list), the
     * result as the body, and the headers the result routes name it by.
     */
    public void fromOutbox(Exchange exchange) throws IOException {
        String text = exchange.getMessage().getBody(String.class);
        int newline = text.indexOf('\n');
        String json = text.substring(newline + 1);
        com.fasterxml.jackson.databind.JsonNode result = JSON.readTree(json);
        exchange.getMessage().removeHeaders("*");
        exchange.setProperty(OUTBOX_SINKS, text.substring(0, newline));
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setHeader("Defender-Action-Request-Id", result.path("requestId").isTextual()
                ? result.path("requestId").asText() : null);
        exchange.getMessage().setHeader("Defender-Action", result.path("action").asText("unknown"));
        exchange.getMessage().setHeader("Defender-Action-Outcome", result.path("outcome").asText());
        exchange.getMessage().setBody(json);
    }

    /** One line of the audit log: the request as it came, who asked, and its result. Holds no secret or token. */
    public String auditLine(Exchange exchange) throws IOException {
        ActionRun run = exchange.getProperty(ActionRun.PROPERTY, ActionRun.class);
        ObjectNode line;
        if (run.repeated()) {
            line = (ObjectNode) JSON.readTree(run.storedResult());
            line.put("repeat", true).put("origin", run.request().origin());
        } else {
            ActionResult result = run.result(clock.instant());
            line = result.toJson();
            line.put("origin", result.origin());
        }
        if (run.request() != null) {
            line.set("parameters", run.request().parameters());
        }
        return line + "\n";
    }

    private void keep(String requestId, String json) throws IOException {
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, ".writing-", ".json");
        Files.writeString(temp, json, StandardCharsets.UTF_8);
        try {
            Files.move(temp, file(requestId), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file(requestId), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.deleteIfExists(forwardedMark(requestId));
    }

    /**
     * After a request from the inbox went on to the request topic: marked as accepted until its result is kept, so
     * that {@code GET /actions/{requestId}} answers 202 rather than 404 while it waits there (a broker away, say).
     */
    public void forwarded(Exchange exchange) throws IOException {
        String requestId = exchange.getMessage().getHeader("kafka.KEY", String.class);
        if (requestId != null && requestId.matches("[A-Za-z0-9._-]{1,128}") && recall(requestId).isEmpty()) {
            Files.createDirectories(forwardedMark(requestId).getParent());
            Files.write(forwardedMark(requestId), new byte[0]);
        }
    }

    private Path forwardedMark(String requestId) {
        return dir.resolve("forwarded").resolve(requestId);
    }

    private Path file(String requestId) {
        // requestIds hold only letters, digits, '.', '_' and '-' (ActionRequest): a safe file name
        return dir.resolve(requestId + ".json");
    }
}
