package io.defenderalertroutes.assembly;

import io.defenderalertroutes.config.InvalidConfigurationException;
import io.defenderalertroutes.config.Settings;
import io.defenderalertroutes.config.TenantDirectory;
import io.defenderalertroutes.observe.StatusReport;
import io.defenderalertroutes.observe.TenantFileRefusals;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code defender.tenants.dir} while the bundle runs: each look at the directory (route
 * {@code defender-tenants-reload}) compares its files with the tenants running and adds, restarts or removes only
 * the tenants whose files changed. A file is taken only once it passes every check a start-up makes; one that
 * does not is refused ({@link TenantFileRefusals}) and its tenant, if running, keeps its previous settings.
 * A removed tenant's checkpoint and dedup keys stay for {@code defender.tenants.dir.keep-state}, so that its file
 * put back resumes where it stopped.
 */
public final class TenantDirectoryWatch {

    public static final String BEAN = "defenderTenantDirectory";
    private static final Logger LOG = LoggerFactory.getLogger(TenantDirectoryWatch.class);
    /** Beside a removed tenant's state in defender.state-dir: when it was removed. */
    private static final String REMOVED = ".removed";

    /** Builds a tenant from its file, with every check of a start-up. */
    public interface Builder {
        Built build(TenantDirectory.TenantFile file);
    }

    /** A tenant built from its file, and the directory (tenant) ID it polls. */
    public record Built(TenantParts parts, String tenantId) {
    }

    private final Path dir;
    private final Set<String> namedElsewhere;
    private final LiveTenants live;
    private final TenantFileRefusals refusals;
    private final Builder builder;
    private final Path stateDir;
    private final Duration keepState;
    private final java.util.function.Consumer<String> forgetKeptElsewhere;
    private final Clock clock;
    /** The keys of each running file tenant as taken, and its tenant ID. */
    private final Map<String, Map<String, String>> taken = new HashMap<>();
    private final Map<String, String> tenantIds = new HashMap<>();
    /** The keys of each refused file as refused: the same file is not tried (nor reported) again. */
    private final Map<String, Map<String, String>> refused = new HashMap<>();

    /**
     * @param dir            null when {@code defender.tenants.dir} is not set: then every look says so
     * @param namedElsewhere the tenants of {@code defender.tenants}, which no file may name
     * @param forgetKeptElsewhere what deletes a tenant's state kept outside {@code defender.state-dir} (Kafka's)
     */
    public TenantDirectoryWatch(Path dir, Set<String> namedElsewhere, LiveTenants live, TenantFileRefusals refusals,
            Builder builder, Path stateDir, Duration keepState, java.util.function.Consumer<String> forgetKeptElsewhere,
            Clock clock) {
        this.forgetKeptElsewhere = forgetKeptElsewhere;
        this.dir = dir;
        this.namedElsewhere = Set.copyOf(namedElsewhere);
        this.live = live;
        this.refusals = refusals;
        this.builder = builder;
        this.stateDir = stateDir;
        this.keepState = keepState;
        this.clock = clock;
    }

