package io.defenderalertroutes.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class LeadershipChangesTest {

    private final AtomicLong now = new AtomicLong();
    private final LeadershipChanges changes = new LeadershipChanges("contoso", Duration.ofSeconds(6), now::get);

    private void after(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void onlyChangesOfThisInstancesRoleCount() {
        changes.observe(false);
        assertEquals(0, changes.gained() + changes.lost(), "a standby that stays one changes nothing");
        changes.observe(true);
        changes.observe(true);
        assertTrue(changes.leading());
        assertEquals(1, changes.gained());
        after(Duration.ofMinutes(10));
        changes.observe(false);
        assertFalse(changes.leading());
        assertEquals(1, changes.lost());
        assertEquals(0, changes.flaps(), "changes minutes apart are takeovers, not flapping");
    }

    @Test
    void changesFasterThanATakeoverAreFlaps() {
        changes.observe(true);
        after(Duration.ofSeconds(2));
        changes.observe(false);
        after(Duration.ofSeconds(2));
        changes.observe(true);
        assertEquals(2, changes.flaps());
        assertEquals(2, changes.gained());
        assertEquals(1, changes.lost());
    }
}
