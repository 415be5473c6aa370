package io.defenderalertroutes.sinks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.defenderalertroutes.defender.AlertHeaders;
import io.defenderalertroutes.tenant.Tenant;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the replay route ({@code direct:defender-dead-letter-replay}) needs that a route cannot say: which letters
 * are due, oldest first; each read back into the alert it was (body, headers, tenant) and addressed to the sink that
 * failed; and a backoff per tenant and sink (a letter whose sink is backing off is passed by). A sink that fails again is left alone for the rest of the round (its
 * later letters must not overtake the one that failed) and until its backoff has passed, doubling from the replay
 * interval up to the maximum; a delivery resets it.
 */
public final class DeadLetterReplay {

    /** Set on a replayed exchange: the sinks' error handler then neither retries nor dead-letters it again. */
    public static final String REPLAY = "DefenderReplay";
    /** The handler (from 1) a replayed letter goes to, when one handler of the HTTP sink failed. */
    public static final String REPLAY_HANDLER = "DefenderReplayHandler";
    public static final String ENDPOINT = "DefenderReplayEndpoint";
    /** The exchange property of a round asked for now (POST /observe/dead-letters/replay): it goes whatever the backoffs say. */
    public static final String NOW = "DefenderReplayNow";
    private static final String FILE = "DefenderReplayFile";
    private static final String DUE = "DefenderReplayDue";
    private static final String SINK = "DefenderReplaySink";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterReplay.class);

    private final DeadLetters letters;
    private final Map<String, Tenant> tenants;
    private final Duration interval;
    private final Duration maxInterval;
    private final Clock clock;
    private final Map<String, Backoff> backoffs = new ConcurrentHashMap<>();
    private final Set<String> failedThisRound = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicInteger replayed = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private volatile java.util.function.BooleanSupplier leading = () -> true;

    private record Backoff(int failures, Instant next) {
    }

    public DeadLetterReplay(DeadLetters letters, Map<String, Tenant> tenants, Duration interval, Duration maxInterval,
            Clock clock) {
        this.letters = letters;
        // read at each use: tenants come and go while the bundle runs (defender.tenants.dir)
        this.tenants = tenants;
        this.interval = interval;
        this.maxInterval = maxInterval;
        this.clock = clock;
    }

    /**
     * Opens a round: the letters due, oldest first. None while another round runs (the timer's and one asked for on
     * the management port never overlap), on an instance that does not lead the replay, or when nothing waits. The
     * round is the body the route splits, and {@link #end} closes it.
     */
    public Round begin(Exchange exchange) throws IOException {
        // a round asked for on the management port goes now, whatever the backoffs say
        if (exchange.getProperty(NOW, false, Boolean.class)) {
            backoffs.clear();
        }
        if (!leading.getAsBoolean()) {
            return new Round(List.of(), false, "the instance leading defender-dead-letter-replay, not this one");
        }
        if (!running.compareAndSet(false, true)) {
            return new Round(List.of(), false, null);
        }
        failedThisRound.clear();
        replayed.set(0);
        failed.set(0);
        Path directory = letters.directory();
        if (directory == null || !Files.isDirectory(directory)) {
            return new Round(List.of(), true, null);
        }
        try (Stream<Path> files = Files.walk(directory, 2)) {
            return new Round(files.filter(DeadLetters::isLetter)
                    .map(file -> Map.entry(file, modified(file)))
                    .sorted(Map.Entry.<Path, Long>comparingByValue().thenComparing(e -> e.getKey().toString()))
                    .map(Map.Entry::getKey)
                    .toList(), true, null);
        } catch (IOException | RuntimeException e) {
            running.set(false);
            throw e;
        }
    }

    /**
     * A round's letters, and whether this round runs (false: another one does, or {@code elsewhere} names who
     * replays). The body from {@link #begin} to {@link #end}: a property set by a bean expression would be set on a
     * copy of the exchange.
     */
    public record Round(List<Path> letters, boolean runs, String elsewhere) implements Iterable<Path> {
        @Override
        public java.util.Iterator<Path> iterator() {
            return letters.iterator();
        }
    }

    /**
     * With high availability: whether this instance leads the replay. Only the leader replays, on its timer or when
     * asked, so that two instances never send one letter twice.
     */
    public void leadership(java.util.function.BooleanSupplier leading) {
        this.leading = leading;
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Reads the letter (the body, a path) back into the alert it was: its JSON as the body, its headers, its tenant,
     * addressed to the failed sink. {@value #DUE} false to pass it by this round: its sink failed earlier in the round, its tenant
     * is gone from the configuration, or it is gone or half written.
     */
    public void open(Exchange exchange) {
        exchange.setProperty(DUE, due(exchange));
    }

    private boolean due(Exchange exchange) {
        Path file = exchange.getMessage().getBody(Path.class);
        FileEnvelope.Unwrapped letter;
        try {
            letter = FileEnvelope.unwrap(Files.readString(file));
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException | RuntimeException e) {
            LOG.warn("Dead letter {} cannot be read and stays where it is ({})", file, e.getMessage());
            return false;
        }
        Map<String, String> headers = letter.headers();
        String tenantName = headers.get(AlertHeaders.TENANT);
        String sink = headers.get(FileEnvelope.FAILED_SINK);
        Tenant tenant = tenants.get(tenantName);
        String endpoint = sink == null ? null : letters.endpointOf(exchange.getContext(), sink);
        if (tenant == null || endpoint == null) {
            LOG.debug("Dead letter {} is not replayed: tenant {} or sink {} is not configured", file, tenantName, sink);
            return false;
        }
        letters.seen(tenantName, sink, headers.get(AlertHeaders.ALERT_ID), file);
        String key = tenantName + '|' + sink;
        Backoff backoff = backoffs.get(key);
        if (failedThisRound.contains(key) || backoff != null && backoff.next().isAfter(clock.instant())) {
            return false;
        }
        Message message = exchange.getMessage();
        message.setBody(letter.alert());
        headers.forEach((name, value) -> {
            if (!name.equals(FileEnvelope.FAILED_SINK) && !name.equals(FileEnvelope.FAILURE)
                    && !name.equals(FileEnvelope.FAILED_HANDLER)) {
                message.setHeader(name, value);
            }
        });
        tenant.putOn(exchange);
        exchange.setProperty(REPLAY, true);
        exchange.setProperty(ENDPOINT, endpoint);
        exchange.setProperty(SINK, sink);
        exchange.setProperty(FILE, file);
        if (headers.containsKey(FileEnvelope.FAILED_HANDLER)) {
            exchange.setProperty(REPLAY_HANDLER, Integer.valueOf(headers.get(FileEnvelope.FAILED_HANDLER)));
        }
        return true;
    }

    /**
     * The letter's outcome, after the replay's try (routes/dead-letters.camel.yaml, replay-letter): the sink took the
     * alert (nothing was caught), and the letter goes, and the sink's backoff with it; or the sink failed again.
     */
    public void outcome(Exchange exchange) throws IOException {
        if (exchange.getProperty(Exchange.EXCEPTION_HANDLED, false, Boolean.class)) {
            failed(exchange, exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
            return;
        }
        try {
            delivered(exchange);
        } catch (IOException e) {
            // a letter that cannot be deleted is not delivered as far as the replay knows: it is tried again
            failed(exchange, e);
        }
    }

    private void delivered(Exchange exchange) throws IOException {
        Path file = exchange.getProperty(FILE, Path.class);
        String tenant = Tenant.nameOf(exchange);
        String sink = exchange.getProperty(SINK, String.class);
        Files.deleteIfExists(file);
        letters.removed(tenant, sink, exchange.getMessage().getHeader(AlertHeaders.ALERT_ID, String.class),
                file.toAbsolutePath().normalize());
        backoffs.remove(tenant + '|' + sink);
        replayed.incrementAndGet();
    }

    /**
     * The sink failed again: its letters wait for the next round after its backoff. A letter the sink refuses for
     * good ({@link PermanentFailure}) is set aside instead, under {@code parked/} in the dead-letter directory, for a
     * person to look at (moved back, it is replayed again), so that it does not block the letters behind it.
     */
    private void failed(Exchange exchange, Exception cause) throws IOException {
        String tenant = Tenant.nameOf(exchange);
        String sink = exchange.getProperty(SINK, String.class);
        if (PermanentFailure.is(cause)) {
            Path file = exchange.getProperty(FILE, Path.class);
            Path parked = letters.directory().resolve("parked").resolve(tenant).resolve(file.getFileName());
            Files.createDirectories(parked.getParent());
            Files.move(file, parked, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            letters.removed(tenant, sink, exchange.getMessage().getHeader(AlertHeaders.ALERT_ID, String.class),
                    file.toAbsolutePath().normalize());
            failed.incrementAndGet();
            LOG.error("Dead letter {} is set aside in {}: {} refuses it ({}); move it back to replay it", file.getFileName(),
                    parked.getParent(), sink, cause.getClass().getSimpleName() + ": " + cause.getMessage());
            return;
        }
        String key = tenant + '|' + sink;
        failedThisRound.add(key);
        failed.incrementAndGet();
        Backoff backoff = backoffs.merge(key, new Backoff(1, next(1)), (old, first) -> new Backoff(old.failures() + 1,
                next(old.failures() + 1)));
        LOG.warn("Replay of tenant {}'s dead letters to {} failed ({}); next try in {} s", tenant, sink,
                cause == null ? "unknown" : cause.getClass().getSimpleName() + ": " + cause.getMessage(),
                Duration.between(clock.instant(), backoff.next()).toSeconds());
    }

    private Instant next(int failures) {
        long factor = 1L << Math.min(failures - 1, 20);
        Duration wait = interval.multipliedBy(factor);
        return clock.instant().plus(wait.compareTo(maxInterval) > 0 ? maxInterval : wait);
    }

    /** Closes the round begun by {@link #begin} (the body); its summary is the body (what the management port answers). */
    public Map<String, Object> end(Exchange exchange) {
        Map<String, Object> summary = new LinkedHashMap<>();
        // no round when begin failed: it released the round itself
        Round round = exchange.getMessage().getBody() instanceof Round r ? r : null;
        if (round != null && round.elsewhere() != null) {
            summary.put("replayedBy", round.elsewhere());
            return summary;
        }
        if (round != null && !round.runs()) {
            summary.put("busy", true);
            return summary;
        }
        summary.put("replayed", replayed.get());
        summary.put("failed", failed.get());
        Map<String, Object> pending = new LinkedHashMap<>();
        tenants.keySet().stream().sorted(Comparator.naturalOrder()).forEach(t -> {
            Map<String, Integer> counts = letters.pendingOf(t);
            if (counts.values().stream().anyMatch(n -> n > 0)) {
                pending.put(t, counts);
            }
        });
        summary.put("pending", pending);
        if (round != null) {
            running.set(false);
        }
        if (replayed.get() > 0 || failed.get() > 0) {
            LOG.info("Dead-letter replay: {} delivered, {} failed again", replayed.get(), failed.get());
        }
        return summary;
    }
}
