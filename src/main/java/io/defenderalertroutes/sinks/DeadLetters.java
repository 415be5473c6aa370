package io.defenderalertroutes.sinks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import io.defenderalertroutes.defender.AlertHeaders;
import io.defenderalertroutes.tenant.Tenant;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.model.ModelCamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerts waiting in a dead-letter directory, by tenant, failed sink and alert: what the replay works through,
 * what {@code defender_dead_letters_pending} counts, and what keeps the versions of an alert in order. While an
 * earlier version of an alert waits for a sink, a newer one is not delivered to that sink ahead of it: it is held,
 * dead-lettered behind it ({@code direct:defender-sink-hold}), and the replay delivers both in the order they came.
 * <p>
 * With a dead letter that is not a directory ({@code kafka:...}, {@code none}) there is nothing to index: no alert is
 * held and nothing is replayed.
 */
public final class DeadLetters {

    public static final String BEAN = "defenderDeadLetters";
    /** The exchange property naming the sinks (route ids) an alert is held from, for the hold route. */
    public static final String HELD_SINKS = "DefenderHeldSinks";
    public static final String HOLD_ENDPOINT = "direct:defender-sink-hold";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final Path directory;
    /** tenant, then failed sink (route id), then alert id: the files waiting. */
    private final Map<String, Map<String, Map<String, Set<Path>>>> pending = new ConcurrentHashMap<>();
    private final Set<String> gauges = ConcurrentHashMap.newKeySet();
    private volatile Map<String, String> routeOfEndpoint;
    private volatile MeterRegistry meters;

    /** @param directory the dead-letter directory, or null when the dead letter is not a directory */
    public DeadLetters(Path directory) {
        this.directory = directory;
    }

    /** The directory a {@code file:} dead-letter URI writes to, or null for any other dead letter. */
    public static Path directoryOf(String deadLetterUri) {
        if (!deadLetterUri.startsWith("file:")) {
            return null;
        }
        String path = deadLetterUri.substring("file:".length());
        int query = path.indexOf('?');
        return Path.of(query < 0 ? path : path.substring(0, query)).toAbsolutePath().normalize();
    }

    public boolean enabled() {
        return directory != null;
    }

    public Path directory() {
        return directory;
    }

