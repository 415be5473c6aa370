package io.defenderalertroutes.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.emulator.IncidentJson;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.EmulatedTenant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A tenant whose source is Defender XDR's incidents: Defender XDR has no alert updates or machine actions, so its
 * actions all go to the Defender for Endpoint API, with a token for that API rather than the polls' own.
 */
class DefenderXdrTenantActionsTest {

    @RegisterExtension
    final EmulatedTenant tenant = new EmulatedTenant();

    @Test
    void alertsAndMachinesAreActedOnThroughTheDefenderApi() throws Exception {
        String at = Emulated.ago(Duration.ofHours(1));
        tenant.emulator().putAlert(Bundle.TENANT_ID, AlertJson.alert("da-x1", at, "New", "High", "Malware"));
        tenant.emulator().putDefenderIncident(Bundle.TENANT_ID, IncidentJson.defenderIncident(5001, at, "Active", "High",
                List.of(IncidentJson.defenderIncidentAlert("da-x1", at, "New", "High", "Malware"))));
        tenant.emulator().putMachine(Bundle.TENANT_ID, ResponseActionsTest.MACHINE);
        tenant.emulator().setMachineActionLife(Bundle.TENANT_ID, Duration.ofMillis(200), "Succeeded");
        tenant.settings().put("defender.source", "defender-incidents");
        ResponseActionsTest.allowAll(tenant);
        tenant.settings().put("defender.actions.api-url", tenant.emulator().baseUrl());
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
            JsonNode updated = ResponseActionsTest.act(bundle, ResponseActionsTest.request("x-1", "update-alert", "da-x1",
                    "{\"status\":\"InProgress\",\"comment\":\"on it\"}"));
            assertEquals("succeeded", updated.path("outcome").asText(), updated.toString());
            JsonNode isolated = ResponseActionsTest.act(bundle, ResponseActionsTest.request("x-2", "isolate-machine",
                    ResponseActionsTest.MACHINE, "{\"Comment\":\"c\",\"IsolationType\":\"Selective\"}"));
            assertEquals("succeeded", isolated.path("outcome").asText(), isolated.toString());
        }
        JsonNode alert = ResponseActionsTest.JSON.readTree(tenant.emulator().servedJson(Bundle.TENANT_ID, "da-x1", false));
        assertEquals("InProgress", alert.path("status").asText(), "the alert of the incident was updated in Defender");
        assertEquals(List.of("Isolate"), List.copyOf(tenant.emulator().machineActionTypes(Bundle.TENANT_ID).values()));
        assertEquals(List.of("5001"), tenant.delivered(), "the poll read Defender XDR's incidents");
    }
}
