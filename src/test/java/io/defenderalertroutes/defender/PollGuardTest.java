package io.defenderalertroutes.defender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class PollGuardTest {

    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final PollGuard guard = new PollGuard("contoso", Duration.ofMinutes(1), now::get);
    private final DefaultCamelContext context = new DefaultCamelContext();

    private Exchange fired() {
        return new DefaultExchange(context);
    }

    private Exchange askedFor() {
        Exchange exchange = fired();
        exchange.getMessage().setHeader(PollGuard.JOB_DATA_HEADER, Map.of(PollGuard.ON_DEMAND, true));
        return exchange;
    }

    private void advance(Duration d) {
        now.addAndGet(d.toMillis());
    }

    @Test
    void theScheduleRunsAndARepeatedFireIsSkippedAndCounted() {
        assertFalse(guard.tooSoon(fired()), "the first poll runs");
        advance(Duration.ofMillis(500));
        assertTrue(guard.tooSoon(fired()), "a fire half a second later is no poll");
        advance(Duration.ofSeconds(20));
        assertTrue(guard.tooSoon(fired()));
        assertEquals(2, guard.skipped());
        advance(Duration.ofSeconds(40));
        assertFalse(guard.tooSoon(fired()), "one interval after the last poll");
    }

    private Exchange scheduledAt(long millis) {
        Exchange exchange = fired();
        exchange.getMessage().setHeader(PollGuard.SCHEDULED_FIRE_TIME_HEADER, new java.util.Date(millis));
        return exchange;
    }

    @Test
    void aScheduledPollThatStartedLateDoesNotCostTheNextOne() {
        long start = now.get();
        assertFalse(guard.tooSoon(scheduledAt(start)));
        // the next fire was scheduled for 60 s but began 35 s late (busy workers); the one after comes on time
        advance(Duration.ofSeconds(95));
        assertFalse(guard.tooSoon(scheduledAt(start + 60_000)));
        advance(Duration.ofSeconds(25));
        assertFalse(guard.tooSoon(scheduledAt(start + 120_000)));
        assertEquals(0, guard.skipped());
    }

    @Test
    void firesScheduledCloseTogetherAreSkippedWhenEverTheyRun() {
        long start = now.get();
        assertFalse(guard.tooSoon(scheduledAt(start)));
        // one-shot triggers made half a second apart, run late and back to back
        advance(Duration.ofSeconds(40));
        for (int i = 1; i <= 5; i++) {
            assertTrue(guard.tooSoon(scheduledAt(start + 500L * i)));
        }
        assertEquals(5, guard.skipped());
    }

    @Test
    void skippedFiresDoNotPushTheNextPollBack() {
        assertFalse(guard.tooSoon(fired()));
        for (int i = 0; i < 50; i++) {
            advance(Duration.ofMillis(500));
            assertTrue(guard.tooSoon(fired()));
        }
        advance(Duration.ofSeconds(35));
        assertFalse(guard.tooSoon(fired()), "30 s after the last poll that ran, whatever was skipped since");
    }

    @Test
    void aPollAskedForAlwaysRuns() {
        assertFalse(guard.tooSoon(fired()));
        advance(Duration.ofSeconds(1));
        assertFalse(guard.tooSoon(askedFor()));
        assertEquals(0, guard.skipped());
    }
}
