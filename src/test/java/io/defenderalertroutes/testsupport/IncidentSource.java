package io.defenderalertroutes.testsupport;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.emulator.DefenderEmulator;
import io.defenderalertroutes.emulator.IncidentJson;

/**
 * The two incident sources as a test drives them through the emulator: how an incident and its alerts are written in
 * each API's shape and words, and what each API was asked. Tests speak Graph's words ({@code active},
 * {@code awaitingAction}, {@code high}); Defender XDR gets its own ({@code Active}, {@code Redirected}, {@code High}).
 */
public enum IncidentSource {
    GRAPH("graph-incidents"),
    DEFENDER_XDR("defender-incidents");

    private final String key;

    IncidentSource(String key) {
        this.key = key;
    }

    /** The value of {@code defender.source}. */
    public String key() {
        return key;
    }

    /** An alert inside an incident; status New and severity High in the API's words. */
    public String alert(String id, String category, Duration ago) {
        return alert(id, category, Emulated.ago(ago));
    }

    public String alert(String id, String category, String lastUpdate) {
        return this == GRAPH
                ? AlertJson.graphAlert(id, lastUpdate, "new", "high", category, "microsoftDefenderForEndpoint")
                : IncidentJson.defenderIncidentAlert(id, lastUpdate, "New", "High", category);
    }

    /** Adds or replaces an incident (a number, as Defender XDR's ids are) with its alerts. */
    public void put(DefenderEmulator emulator, String tenant, String id, String lastUpdate, String status,
            String severity, List<String> alerts) {
        if (this == GRAPH) {
            emulator.putIncident(tenant, IncidentJson.graphIncident(id, lastUpdate, status, severity, alerts));
        } else {
            emulator.putDefenderIncident(tenant, IncidentJson.defenderIncident(Long.parseLong(id), lastUpdate,
                    xdrStatus(status), severity.equals("unknown") ? "UnSpecified" : capitalised(severity), alerts));
        }
    }

    /** The incident's text as its API serves it, alerts included. */
    public String served(DefenderEmulator emulator, String tenant, String id) {
        return this == GRAPH ? emulator.servedIncidentJson(tenant, id) : emulator.servedDefenderIncidentJson(tenant, id);
    }

    /** Calls that reached this source's endpoint. */
    public int requests(DefenderEmulator emulator, String tenant) {
        return this == GRAPH ? emulator.graphRequests(tenant) : emulator.defenderIncidentRequests(tenant);
    }

    /** The decoded queries this source's endpoint was sent. */
    public List<String> queries(DefenderEmulator emulator, String tenant) {
        return this == GRAPH ? emulator.graphRequestQueries(tenant) : emulator.defenderIncidentQueries(tenant);
    }

    /** Graph's awaitingAction has no Defender XDR counterpart; Redirected is XDR's status without a seed word. */
    private static String xdrStatus(String graphStatus) {
        return graphStatus.equals("awaitingAction") ? "Redirected" : capitalised(graphStatus);
    }

    private static String capitalised(String word) {
        return word.substring(0, 1).toUpperCase(Locale.ROOT) + word.substring(1);
    }
}