    /**
     * Looks at the directory every {@code rescan} (route {@code defender-tenants-rescan}) and whenever the file
     * system reports a change in it, once the context has started.
     */
    public static void watchWhileRunning(CamelContext context, Path dir, Duration rescan) throws Exception {
        context.addStartupListener(new org.apache.camel.ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) throws Exception {
                ctx.getRouteController().startRoute("defender-tenants-rescan");
                try {
                    ctx.addService(new DirectoryEvents(ctx, dir, "direct:defender-tenants-reload"));
                } catch (Exception e) {
                    // the rescan alone still takes every change
                    LOG.warn("Tenant directory {}: file system events cannot be watched ({}); changes are taken at "
                            + "each rescan", dir, e.toString());
                }
                LOG.info("Tenant directory {} is watched: changes are taken at once where the file system reports "
                        + "them, and at the latest every {}", dir, rescan);
            }
        });
    }

    /** The settings of one tenant file: its keys beneath the environment and system properties, as at start-up. */
    public static Settings settingsOf(Settings settings, TenantDirectory.TenantFile file) {
        return Settings.beneath(file.scoped(), settings).forTenant(file.name());
    }

    /** A tenant of the start-up's directory, running from its file. */
    public synchronized void started(TenantDirectory.TenantFile file, String tenantId) {
        taken.put(file.name(), file.keys());
        tenantIds.put(file.name(), tenantId);
        removedMarker(file.name()).ifPresent(marker -> delete(marker));
    }

    /** One look at the directory: the body becomes what changed, for the log and for POST /observe/tenants/reload. */
    public synchronized void rescan(Exchange exchange) {
        if (dir == null) {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
            exchange.getMessage().setBody(Map.of("reason", "no tenant directory is watched: defender.tenants.dir is not set"));
            return;
        }
        exchange.getMessage().setBody(rescan());
    }

    /** @return the tenants added, changed, removed and refused by this look */
    public synchronized Map<String, List<String>> rescan() {
        Map<String, List<String>> changes = new LinkedHashMap<>();
        for (String kind : List.of("added", "changed", "removed", "refused")) {
            changes.put(kind, new ArrayList<>());
        }
        TenantDirectory.Scan scan;
        try {
            scan = TenantDirectory.scan(dir);
        } catch (InvalidConfigurationException gone) {
            // a directory away for a moment (a volume remounted) is no reason to stop every tenant
            LOG.warn("{}; the tenants run on as they are", gone.getMessage());
            return changes;
        }
        Set<String> present = new HashSet<>(scan.unreadable().keySet());
        // a file gone between the listing and the reading is decided by the next look, which the change that
        // removed it brings: its tenant is neither removed nor refused on the strength of a moment
        present.addAll(scan.vanished());
        scan.unreadable().forEach((name, mistake) -> {
            refusals.refuse(name, mistake.getMessage(), live.isRunning(name));
            changes.get("refused").add(name);
        });
        scan.files().forEach(file -> present.add(file.name()));
        // new tenants first, then changed ones, then the removals: a stop waits for a poll in flight, and a
        // tenant that waits to start is a tenant not polled
        List<TenantDirectory.TenantFile> files = new ArrayList<>(scan.files());
        files.sort(java.util.Comparator.comparing(file -> taken.containsKey(file.name())));
        for (TenantDirectory.TenantFile file : files) {
            take(file, changes::get);
        }
        for (String name : new ArrayList<>(taken.keySet())) {
            if (!present.contains(name)) {
                remove(name);
                changes.get("removed").add(name);
            }
        }
        for (String name : new ArrayList<>(refused.keySet())) {
            if (!present.contains(name)) {
                refused.remove(name);
                refusals.clear(name);
            }
        }
        scan.unreadable().keySet().forEach(name -> refused.remove(name));
        expireRemovedState();
        if (changes.values().stream().anyMatch(l -> !l.isEmpty())) {
            LOG.info("Tenant directory {}: {}", dir, changes);
        }
        return changes;
    }

    private void take(TenantDirectory.TenantFile file, java.util.function.Function<String, List<String>> changes) {
        String name = file.name();
        if (file.keys().equals(taken.get(name))) {
            // unchanged, or changed back to what runs
            refused.remove(name);
            refusals.clear(name);
            return;
        }
        if (file.keys().equals(refused.get(name))) {
            return;
        }
        boolean running = live.isRunning(name);
        Built built;
        try {
            if (namedElsewhere.contains(name)) {
                throw new InvalidConfigurationException(TenantDirectory.KEY, file.file() + ": tenant '" + name
                        + "' is named in defender.tenants too; keep each tenant in one place");
            }
            built = builder.build(file);
        } catch (InvalidConfigurationException mistake) {
            refused.put(name, file.keys());
            refusals.refuse(name, mistake.getMessage(), running);
            changes.apply("refused").add(name);
            return;
        }
        TenantParts previous = live.parts(name);
        StatusReport.TenantView previousView = live.view(name);
        try {
            if (running) {
                live.remove(name, false);
            }
            // another directory's tenant starts afresh, from the historical start; the same one resumes
            boolean newDirectory = running && !Objects.equals(tenantIds.get(name), built.tenantId());
            live.add(built.parts(), LiveTenants.viewOf(built.parts(), file.file().toString(), clock.instant()),
                    newDirectory);
        } catch (Exception e) {
            LOG.error("Tenant {} could not be started from {}: {}", name, file.file(), e.toString());
            refused.put(name, file.keys());
            refusals.refuse(name, file.file() + ": could not be started (" + e.getMessage() + ")", false);
            changes.apply("refused").add(name);
            restore(previous, previousView);
            return;
        }
        taken.put(name, file.keys());
        tenantIds.put(name, built.tenantId());
        refused.remove(name);
        refusals.clear(name);
        removedMarker(name).ifPresent(TenantDirectoryWatch::delete);
        changes.apply(running ? "changed" : "added").add(name);
    }

    /** A tenant whose new settings could not start runs on its previous ones, if it had any. */
    private void restore(TenantParts previous, StatusReport.TenantView view) {
        if (previous == null || live.isRunning(previous.name())) {
            return;
        }
        try {
            live.add(previous, view, false);
        } catch (Exception again) {
            LOG.error("Tenant {} could not be restarted on its previous settings either: {}", previous.name(),
                    again.toString());
        }
    }

    private void remove(String name) {
        try {
            live.remove(name, true);
        } catch (Exception e) {
            LOG.error("Tenant {} could not be stopped cleanly: {}", name, e.toString());
        }
        taken.remove(name);
        tenantIds.remove(name);
        removedMarker(name).ifPresent(marker -> {
            try {
                Files.createDirectories(marker.getParent());
                Files.writeString(marker, clock.instant() + "\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                LOG.warn("Cannot note the removal of tenant {} in {} ({}); its state is kept until removed by hand",
                        name, marker, e.toString());
            }
        });
    }

    /** The state of tenants removed longer ago than keep-state goes: a file put back after that starts afresh. */
    private void expireRemovedState() {
        if (stateDir == null || !Files.isDirectory(stateDir)) {
            return;
        }
        Instant before = clock.instant().minus(keepState);
        try (var entries = Files.list(stateDir)) {
            for (Path marker : entries.filter(f -> f.getFileName().toString().endsWith(REMOVED)).toList()) {
                String name = marker.getFileName().toString();
                name = name.substring(0, name.length() - REMOVED.length());
                Instant removed;
                try {
                    removed = Instant.parse(Files.readString(marker, StandardCharsets.UTF_8).trim());
                } catch (IOException | RuntimeException unreadable) {
                    continue;
                }
                if (removed.isBefore(before) && !live.isRunning(name)) {
                    try {
                        forgetKeptElsewhere.accept(name);
                    } catch (RuntimeException e) {
                        // the marker stays: the next look tries again
                        LOG.warn("Tenant {}: its state in Kafka could not be deleted yet ({})", name, e.getMessage());
                        continue;
                    }
                    for (String kind : List.of(".checkpoint", ".dedup")) {
                        delete(stateDir.resolve(name + kind));
                    }
                    delete(marker);
                    LOG.info("Tenant {}: removed since {}, longer than defender.tenants.dir.keep-state ({}); its "
                            + "checkpoint and dedup keys are deleted", name, removed, keepState);
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot look for expired tenant state in {} ({})", stateDir, e.toString());
        }
    }

    private java.util.Optional<Path> removedMarker(String name) {
        return java.util.Optional.ofNullable(stateDir).map(d -> d.resolve(name + REMOVED));
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Cannot delete {} ({})", file, e.toString());
        }
    }
}
