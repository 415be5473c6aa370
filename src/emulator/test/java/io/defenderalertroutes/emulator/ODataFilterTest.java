package io.defenderalertroutes.emulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ODataFilterTest {

    private static final StoredAlert ALERT = StoredAlert.of("{\"id\":\"da1_2\",\"incidentId\":7587,"
            + "\"assignedTo\":null,\"status\":\"InProgress\",\"severity\":\"High\",\"category\":\"null\","
            + "\"detectionSource\":\"WindowsDefenderAv\",\"lastUpdateTime\":\"2021-01-26T20:33:59.2Z\","
            + "\"alertCreationTime\":\"2021-01-26T20:33:57.7220239Z\"}");

    @ParameterizedTest
    @ValueSource(strings = {
        "lastUpdateTime eq 2021-01-26T20:33:59.2000000Z",
        "lastUpdateTime eq '2021-01-26T20:33:59.2Z'",
        "lastUpdateTime eq 2021-01-26T21:33:59.2+01:00",
        "lastUpdateTime gt 2021-01-26T20:33:59.1999999Z",
        "lastUpdateTime lt 2021-01-26T20:33:59.2000001Z",
        "alertCreationTime ge 2021-01-26T20:33:57.7220239Z and alertCreationTime le 2021-01-26T20:33:57.722024Z",
        "status eq 'inprogress' and severity eq 'HIGH'",
        "status in ('New', 'InProgress')",
        "category eq 'null'",
        "assignedTo eq null",
        "incidentId eq 7587 and incidentId gt 7000",
        "id eq 'da1_2'",
        "detectionSource ne 'WindowsDefenderAtp'",
        "not (status eq 'New')",
        "not not (status eq 'InProgress')",
        "status eq 'New' or status eq 'InProgress' and severity eq 'High'",
        "(((status eq 'InProgress')))",
        "Status eq 'InProgress'",
    })
    void matches(String filter) {
        assertTrue(ODataFilter.parse(filter).matches(ALERT), filter);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "lastUpdateTime gt 2021-01-26T20:33:59.2Z",
        "lastUpdateTime lt 2021-01-26T20:33:59.2Z",
        "lastUpdateTime ne 2021-01-26T20:33:59.20Z",
        "alertCreationTime gt 2021-01-26T20:33:57.7220239Z",
        "id eq 'DA1_2'",
        "assignedTo ne null",
        "assignedTo gt 'a'",
        "(status eq 'New' or status eq 'InProgress') and severity eq 'Low'",
        "not (status in ('inprogress'))",
        "lastEventTime ne null",
    })
    void doesNotMatch(String filter) {
        assertFalse(ODataFilter.parse(filter).matches(ALERT), filter);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "status",
        "status eq",
        "status eq New",
        "status eq 'New",
        "status = 'New'",
        "status EQ 'New'",
        "status eq 'New' AND severity eq 'High'",
        "(status eq 'New'",
        "status eq 'New')",
        "not status eq 'New'",
        "status in 'New'",
        "status in ()",
        "lastUpdateTime gt 2021-01-26",
        "lastUpdateTime gt 2021-01-26T20:33:59.12345678Z",
        "lastUpdateTime gt 2021-13-26T20:33:59Z",
        "lastUpdateTime gt 'yesterday'",
        "incidentId eq '7587'",
        "title eq 'x'",
        "resolvedTime eq null",
        "contains(title, 'x')",
        "status eq 'New' status eq 'New'",
    })
    void refuses(String filter) {
        InvalidQueryException e = assertThrows(InvalidQueryException.class, () -> ODataFilter.parse(filter));
        assertTrue(e.getMessage().startsWith("Invalid filter clause: "), e.getMessage());
    }

    @Test
    void quotesAreEscapedByDoubling() {
        StoredAlert alert = StoredAlert.of("{\"id\":\"it's\"}");

        assertTrue(ODataFilter.parse("id eq 'it''s'").matches(alert));
    }
}
