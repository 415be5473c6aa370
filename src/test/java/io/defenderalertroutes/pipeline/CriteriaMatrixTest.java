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
import java.util.Set;

import io.defenderalertroutes.defender.Timestamps;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.emulator.DefenderEmulator;
import io.defenderalertroutes.testsupport.AlertFiles;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Emulated;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The trigger criteria over every status and severity, several categories and values Microsoft may add later:
 * what arrives in the alerts directory is exactly what matches all three choices.
 */
class CriteriaMatrixTest {

    private static final String TENANT = Bundle.TENANT_ID;
    private static final List<String> STATUSES = List.of("Unknown", "New", "InProgress", "Resolved", "unknownFutureValue");
    private static final List<String> SEVERITIES = List.of("UnSpecified", "Informational", "Low", "Medium", "High", "Critical");
    private static final List<String> CATEGORIES = List.of("Malware", "DefenseEvasion", "null", "Custom Thing");

    private static DefenderEmulator emulator;
    private static final List<String[]> ALERTS = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void seed() throws Exception {
        emulator = Emulated.tenant();
        Instant base = Instant.now().minus(Duration.ofHours(6));
        int n = 0;
        for (String status : STATUSES) {
            for (String severity : SEVERITIES) {
                for (String category : CATEGORIES) {
                    String id = "m" + n;
                    emulator.putAlert(TENANT, AlertJson.alert(id, Timestamps.format(base.plusSeconds(n)), status, severity, category));
                    ALERTS.add(new String[] {id, status, severity, category});
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
            "All; All; All; defender-api",
            "New; All; All; defender-api",
            "Unknown; UnSpecified; All; defender-api",
            "In Progress,Resolved; High,Medium; Malware; defender-api",
            "All; Informational,Low; null,Custom Thing; defender-api",
            "New; High; DefenseEvasion; defender-api",
            "Resolved; All; NoSuchCategory; defender-api",
            "All; All; All; graph",
            "New; All; All; graph",
            "Unknown; UnSpecified; All; graph",
            "In Progress,Resolved; High,Medium; Malware; graph",
            "All; Informational,Low; null,Custom Thing; graph",
            "New; High; DefenseEvasion; graph",
            "Resolved; All; NoSuchCategory; graph"})
    void deliveredAlertsAreExactlyThoseMatchingAllThree(String status, String severity, String category, String source)
            throws Exception {
        Map<String, String> settings = Bundle.tenantOn(emulator.baseUrl(), dir);
        settings.put("defender.source", source);
        boolean graph = source.equals("graph");
        settings.put("defender.trigger.status", status);
        settings.put("defender.trigger.severity", severity);
        settings.put("defender.trigger.category", category);
        try (Bundle bundle = Bundle.start(settings)) {
            bundle.pollNow();
        }
        List<String> expected = ALERTS.stream()
                .filter(a -> chosen(status, a[1]) && chosen(severity, a[2]) && chosen(category, a[3]))
                .map(a -> a[0]).sorted().toList();
        assertEquals(expected, AlertFiles.alertIds(dir.resolve("alerts")));
        if (!status.equals("All")) {
            assertFalse(expected.stream().anyMatch(id -> ALERTS.stream().anyMatch(a -> a[0].equals(id) && a[1].equals("unknownFutureValue"))),
                    "a status we do not know matches only All");
        }
        List<String> queries = graph ? emulator.graphRequestQueries(TENANT) : emulator.requestQueries(TENANT);
        String query = queries.get(queries.size() - 1);
        for (String group : List.of("status", "severity", "category")) {
            String value = group.equals("status") ? status : group.equals("severity") ? severity : category;
            // Graph cannot filter on category: that group is the client's alone there
            boolean pushed = !value.equals("All") && !(graph && group.equals("category"));
            assertEquals(pushed, query.contains(group + " eq '"), "criteria pushed into $filter: " + query);
        }
        if (graph) {
            assertTrue(query.contains("serviceSource eq 'microsoftDefenderForEndpoint'"), query);
            assertEquals(status.contains("In Progress"), query.contains("status eq 'inProgress'"), query);
            assertEquals(severity.contains("UnSpecified"), query.contains("severity eq 'unknown'"), query);
        }
    }

    /** The test's own reading of a criteria value: All, or a list compared without spaces and case. */
    static boolean chosen(String criteria, String value) {
        if (criteria.equals("All")) {
            return true;
        }
        Set<String> accepted = Set.of(criteria.replace(" ", "").toLowerCase().split(","));
        return accepted.contains(value.replace(" ", "").toLowerCase());
    }
}
