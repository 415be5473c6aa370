package io.defenderalertroutes.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.EmulatedTenant;
import io.defenderalertroutes.testsupport.KafkaBroker;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The worked playbook of docs/actions.md, taken from that page itself, run against the emulator and a real broker. */
class PlaybookTest {

    @RegisterExtension
    final EmulatedTenant tenant = new EmulatedTenant();

    /** The first YAML block after the worked-playbook marker. */
    static String readmePlaybook() throws Exception {
        String readme = Files.readString(Path.of("docs", "actions.md"));
        int marker = readme.indexOf("<!-- worked-playbook");
        int start = readme.indexOf("```yaml\n", marker) + "```yaml\n".length();
        return readme.substring(start, readme.indexOf("```", start));
    }

    @Test
    void aHighAlertGetsItsMachineIsolatedAndIsSetInProgressWithAComment() throws Exception {
        tenant.emulator().putAlert(Bundle.TENANT_ID, AlertJson.alert("pb-high", Emulated.ago(Duration.ofHours(1)), "New", "High", "Malware"));
        tenant.emulator().putAlert(Bundle.TENANT_ID, AlertJson.alert("pb-low", Emulated.ago(Duration.ofHours(1)), "New", "Low", "Malware"));
        String machine = ResponseActionsTest.JSON.readTree(tenant.emulator().servedJson(Bundle.TENANT_ID, "pb-high", false))
                .path("machineId").asText();
        tenant.emulator().putMachine(Bundle.TENANT_ID, machine);
        tenant.emulator().setMachineActionLife(Bundle.TENANT_ID, Duration.ofMillis(300), "Succeeded");
        Path playbook = tenant.dir().resolve("playbook.camel.yaml");
        Files.writeString(playbook, readmePlaybook());
        String requests = KafkaBroker.uniqueTopic("playbook-actions");
        KafkaBroker.createTopic(requests, 1);
        var settings = tenant.settings();
        settings.put("camel.main.routes-include-pattern",
                "classpath:defender-alert-routes/routes/*.camel.yaml,file:" + playbook);
        settings.put("camel.component.kafka.brokers", KafkaBroker.bootstrapServers());
        settings.put("defender.sinks", "file,playbook");
        settings.put("defender.actions.allowed", "isolate-machine,update-alert");
        settings.put("defender.actions.topic", requests);
        settings.put("defender.actions.group-id", requests);
        settings.put("defender.actions.results", "file");
        settings.put("defender.actions.results.dir", tenant.dir().resolve("results").toString());
        settings.put("defender.actions.check-after", "PT0.05S");
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                    Files.exists(tenant.dir().resolve("results/isolate-pb-high.json"))
                            && Files.exists(tenant.dir().resolve("results/triage-pb-high.json")));
        }
        JsonNode isolated = ResponseActionsTest.JSON.readTree(Files.readString(tenant.dir().resolve("results/isolate-pb-high.json")));
        assertEquals("succeeded", isolated.path("outcome").asText(), isolated.toString());
        assertEquals(machine, isolated.path("target").asText());
        assertEquals("Succeeded", isolated.path("machineAction").path("status").asText());
        JsonNode alert = ResponseActionsTest.JSON.readTree(tenant.emulator().servedJson(Bundle.TENANT_ID, "pb-high", false));
        assertEquals("InProgress", alert.path("status").asText());
        assertEquals("Machine " + machine + " isolated by the playbook", alert.path("comments").get(0).path("comment").asText());
        assertEquals(List.of("Isolate"), List.copyOf(tenant.emulator().machineActionTypes(Bundle.TENANT_ID).values()),
                "one isolation, for the High alert only");
        assertEquals("New", ResponseActionsTest.JSON.readTree(tenant.emulator().servedJson(Bundle.TENANT_ID, "pb-low", false))
                .path("status").asText());
        assertTrue(tenant.delivered().containsAll(List.of("pb-high", "pb-low")), "the file sink got both as before");
    }
}