    /** Reads what earlier runs left in the directory, so that holding and replay go on across restarts. */
    public void load(CamelContext context, MeterRegistry registry) throws IOException {
        this.meters = registry;
        if (directory == null || !Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory, 2)) {
            for (Path file : files.filter(DeadLetters::isLetter).toList()) {
                String unread = learn(file);
                if (unread != null) {
                    LOG.warn("Dead letter {} cannot be read and is left as it is ({})", file, unread);
                }
            }
        }
        pending.forEach((tenant, sinks) -> sinks.forEach((sink, alerts) -> LOG.info(
                "Tenant {} has {} dead letters waiting for {}", tenant, alerts.values().stream().mapToInt(Set::size).sum(), sink)));
    }

    /** Reads a letter into the index (its tenant, failed sink and alert); null, or why it could not be read. */
    private String learn(Path file) {
        try {
            FileEnvelope.Unwrapped letter = FileEnvelope.unwrap(Files.readString(file));
            add(letter.headers().get(AlertHeaders.TENANT), letter.headers().get(FileEnvelope.FAILED_SINK),
                    letter.headers().get(AlertHeaders.ALERT_ID), file.toAbsolutePath().normalize());
            return null;
        } catch (IOException | RuntimeException e) {
            return e.getMessage() == null ? e.toString() : e.getMessage();
        }
    }

    static boolean isLetter(Path file) {
        String name = file.getFileName().toString();
        return Files.isRegularFile(file) && name.endsWith(".json") && !name.startsWith(".");
    }

    /**
     * Called as a tenant's poll opens: learns the letters of the tenant that are on disk but not known here (written
     * by the instance that led the tenant before this one took over) and forgets those gone (replayed by the
     * instance that leads the replay), so that the poll holds exactly behind what waits. One directory listing.
     */
    public void refresh(String tenant) {
        if (directory == null) {
            return;
        }
        Path tenantDir = directory.resolve(tenant);
        Set<Path> known = new java.util.HashSet<>();
        pending.getOrDefault(tenant, Map.of()).values().forEach(alerts -> alerts.values().forEach(known::addAll));
        if (!Files.isDirectory(tenantDir)) {
            if (!known.isEmpty()) {
                pending.remove(tenant);
            }
            return;
        }
        Set<Path> onDisk = new java.util.HashSet<>();
        try (Stream<Path> files = Files.list(tenantDir)) {
            files.filter(DeadLetters::isLetter).map(f -> f.toAbsolutePath().normalize()).forEach(onDisk::add);
        } catch (IOException e) {
            LOG.warn("Cannot list dead letters in {}: {}", tenantDir, e.getMessage());
            return;
        }
        for (Path file : onDisk) {
            if (!known.contains(file)) {
                String unread = learn(file);
                if (unread != null) {
                    LOG.debug("Dead letter {} not read now ({})", file, unread);
                }
            }
        }
        pending.getOrDefault(tenant, Map.of()).values().forEach(alerts -> alerts.replaceAll((id, files) -> {
            files.retainAll(onDisk);
            return files;
        }));
        pending.getOrDefault(tenant, Map.of()).values().forEach(alerts -> alerts.values().removeIf(Set::isEmpty));
    }

    /** After the dead-letter route wrote a letter: {@code CamelFileNameProduced} is where. */
    public void kept(Exchange exchange) {
        if (directory == null) {
            return;
        }
        String produced = exchange.getMessage().getHeader(Exchange.FILE_NAME_PRODUCED, String.class);
        if (produced != null) {
            add(Tenant.nameOf(exchange), exchange.getMessage().getHeader(FileEnvelope.FAILED_SINK, String.class),
                    exchange.getMessage().getHeader(AlertHeaders.ALERT_ID, String.class),
                    Path.of(produced).toAbsolutePath().normalize());
        }
    }

    /** After a replay delivered the letter and deleted its file (or set it aside). */
    public void removed(String tenant, String sink, String alertId, Path file) {
        Map<String, Map<String, Set<Path>>> sinks = pending.get(tenant);
        Map<String, Set<Path>> alerts = sinks == null ? null : sinks.get(sink);
        if (alerts != null) {
            // one step, so that a letter the poll adds for the same alert meanwhile is not dropped with the set
            alerts.computeIfPresent(alertId, (id, files) -> {
                files.remove(file);
                return files.isEmpty() ? null : files;
            });
        }
    }

    /** A letter the replay read: known from now on, whichever instance wrote it. */
    public void seen(String tenant, String sink, String alertId, Path file) {
        add(tenant, sink, alertId, file.toAbsolutePath().normalize());
    }

    private void add(String tenant, String sink, String alertId, Path file) {
        if (tenant == null || sink == null || alertId == null) {
            return;
        }
        pending.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>())
                .computeIfAbsent(sink, s -> new ConcurrentHashMap<>())
                .compute(alertId, (id, files) -> {
                    Set<Path> set = files == null ? ConcurrentHashMap.newKeySet() : files;
                    set.add(file);
                    return set;
                });
        gauge(tenant, sink);
    }

    /** Dead letters waiting, by failed sink, for one tenant. */
    public Map<String, Integer> pendingOf(String tenant) {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        pending.getOrDefault(tenant, Map.of()).forEach((sink, alerts) -> {
            alerts.values().forEach(DeadLetters::prune);
            alerts.values().removeIf(Set::isEmpty);
            counts.put(sink, alerts.values().stream().mapToInt(Set::size).sum());
        });
        return counts;
    }

    /**
     * Drops files gone from the directory: with high availability another instance may have replayed a letter this
     * one wrote, and an alert must not be held behind a letter that is no longer there.
     */
    private static Set<Path> prune(Set<Path> files) {
        files.removeIf(file -> !Files.exists(file));
        return files;
    }

    /**
     * The fan-out's recipients for this alert: the tenant's sinks, less those holding an earlier version of it,
     * which go to the hold route instead (named in {@value #HELD_SINKS}). Set here, when the choice is made: a replay
     * emptying the sink's queue a moment later must not let the alert slip past both.
     */
    public String recipients(Exchange exchange, SinkSelection sinks) {
        Map<String, Map<String, Set<Path>>> tenantPending = pending.get(Tenant.nameOf(exchange));
        if (tenantPending == null || tenantPending.isEmpty()) {
            return sinks.endpoints();
        }
        String alertId = exchange.getMessage().getHeader(AlertHeaders.ALERT_ID, String.class);
        List<String> recipients = new ArrayList<>();
        List<String> held = new ArrayList<>();
        for (String sink : sinks.names()) {
            String endpoint = SinkSelection.endpointOf(sink);
            String route = routeOf(exchange.getContext(), endpoint);
            Map<String, Set<Path>> waiting = tenantPending.get(route);
            Set<Path> files = waiting == null ? null : waiting.get(alertId);
            if (files != null && !prune(files).isEmpty()) {
                held.add(route);
            } else {
                recipients.add(endpoint);
            }
        }
        if (held.isEmpty()) {
            return sinks.endpoints();
        }
        exchange.setProperty(HELD_SINKS, held);
        recipients.add(HOLD_ENDPOINT);
        return String.join(",", recipients);
    }

    /** The held sink of the hold route's current loop iteration. */
    public String heldSink(Exchange exchange) {
        List<?> held = exchange.getProperty(HELD_SINKS, List.class);
        return String.valueOf(held.get(exchange.getProperty(Exchange.LOOP_INDEX, 0, Integer.class)));
    }

    /** The route (id) consuming a sink's endpoint: what a dead letter records as its failed sink. */
    public String routeOf(CamelContext context, String endpoint) {
        return routes(context).getOrDefault(endpoint, endpoint);
    }

    /** The endpoint of a failed sink's route, where its dead letters are replayed; null when no such route is known. */
    public String endpointOf(CamelContext context, String route) {
        return routes(context).entrySet().stream().filter(e -> e.getValue().equals(route))
                .map(Map.Entry::getKey).findFirst().orElse(null);
    }

    private Map<String, String> routes(CamelContext context) {
        Map<String, String> known = routeOfEndpoint;
        if (known == null) {
            Map<String, String> map = new ConcurrentHashMap<>();
            for (var route : ((ModelCamelContext) context).getRouteDefinitions()) {
                String uri = route.getInput().getEndpointUri().replace("direct://", "direct:");
                if (route.getRouteId() != null) {
                    map.putIfAbsent(uri, route.getRouteId());
                }
            }
            routeOfEndpoint = known = map;
        }
        return known;
    }

    private void gauge(String tenant, String sink) {
        MeterRegistry registry = meters;
        if (registry != null && gauges.add(tenant + '|' + sink)) {
            Gauge.builder("defender.dead.letters.pending", () -> pendingOf(tenant).getOrDefault(sink, 0))
                    .description("Alerts waiting in the dead letter to be replayed to the sink that failed")
                    .tag("tenant", tenant).tag("sink", sink).register(registry);
        }
    }
}
