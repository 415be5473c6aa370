package io.defenderalertroutes.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Optional;

/**
 * MDE's "100 calls per minute and 1,500 calls per hour" for one tenant, as sliding windows over accepted calls.
 * Refused calls are not counted, yet retrying before Retry-After still fails: the window has not moved by then.
 */
final class SlidingWindowRateLimiter {

    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration HOUR = Duration.ofHours(1);

    private final Deque<Instant> accepted = new ArrayDeque<>();

    /** Counts the call and returns empty, or returns how long to wait before a call would be accepted. */
    synchronized Optional<Duration> tryAcquire(Instant now, int perMinute, int perHour) {
        while (!accepted.isEmpty() && !accepted.peekFirst().isAfter(now.minus(HOUR))) {
            accepted.removeFirst();
        }
        Duration wait = Duration.ZERO;
        wait = max(wait, waitFor(now, MINUTE, perMinute));
        wait = max(wait, waitFor(now, HOUR, perHour));
        if (!wait.isZero()) {
            return Optional.of(wait);
        }
        accepted.addLast(now);
        return Optional.empty();
    }

    synchronized void clear() {
        accepted.clear();
    }

    /** Until enough calls leave the window to free one slot; zero when a slot is free now. */
    private Duration waitFor(Instant now, Duration window, int limit) {
        Instant windowStart = now.minus(window);
        int inWindow = 0;
        for (Iterator<Instant> it = accepted.descendingIterator(); it.hasNext(); ) {
            if (!it.next().isAfter(windowStart)) {
                break;
            }
            inWindow++;
        }
        if (inWindow < limit) {
            return Duration.ZERO;
        }
        // The call that must leave is the (inWindow - limit)th oldest one still inside the window.
        int toSkip = accepted.size() - inWindow + (inWindow - limit);
        Iterator<Instant> it = accepted.iterator();
        for (int i = 0; i < toSkip; i++) {
            it.next();
        }
        Instant leaves = it.next().plus(window);
        return Duration.between(now, leaves);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
