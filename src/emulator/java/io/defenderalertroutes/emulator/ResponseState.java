package io.defenderalertroutes.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One tenant's side of the response actions: its machines and their tags, the machine actions started on them and
 * where each is in its life (Pending, InProgress, then a final status after a set time), its indicators, the
 * permissions its app registration was not granted and the per-endpoint limits Microsoft documents.
 */
final class ResponseState {

    static final Set<String> FINAL = Set.of("Succeeded", "Failed", "TimeOut", "Cancelled");

    /** A machine action as started; its status follows from its age. */
    record MachineAction(String id, String type, String machineId, String comment, String scope, Instant created,
            Duration duration, String finalStatus) {

        String status(Instant now) {
            Duration age = Duration.between(created, now);
            if (age.compareTo(duration) >= 0) {
                return finalStatus;
            }
            return age.compareTo(duration.dividedBy(2)) < 0 ? "Pending" : "InProgress";
        }
    }

    private final Map<String, Set<String>> machineTags = new ConcurrentHashMap<>();
    private final Map<String, MachineAction> actions = new ConcurrentHashMap<>();
    private final Map<String, String> indicators = new ConcurrentHashMap<>();
    private final Set<String> denied = ConcurrentHashMap.newKeySet();
    private final Map<String, SlidingWindowRateLimiter> endpointLimiters = new ConcurrentHashMap<>();
    private final AtomicLong indicatorIds = new AtomicLong(1000);
    private volatile Duration actionDuration = Duration.ofSeconds(2);
    private volatile String finalStatus = "Succeeded";

    void putMachine(String machineId) {
        machineTags.putIfAbsent(machineId, ConcurrentHashMap.newKeySet());
    }

    boolean hasMachine(String machineId) {
        return machineTags.containsKey(machineId);
    }

    Set<String> tags(String machineId) {
        return machineTags.get(machineId);
    }

    /** The action of this type still running on the machine, if any: Microsoft refuses a second one. */
    synchronized Optional<MachineAction> running(String machineId, String type, Instant now) {
        return actions.values().stream().filter(a -> a.machineId().equals(machineId) && a.type().equals(type)
                && !FINAL.contains(a.status(now))).findFirst();
    }

    synchronized MachineAction start(String type, String machineId, String comment, String scope, Instant now) {
        MachineAction action = new MachineAction(java.util.UUID.randomUUID().toString(), type, machineId, comment,
                scope, now, actionDuration, finalStatus);
        actions.put(action.id(), action);
        return action;
    }

    Optional<MachineAction> action(String id) {
        return Optional.ofNullable(actions.get(id));
    }

    Map<String, MachineAction> actions() {
        return Map.copyOf(actions);
    }

    String nextIndicatorId() {
        return Long.toString(indicatorIds.incrementAndGet());
    }

    Map<String, String> indicators() {
        return indicators;
    }

    Set<String> denied() {
        return denied;
    }

    SlidingWindowRateLimiter limiter(String endpoint) {
        return endpointLimiters.computeIfAbsent(endpoint, e -> new SlidingWindowRateLimiter());
    }

    void setActionLife(Duration duration, String finalStatus) {
        this.actionDuration = duration;
        this.finalStatus = finalStatus;
    }
}
