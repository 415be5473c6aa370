package io.defenderalertroutes.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.defenderalertroutes.defender.Timestamps;
import io.defenderalertroutes.emulator.DefenderEmulator;
import io.defenderalertroutes.testsupport.AlertFiles;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.IncidentSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The trigger criteria over incidents of every status and severity (and values Microsoft may add later), each with
 * alerts of one or two categories, from both incident sources: what arrives is exactly what matches all three, the
 * category through any of an incident's alerts.
 */
class IncidentCriteriaMatrixTest {

    private static final String TENANT = Bundle.TENANT_ID;
    // in Graph's words; IncidentSource writes Defender XDR's (Active, Redirected, UnSpecified...)
    private static final List<String> STATUSES = List.of("active", "inProgress", "resolved", "awaitingAction",
            "unknownFutureValue");
    private static final List<String> SEVERITIES = List.of("unknown", "informational", "low", "medium", "high", "critical");
    private static final List<List<String>> CATEGORIES = List.of(List.of("Malware", "Execution"),
            List.of("DefenseEvasion"), List.of("null"), List.of("Execution", "Custom Thing"));
    /** The seed's word for each incident value; a value without one is left as it is and matches only All. */
    private static final Map<String, String> SEED_WORDS = Map.of("active", "New", "inProgress", "InProgress",
            "resolved", "Resolved", "unknown", "UnSpecified");

    private static DefenderEmulator emulator;
    private static final List<Object[]> INCIDENTS = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void seed() throws Exception {
        emulator = Emulated.tenant();
        Instant base = Instant.now().minus(Duration.ofHours(6));
        int n = 0;
        for (String status : STATUSES) {
            for (String severity : SEVERITIES) {
                for (List<String> categories : CATEGORIES) {
                    String id = Integer.toString(1000 + n);
                    String at = Timestamps.format(base.plusSeconds(n));
                    for (IncidentSource source : IncidentSource.values()) {
                        List<String> alerts = new ArrayList<>();
                        for (int a = 0; a < categories.size(); a++) {
                            alerts.add(source.alert("al-" + n + "-" + a, categories.get(a), at));
                        }
                        source.put(emulator, TENANT, id, at, status, severity, alerts);
                    }
                    INCIDENTS.add(new Object[] {id, status, severity, categories});
                    n++;
                }
            }
        }
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @ParameterizedTest(name = "{3}: status={0} severity={1} category={2}")
    @CsvSource(delimiter = ';', value = {
            "All; All; All; GRAPH",
            "New; All; All; GRAPH",
            "In Progress,Resolved; High,Medium; Malware; GRAPH",
            "All; UnSpecified,Low; null,Custom Thing; GRAPH",
            "New; High; DefenseEvasion; GRAPH",
            "Resolved; All; NoSuchCategory; GRAPH",
            "All; All; All; DEFENDER_XDR",
            "New; All; All; DEFENDER_XDR",
            "In Progress,Resolved; High,Medium; Malware; DEFENDER_XDR",
            "All; UnSpecified,Low; null,Custom Thing; DEFENDER_XDR",
            "New; High; DefenseEvasion; DEFENDER_XDR",
            "Resolved; All; NoSuchCategory; DEFENDER_XDR"})
    void deliveredIncidentsAreExactlyThoseMatchingAllThree(String status, String severity, String category,
            IncidentSource source) throws Exception {
        Map<String, String> settings = Bundle.tenantOn(emulator.baseUrl(), dir);
        settings.put("defender.source", source.key());
        settings.put("defender.trigger.status", status);
        settings.put("defender.trigger.severity", severity);
        settings.put("defender.trigger.category", category);
        int before = source.queries(emulator, TENANT).size();
        try (Bundle bundle = Bundle.start(settings)) {
            bundle.pollNow();
        }
        List<String> expected = INCIDENTS.stream()
                .filter(i -> chosen(status, seedWord((String) i[1])) && chosen(severity, seedWord((String) i[2]))
                        && anyChosen(category, i[3]))
                .map(i -> (String) i[0]).sorted().toList();
        assertEquals(expected, AlertFiles.alertIds(dir.resolve("alerts")));
        assertFalse(expected.isEmpty() && category.equals("All"), "the matrix row selects something");

        List<String> queries = source.queries(emulator, TENANT);
        String query = queries.get(before);
        assertEquals(!status.equals("All"), query.contains("status eq '"), "status pushed into $filter: " + query);
        // Defender XDR cannot filter by severity; Graph can. Neither filters incidents by their alerts' category.
        assertEquals(!severity.equals("All") && source == IncidentSource.GRAPH, query.contains("severity eq '"), query);
        assertFalse(query.contains("category"), query);
        if (source == IncidentSource.DEFENDER_XDR && status.startsWith("New")) {
            assertTrue(query.contains("status eq 'Active'"), "New is Defender XDR's Active: " + query);
        }
    }

    private static String seedWord(String apiWord) {
        return SEED_WORDS.getOrDefault(apiWord, apiWord);
    }

    @SuppressWarnings("unchecked")
    private static boolean anyChosen(String criteria, Object categories) {
        return ((List<String>) categories).stream().anyMatch(c -> chosen(criteria, c));
    }

    private static boolean chosen(String criteria, String value) {
        return CriteriaMatrixTest.chosen(criteria, value);
    }
}
