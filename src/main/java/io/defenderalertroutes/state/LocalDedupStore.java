package io.defenderalertroutes.state;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys of alerts already delivered, for Camel's idempotent consumer. Bounded by age rather than by count:
 * a key older than the historical horizon can go, since no poll reaches back that far any more. With a file,
 * every change is appended to a log that is replayed and compacted at start, so a restart forgets nothing.
 * <p>
 * A key is an alert id, or {@code id|lastUpdateTime} when every update fires; {@link #hasDelivered(String)}
 * tells whether any version of an alert went out before, which is what makes an update an update.
 */
public final class LocalDedupStore extends ServiceSupport implements DedupStore {

    public static final char VERSION_SEPARATOR = '|';

    private static final Logger LOG = LoggerFactory.getLogger(LocalDedupStore.class);
    private static final long EVICTION_EVERY_MILLIS = 60_000;

    private final Path file;
    private final Supplier<Instant> horizon;
    private final Clock clock;
    private final Map<String, Long> addedAt = new HashMap<>();
    private final Map<String, Integer> versionsByAlert = new HashMap<>();
    private BufferedWriter log;
    private long logLines;
    private long lastEviction;

    /**
     * @param file    where keys are kept, or null to keep them in memory only
     * @param horizon the oldest instant still polled; keys added before it are dropped
     */
    public LocalDedupStore(Path file, Supplier<Instant> horizon, Clock clock) {
        this.file = file;
        this.horizon = horizon;
        this.clock = clock;
    }

    public static String key(String alertId, String lastUpdateTime, boolean everyUpdate) {
        return everyUpdate ? alertId + VERSION_SEPARATOR + lastUpdateTime : alertId;
    }

    @Override
    protected synchronized void doStart() {
        if (file == null) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            if (Files.exists(file)) {
                replay(Files.readAllLines(file, StandardCharsets.UTF_8));
            }
            evictExpired();
            compact();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open dedup store " + file, e);
        }
        LOG.debug("Dedup store {} holds {} keys", file, addedAt.size());
    }

    private void replay(List<String> lines) {
        int lineNumber = 0;
        for (String line : lines) {
            lineNumber++;
            if (line.isEmpty()) {
                continue;
            }
            int space = line.indexOf(' ');
            try {
                if (line.charAt(0) == '+' && space > 1) {
                    put(line.substring(space + 1), Long.parseLong(line.substring(1, space)));
                } else if (line.charAt(0) == '-') {
                    drop(line.substring(1));
                } else {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                // A torn last line after a crash is expected; anything else is reported, never guessed at.
                if (lineNumber == lines.size()) {
                    LOG.warn("Ignoring the incomplete last line of dedup store {}", file);
                } else {
                    throw new IllegalStateException("Dedup store " + file + " is damaged at line " + lineNumber
                            + "; restore it from a backup or delete it (alerts within the historical start may then fire again)");
                }
            }
        }
    }

    @Override
    protected synchronized void doStop() throws IOException {
        if (log != null) {
            log.close();
            log = null;
        }
    }

    @Override
    public synchronized boolean add(String key) {
        maybeEvict();
        if (addedAt.containsKey(key)) {
            return false;
        }
        long now = clock.millis();
        put(key, now);
        append("+" + now + " " + key);
        return true;
    }

    @Override
    public synchronized boolean contains(String key) {
        return addedAt.containsKey(key);
    }

    @Override
    public synchronized boolean remove(String key) {
        if (addedAt.containsKey(key)) {
            drop(key);
            append("-" + key);
            return true;
        }
        return false;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public synchronized void clear() {
        addedAt.clear();
        versionsByAlert.clear();
        compact();
    }

    /** Whether some version of this alert was delivered before. */
    @Override
    public synchronized boolean hasDelivered(String alertId) {
        return versionsByAlert.containsKey(alertId);
    }

    public synchronized int size() {
        return addedAt.size();
    }

    private void put(String key, long millis) {
        if (addedAt.put(key, millis) == null) {
            versionsByAlert.merge(alertIdOf(key), 1, Integer::sum);
        }
    }

    private void drop(String key) {
        if (addedAt.remove(key) != null) {
            versionsByAlert.computeIfPresent(alertIdOf(key), (id, n) -> n == 1 ? null : n - 1);
        }
    }

    private static String alertIdOf(String key) {
        int separator = key.lastIndexOf(VERSION_SEPARATOR);
        return separator < 0 ? key : key.substring(0, separator);
    }

    private void maybeEvict() {
        long now = clock.millis();
        if (now - lastEviction >= EVICTION_EVERY_MILLIS) {
            lastEviction = now;
            if (evictExpired() > 0 || logLines > 2L * addedAt.size() + 10_000) {
                compact();
            }
        }
    }

    private int evictExpired() {
        long oldest = horizon.get().toEpochMilli();
        int evicted = 0;
        for (Iterator<Map.Entry<String, Long>> it = addedAt.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Long> entry = it.next();
            if (entry.getValue() < oldest) {
                it.remove();
                versionsByAlert.computeIfPresent(alertIdOf(entry.getKey()), (id, n) -> n == 1 ? null : n - 1);
                evicted++;
            }
        }
        return evicted;
    }

    private void append(String line) {
        if (file == null) {
            return;
        }
        try {
            if (log == null) {
                log = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
            log.write(line);
            log.write('\n');
            // Flushed per key: a key must be on disk before the poll that delivered it may move the checkpoint.
            log.flush();
            logLines++;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write dedup store " + file, e);
        }
    }

    private void compact() {
        if (file == null) {
            return;
        }
        try {
            if (log != null) {
                log.close();
                log = null;
            }
            Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            try (BufferedWriter out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                for (Map.Entry<String, Long> entry : addedAt.entrySet()) {
                    out.write("+" + entry.getValue() + " " + entry.getKey());
                    out.write('\n');
                }
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            logLines = addedAt.size();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot compact dedup store " + file, e);
        }
    }
}
