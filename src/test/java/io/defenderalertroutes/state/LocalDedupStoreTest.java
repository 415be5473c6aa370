package io.defenderalertroutes.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDedupStoreTest {

    @TempDir
    Path dir;

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-01T00:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    private LocalDedupStore open() {
        LocalDedupStore repository = new LocalDedupStore(dir.resolve("t.dedup"),
                () -> clock.instant().minus(Duration.ofDays(30)), clock);
        repository.start();
        return repository;
    }

    @Test
    void keysSurviveARestart() {
        LocalDedupStore first = open();
        assertTrue(first.add("a1"));
        assertTrue(first.add("a2"));
        assertFalse(first.add("a1"));
        assertTrue(first.remove("a2"));
        first.stop();

        LocalDedupStore second = open();
        assertTrue(second.contains("a1"));
        assertFalse(second.contains("a2"));
        assertFalse(second.add("a1"));
        assertEquals(1, second.size());
    }

    @Test
    void keysOlderThanTheHorizonGo() {
        LocalDedupStore repository = open();
        repository.add("old");
        now.set(now.get().plus(Duration.ofDays(20)));
        repository.add("recent");
        now.set(now.get().plus(Duration.ofDays(11)));
        repository.add("trigger-eviction");
        assertFalse(repository.contains("old"));
        assertTrue(repository.contains("recent"));
        repository.stop();
        assertFalse(open().contains("old"));
    }

    @Test
    void tellsWhetherAnyVersionOfAnAlertWentOut() {
        LocalDedupStore repository = open();
        assertFalse(repository.hasDelivered("a1"));
        repository.add(LocalDedupStore.key("a1", "2026-11-01T00:00:00.1Z", true));
        assertTrue(repository.hasDelivered("a1"));
        assertTrue(repository.add(LocalDedupStore.key("a1", "2026-11-01T00:00:00.2Z", true)));
        repository.remove(LocalDedupStore.key("a1", "2026-11-01T00:00:00.1Z", true));
        assertTrue(repository.hasDelivered("a1"));
        repository.remove(LocalDedupStore.key("a1", "2026-11-01T00:00:00.2Z", true));
        assertFalse(repository.hasDelivered("a1"));
    }

    @Test
    void aTornLastLineIsToleratedButDamageIsNot() throws Exception {
        LocalDedupStore repository = open();
        repository.add("a1");
        repository.stop();
        Files.writeString(dir.resolve("t.dedup"), Files.readString(dir.resolve("t.dedup")) + "+17");
        assertTrue(open().contains("a1"));

        Files.writeString(dir.resolve("t.dedup"), "garbage\n+1 a1\n");
        IllegalStateException error = assertThrows(IllegalStateException.class, this::open);
        assertTrue(error.getMessage().contains("line 1"), error.getMessage());
    }
}
