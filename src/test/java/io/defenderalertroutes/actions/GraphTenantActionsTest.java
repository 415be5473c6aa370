package io.defenderalertroutes.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.EmulatedTenant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A tenant whose source is Graph: its alerts are updated through Graph (PATCH, then the comment), everything else
 * goes to the Defender for Endpoint API with a token for that API, and an update comes back to its Graph poller.
 */
class GraphTenantActionsTest {

    @RegisterExtension
    final EmulatedTenant tenant = new EmulatedTenant();

    @BeforeEach
    void graphTenant() {
        tenant.emulator().putAlert(Bundle.TENANT_ID, AlertJson.alert("da-g1", Emulated.ago(Duration.ofHours(1)), "New", "High", "Malware"));
        tenant.emulator().putMachine(Bundle.TENANT_ID, ResponseActionsTest.MACHINE);
        tenant.emulator().setMachineActionLife(Bundle.TENANT_ID, Duration.ofMillis(200), "Succeeded");
        tenant.settings().put("defender.source", "graph");
        ResponseActionsTest.allowAll(tenant);
        tenant.settings().put("defender.actions.api-url", tenant.emulator().baseUrl());
        tenant.settings().put("defender.trigger.updates", "true");
    }

    @Test
    void alertsAreUpdatedThroughGraphAndMachinesThroughTheDefenderApi() throws Exception {
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
            JsonNode updated = ResponseActionsTest.act(bundle, ResponseActionsTest.request("g-1", "update-alert", "da-g1",
                    "{\"status\":\"InProgress\",\"classification\":\"TruePositive\",\"comment\":\"on it\"}"));
            assertEquals("succeeded", updated.path("outcome").asText(), updated.toString());
            JsonNode commented = ResponseActionsTest.act(bundle, ResponseActionsTest.request("g-2", "update-alert", "da-g1",
                    "{\"comment\":\"a second word\"}"));
            assertEquals("succeeded", commented.path("outcome").asText(), commented.toString());
            JsonNode isolated = ResponseActionsTest.act(bundle, ResponseActionsTest.request("g-3", "isolate-machine",
                    ResponseActionsTest.MACHINE, "{\"Comment\":\"c\",\"IsolationType\":\"Selective\"}"));
            assertEquals("succeeded", isolated.path("outcome").asText(), isolated.toString());
            bundle.pollNow();
        }
        JsonNode alert = ResponseActionsTest.JSON.readTree(tenant.emulator().graphJson(Bundle.TENANT_ID, "da-g1"));
        assertEquals("inProgress", alert.path("status").asText());
        assertEquals("truePositive", alert.path("classification").asText());
        assertEquals(List.of("on it", "a second word"), List.of(alert.path("comments").get(0).path("comment").asText(),
                alert.path("comments").get(1).path("comment").asText()));
        assertEquals(List.of("Isolate"), List.copyOf(tenant.emulator().machineActionTypes(Bundle.TENANT_ID).values()),
                "the isolation went to the Defender API, with a token for it");
        assertEquals(List.of("da-g1", "da-g1"), tenant.delivered(), "the Graph poller saw the update");
    }

    @Test
    void aMissingGraphPermissionIsNamed() throws Exception {
        tenant.emulator().denyPermission(Bundle.TENANT_ID, "SecurityAlert.ReadWrite.All");
        try (Bundle bundle = tenant.start()) {
            JsonNode denied = ResponseActionsTest.act(bundle, ResponseActionsTest.request("g-4", "update-alert", "da-g1",
                    "{\"status\":\"Resolved\"}"));
            assertEquals("failed", denied.path("outcome").asText());
            assertTrue(denied.path("error").asText().contains("SecurityAlert.ReadWrite.All on Microsoft Graph"), denied.toString());
        }
    }
}
