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
 * so a crash leaves either the old or the new value, never half of one.
 */
public final class CheckpointStore {

    private final Path file;

    public CheckpointStore(Path stateDir, String tenantName) {
        this.file = stateDir.resolve(tenantName + ".checkpoint");
    }

    public Path file() {
        return file;
    }

    public Optional<String> read() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read checkpoint " + file, e);
        }
        try {
            Instant.parse(text);
        } catch (DateTimeParseException e) {
            // Never fall back silently to "now" or to the horizon: either could skip or flood alerts.
            throw new IllegalStateException("Checkpoint " + file + " holds '" + text
                    + "', not a timestamp; fix it or delete it to start again from the historical start");
        }
        return Optional.of(text);
    }

    public void write(String lastUpdateTime) {
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
