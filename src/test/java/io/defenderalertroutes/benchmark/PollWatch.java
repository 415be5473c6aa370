package io.defenderalertroutes.benchmark;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.defenderalertroutes.emulator.DefenderEmulator;

/**
 * Each tenant's polls as Microsoft sees them: the emulator's count of its API requests, sampled every
 * {@link #PERIOD_MILLIS} on this JVM's clock, the one that also times the file changes. A poll is a rise of the count;
 * the pages of one poll come within a sample or two of each other, so a gap between polls is never overstated.
 */
final class PollWatch implements AutoCloseable {

    static final long PERIOD_MILLIS = 100;

    private static final class Tenant {
        final String id;
        int requests;
        final List<Long> polls = new ArrayList<>();

        Tenant(String id) {
            this.id = id;
        }
    }

    private final DefenderEmulator emulator;
    private final Map<String, Tenant> tenants = new HashMap<>();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "poll-watch");
        t.setDaemon(true);
        return t;
    });

    PollWatch(DefenderEmulator emulator) {
        this.emulator = emulator;
    }

    synchronized void track(String tenantId) {
        tenants.computeIfAbsent(tenantId, Tenant::new);
    }

    void start() {
        sampler.scheduleAtFixedRate(this::sample, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    private synchronized void sample() {
        long now = System.nanoTime();
        for (Tenant t : tenants.values()) {
            int requests = emulator.apiRequests(t.id);
            if (requests > t.requests) {
                t.requests = requests;
                t.polls.add(now);
            }
        }
    }

    synchronized int requests(String tenantId) {
        return tenants.get(tenantId).requests;
    }

    /** The first poll seen at or after {@code since} (System.nanoTime), or -1. */
    synchronized long firstPollAfter(String tenantId, long since) {
        for (long poll : tenants.get(tenantId).polls) {
            if (poll >= since) {
                return poll;
            }
        }
        return -1;
    }

    /**
     * The longest gap between two polls of any of these tenants that ended within [from, to], a tenant not polled
     * since counting as polled at {@code to}: a tenant that stops polling shows as a long gap, not as none.
     *
     * @return the gap in nanoseconds and the tenant it was seen on
     */
    synchronized Map.Entry<Long, String> longestGap(List<String> tenantIds, long from, long to) {
        long longest = 0;
        String whose = "";
        for (String id : tenantIds) {
            List<Long> polls = tenants.get(id).polls;
            long previous = -1;
            for (long poll : polls) {
                if (poll > to) {
                    break;
                }
                if (previous >= 0 && poll >= from && poll - previous > longest) {
                    longest = poll - previous;
                    whose = id;
                }
                previous = poll;
            }
            if (previous >= 0 && to - previous > longest) {
                longest = to - previous;
                whose = id;
            }
        }
        return Map.entry(longest, whose);
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
