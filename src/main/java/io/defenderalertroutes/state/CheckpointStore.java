package io.defenderalertroutes.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * One tenant's poll checkpoint: the newest {@code lastUpdateTime} that was fully delivered, kept as the
 * exact text the API gave so that no precision is lost. Written to a temporary file and moved into place,
 * so a crash leaves either the old or the new value, never half of one. With {@code defender.ha=kafka} the checkpoint
 * is kept in a compacted topic instead ({@link KafkaCheckpoints}), which instances on different hosts share.
 */
public final class CheckpointStore {

    private final Path file;
    private final String tenant;
    private volatile KafkaCheckpoints topic;

    public CheckpointStore(Path stateDir, String tenantName) {
        this.file = stateDir.resolve(tenantName + ".checkpoint");
        this.tenant = tenantName;
    }

    /** From now on the checkpoint is kept in the topic, not in the file. */
    public void keepIn(KafkaCheckpoints checkpoints) {
        this.topic = checkpoints;
    }

    /**
     * The checkpoint as a poll must read it: with the topic, after reading everything written to it so far (another
     * instance may have polled the tenant until a moment ago).
     */
    public Optional<String> readForPoll() {
        KafkaCheckpoints checkpoints = topic;
        if (checkpoints != null) {
            try {
                checkpoints.catchUp();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("the checkpoint of tenant " + tenant + " could not be read: " + e.getMessage(), e);
            }
        }
        return read();
    }

    public Path file() {
        return file;
    }

    public Optional<String> read() {
        KafkaCheckpoints checkpoints = topic;
        if (checkpoints != null) {
            return checkpoints.read(tenant).map(text -> checked(text, checkpoints.topic() + " (key " + tenant + ")"));
        }
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read checkpoint " + file, e);
        }
        return Optional.of(checked(text, file.toString()));
    }

    private static String checked(String text, String where) {
        try {
            Instant.parse(text);
        } catch (DateTimeParseException e) {
            // Never fall back silently to "now" or to the horizon: either could skip or flood alerts.
            throw new IllegalStateException("Checkpoint " + where + " holds '" + text
                    + "', not a timestamp; fix it or delete it to start again from the historical start");
        }
        return text;
    }

    /**
     * Drops the checkpoint, so that the next poll starts from the historical start as a new tenant's does: for a
     * tenant whose tenant ID changed (another directory's alerts), or whose kept state has expired.
     */
    public void forget() {
        KafkaCheckpoints checkpoints = topic;
        if (checkpoints != null) {
            checkpoints.forget(tenant);
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete checkpoint " + file, e);
        }
    }

    public void write(String lastUpdateTime) {
        KafkaCheckpoints checkpoints = topic;
        if (checkpoints != null) {
            checkpoints.write(tenant, lastUpdateTime);
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            Files.writeString(temp, lastUpdateTime + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write checkpoint " + file, e);
        }
    }
}
