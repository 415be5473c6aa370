package io.defenderalertroutes.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** Everything the emulator keeps for one tenant apart from its credentials. */
final class TenantState {

    private final AlertStore alerts = new AlertStore();
    private final ResponseState responses = new ResponseState();
    private final SlidingWindowRateLimiter rateLimiter = new SlidingWindowRateLimiter();
    private final Queue<InjectedFault> faults = new ConcurrentLinkedQueue<>();
    private final Queue<Integer> tokenFaults = new ConcurrentLinkedQueue<>();
    private volatile java.time.Duration tokenDelay = java.time.Duration.ZERO;
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final AtomicInteger assertionsAccepted = new AtomicInteger();
    private final AtomicInteger managedIdentityTokens = new AtomicInteger();
    private final AtomicInteger apiRequests = new AtomicInteger();
    private final java.util.ArrayDeque<Long> arrivals = new java.util.ArrayDeque<>();
    private final List<String> queries = new ArrayList<>();
    // Graph keeps its own view of the same alerts, its own limits (per app) and its own counters.
    private final ConcurrentHashMap<String, StoredGraphAlert> graphAlerts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, StoredIncident> incidents = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, SlidingWindowRateLimiter> graphRateLimiters = new ConcurrentHashMap<>();
    private final AtomicInteger graphRequests = new AtomicInteger();
    private final List<String> graphQueries = new ArrayList<>();
    private final List<String> graphPreferHeaders = new ArrayList<>();
    // Defender XDR's incidents: their own shape, budget and counters
    private final ConcurrentHashMap<String, StoredIncident> xdrIncidents = new ConcurrentHashMap<>();
    private final SlidingWindowRateLimiter xdrRateLimiter = new SlidingWindowRateLimiter();
    private final AtomicInteger xdrRequests = new AtomicInteger();
    private final List<String> xdrQueries = new ArrayList<>();
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

    ResponseState responses() {
        return responses;
    }

    /** Stores an MDE alert and its Graph view; the tenant id is the Graph {@code tenantId} when the alert has none. */
    StoredAlert putMdeAlert(String tenantId, String alertJson) {
        StoredAlert stored = alerts.put(alertJson);
        graphAlerts.put(stored.id(), StoredGraphAlert.fromMde(alertJson, tenantId));
        return stored;
    }

    StoredGraphAlert putGraphAlert(String graphJson) {
        StoredGraphAlert stored = StoredGraphAlert.verbatim(graphJson);
        graphAlerts.put(stored.id(), stored);
        return stored;
    }

    Optional<StoredGraphAlert> graphAlert(String id) {
        return Optional.ofNullable(graphAlerts.get(id));
    }

    /** Adds the incident, or replaces the one with its id (an incident that gained alerts or changed status). */
    StoredIncident putIncident(String incidentJson) {
        StoredIncident stored = StoredIncident.of(incidentJson);
        incidents.put(stored.id(), stored);
        return stored;
    }

    /** Adds the Defender XDR incident, or replaces the one with its incidentId. */
    StoredIncident putXdrIncident(String incidentJson) {
        StoredIncident stored = StoredIncident.defenderXdr(incidentJson);
        xdrIncidents.put(stored.id(), stored);
        return stored;
    }

    List<StoredIncident> xdrIncidentSnapshot() {
        return new ArrayList<>(xdrIncidents.values());
    }

    SlidingWindowRateLimiter xdrRateLimiter() {
        return xdrRateLimiter;
    }

    void countXdrRequest(String decodedQuery) {
        xdrRequests.incrementAndGet();
        synchronized (xdrQueries) {
            xdrQueries.add(decodedQuery);
        }
    }

    int xdrRequests() {
        return xdrRequests.get();
    }

    List<String> xdrQueries() {
        synchronized (xdrQueries) {
            return List.copyOf(xdrQueries);
        }
    }

    List<StoredIncident> incidentSnapshot() {
        return new ArrayList<>(incidents.values());
    }

    List<StoredGraphAlert> graphSnapshot() {
        return new ArrayList<>(graphAlerts.values());
    }

    int graphAlertCount() {
        return graphAlerts.size();
    }

    /** Removes the alert from both APIs; true when either held it. */
    boolean removeAlert(String id) {
        boolean mde = alerts.remove(id);
        boolean graph = graphAlerts.remove(id) != null;
        return mde || graph;
    }

    SlidingWindowRateLimiter graphRateLimiter(String clientId) {
        return graphRateLimiters.computeIfAbsent(clientId, c -> new SlidingWindowRateLimiter());
    }

    void countGraphRequest(String decodedQuery, String preferHeader) {
        graphRequests.incrementAndGet();
        synchronized (graphQueries) {
            graphQueries.add(decodedQuery);
            graphPreferHeaders.add(preferHeader);
        }
    }

    int graphRequests() {
        return graphRequests.get();
    }

    List<String> graphQueries() {
        synchronized (graphQueries) {
            return List.copyOf(graphQueries);
        }
    }

    List<String> graphPreferHeaders() {
        synchronized (graphQueries) {
            return List.copyOf(graphPreferHeaders);
        }
    }

    SlidingWindowRateLimiter rateLimiter() {
        return rateLimiter;
    }

    /** HTTP statuses the next token requests are answered with, one each, before normal answers resume. */
    Queue<Integer> tokenFaults() {
        return tokenFaults;
    }

    java.time.Duration tokenDelay() {
        return tokenDelay;
    }

    void setTokenDelay(java.time.Duration delay) {
        tokenDelay = delay;
    }

    Queue<InjectedFault> faults() {
        return faults;
    }

    void countTokenRequest() {
        tokenRequests.incrementAndGet();
    }

    void countAcceptedAssertion() {
        assertionsAccepted.incrementAndGet();
    }

    void countManagedIdentityToken() {
        managedIdentityTokens.incrementAndGet();
    }

    int managedIdentityTokens() {
        return managedIdentityTokens.get();
    }

    int assertionsAccepted() {
        return assertionsAccepted.get();
    }

    void countApiRequest(String decodedQuery) {
        apiRequests.incrementAndGet();
        synchronized (arrivals) {
            arrivals.addLast(System.nanoTime());
            if (arrivals.size() > 100_000) {
                arrivals.removeFirst();
            }
        }
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

    /** The most API requests that arrived within any 60 seconds (of the last 100,000 requests). */
    int busiestMinute() {
        long[] times;
        synchronized (arrivals) {
            times = arrivals.stream().mapToLong(Long::longValue).toArray();
        }
        int best = 0;
        int start = 0;
        for (int end = 0; end < times.length; end++) {
            while (times[end] - times[start] >= 60_000_000_000L) {
                start++;
            }
            best = Math.max(best, end - start + 1);
        }
        return best;
    }

    List<String> queries() {
        synchronized (queries) {
            return List.copyOf(queries);
        }
    }

    void resetCounters() {
        tokenRequests.set(0);
        assertionsAccepted.set(0);
        managedIdentityTokens.set(0);
        apiRequests.set(0);
        synchronized (arrivals) {
            arrivals.clear();
        }
        synchronized (queries) {
            queries.clear();
        }
        rateLimiter.clear();
        graphRequests.set(0);
        synchronized (graphQueries) {
            graphQueries.clear();
            graphPreferHeaders.clear();
        }
        graphRateLimiters.clear();
        xdrRequests.set(0);
        synchronized (xdrQueries) {
            xdrQueries.clear();
        }
        xdrRateLimiter.clear();
    }
}
