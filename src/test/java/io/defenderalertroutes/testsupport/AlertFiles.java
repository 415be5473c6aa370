package io.defenderalertroutes.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads what the file sink wrote, as a user looking into the alerts directory would. */
public final class AlertFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertFiles() {
    }

    public static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<JsonNode> envelopes(Path dir) {
        return list(dir).stream().map(AlertFiles::read).toList();
    }

    /** The alert ids delivered, one entry per file, sorted. */
    public static List<String> alertIds(Path dir) {
        return envelopes(dir).stream().map(e -> e.get("alertId").asText()).sorted().toList();
    }

    public static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
