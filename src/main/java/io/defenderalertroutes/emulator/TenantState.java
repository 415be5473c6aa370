package io.defenderalertroutes.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** Everything the emulator keeps for one tenant apart from its credentials. */
final class TenantState {

    private final AlertStore alerts = new AlertStore();
    private final SlidingWindowRateLimiter rateLimiter = new SlidingWindowRateLimiter();
    private final Queue<InjectedFault> faults = new ConcurrentLinkedQueue<>();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final AtomicInteger apiRequests = new AtomicInteger();
    private final List<String> queries = new ArrayList<>();
    private volatile java.time.Duration responseDelay = java.time.Duration.ZERO;

    java.time.Duration responseDelay() {
        return responseDelay;
    }

    void setResponseDelay(java.time.Duration delay) {
        this.responseDelay = delay;
    }

    AlertStore alerts() {
        return alerts;
    }

    SlidingWindowRateLimiter rateLimiter() {
        return rateLimiter;
    }

    Queue<InjectedFault> faults() {
        return faults;
    }

    void countTokenRequest() {
        tokenRequests.incrementAndGet();
    }

    void countApiRequest(String decodedQuery) {
        apiRequests.incrementAndGet();
        synchronized (queries) {
            queries.add(decodedQuery);
        }
    }

    int tokenRequests() {
        return tokenRequests.get();
    }

    int apiRequests() {
        return apiRequests.get();
    }

    List<String> queries() {
        synchronized (queries) {
            return List.copyOf(queries);
        }
    }

    void resetCounters() {
        tokenRequests.set(0);
        apiRequests.set(0);
        synchronized (queries) {
            queries.clear();
        }
        rateLimiter.clear();
    }
}
