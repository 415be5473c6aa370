package io.defenderalertroutes.criteria;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import io.defenderalertroutes.config.InvalidConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TriggerCriteriaTest {

    private static TriggerCriteria criteria(String status, String severity, String category) {
        return TriggerCriteria.of("s", List.of(status.split(",")), "v", List.of(severity.split(",")),
                "c", List.of(category.split(",")));
    }

    static List<String> statuses() {
        return List.of("Unknown", "New", "InProgress", "Resolved");
    }

    static List<String> severities() {
        return List.of("UnSpecified", "Informational", "Low", "Medium", "High");
    }

    @ParameterizedTest
    @MethodSource("statuses")
    void eachStatusMatchesItselfOnly(String chosen) {
        TriggerCriteria only = criteria(chosen, "All", "All");
        for (String status : statuses()) {
            assertEquals(status.equals(chosen), only.matches(status, "High", "Malware"), status);
        }
        assertTrue(criteria("All", "All", "All").matches(chosen, "Low", "Malware"));
    }

    @ParameterizedTest
    @MethodSource("severities")
    void eachSeverityMatchesItselfOnly(String chosen) {
        TriggerCriteria only = criteria("All", chosen, "All");
        for (String severity : severities()) {
            assertEquals(severity.equals(chosen), only.matches("New", severity, "Malware"), severity);
        }
    }

    @Test
    void allThreeMustMatch() {
        TriggerCriteria c = criteria("New", "Medium", "DefenseEvasion");
        assertTrue(c.matches("New", "Medium", "DefenseEvasion"));
        assertFalse(c.matches("InProgress", "Medium", "DefenseEvasion"));
        assertFalse(c.matches("New", "High", "DefenseEvasion"));
        assertFalse(c.matches("New", "Medium", "Malware"));
    }

    @Test
    void categoryIsFreeTextAndUnknownValuesPassOnlyAll() {
        TriggerCriteria custom = criteria("All", "All", "SomethingNew,null");
        assertTrue(custom.matches("New", "Low", "SomethingNew"));
        assertTrue(custom.matches("New", "Low", "null"));
        assertFalse(custom.matches("New", "Low", null));
        // a status or severity Microsoft adds later: carried, and matched by All only
        assertTrue(criteria("All", "All", "All").matches("unknownFutureValue", "Critical", null));
        assertFalse(criteria("New", "All", "All").matches("unknownFutureValue", "High", "Malware"));
    }

    @Test
    void seedGuideSpellingsAreAccepted() {
        TriggerCriteria c = criteria("In Progress,new", "unspecified", "All");
        assertTrue(c.matches("InProgress", "UnSpecified", "x"));
        assertTrue(c.matches("New", "UnSpecified", "x"));
    }

    @Test
    void odataClauseIsAndAcrossOrWithin() {
        assertEquals("", criteria("All", "All", "All").toODataClause());
        assertEquals("(status eq 'New' or status eq 'InProgress') and severity eq 'High' and category eq 'O''Brien'",
                criteria("New,InProgress", "High", "O'Brien").toODataClause());
        assertEquals("", criteria("All", "Low,All", "All").toODataClause(), "All anywhere in a list means All");
    }

    @Test
    void unknownStatusOrSeverityIsAConfigurationError() {
        InvalidConfigurationException status = assertThrows(InvalidConfigurationException.class,
                () -> TriggerCriteria.of("defender.trigger.status", List.of("Open"), "v", List.of("All"), "c", List.of("All")));
        assertEquals("Invalid configuration: defender.trigger.status: unknown value 'Open'; expected All or any of "
                + "Unknown, New, InProgress, Resolved", status.getMessage());
        assertThrows(InvalidConfigurationException.class,
                () -> TriggerCriteria.of("s", List.of("All"), "defender.trigger.severity", List.of("Critical"), "c", List.of("All")));
    }

    @Test
    void aLikelyTypoOfADocumentedCategoryIsPointedOut() {
        assertEquals(java.util.Map.of("Malwar", "Malware", "defense evasion", "DefenseEvasion"),
                criteria("All", "All", "Malwar,defense evasion,Ransomware,MyOwnCategory").likelyCategoryTypos());
        assertTrue(criteria("All", "All", "All").likelyCategoryTypos().isEmpty());
        assertTrue(criteria("All", "All", "null,Custom Thing").likelyCategoryTypos().isEmpty());
    }
}
