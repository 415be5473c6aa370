package io.defenderalertroutes.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {

    @TempDir
    Path dir;

    @Test
    void keepsTheTextAtFullPrecision() throws Exception {
        CheckpointStore store = new CheckpointStore(dir, "contoso");
        assertEquals(Optional.empty(), store.read());
        store.write("2021-01-26T20:33:57.7220239Z");
        assertEquals(Optional.of("2021-01-26T20:33:57.7220239Z"), new CheckpointStore(dir, "contoso").read());
        store.write("2021-01-26T20:33:59.2Z");
        assertEquals(Optional.of("2021-01-26T20:33:59.2Z"), store.read());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void aDamagedCheckpointIsReportedNotReset() throws Exception {
        Files.writeString(dir.resolve("contoso.checkpoint"), "half a times");
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> new CheckpointStore(dir, "contoso").read());
        assertTrue(error.getMessage().contains("contoso.checkpoint"), error.getMessage());
    }
}
