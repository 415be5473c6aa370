package io.defenderalertroutes.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** One tenant's alerts by id; putting an alert again under its id is how an update is modelled. */
final class AlertStore {

    private final ConcurrentHashMap<String, StoredAlert> byId = new ConcurrentHashMap<>();

    StoredAlert put(String alertJson) {
        StoredAlert alert = StoredAlert.of(alertJson);
        byId.put(alert.id(), alert);
        return alert;
    }

    Optional<StoredAlert> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    boolean remove(String id) {
        return byId.remove(id) != null;
    }

    List<StoredAlert> snapshot() {
        return new ArrayList<>(byId.values());
    }

    int size() {
        return byId.size();
    }

    void clear() {
        byId.clear();
    }
}
