package io.defenderalertroutes.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.defenderalertroutes.app.Application;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.schedule.PollTimers;
import io.defenderalertroutes.testsupport.AlertFiles;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.EmulatedTenant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tenants of files of their own ({@code defender.tenants.dir}, as a ConfigMap of tenant files mounts them), beside a
 * tenant of {@code defender.tenants}: each polls with its own keys, and a mistake in a file names the file and its key.
 */
class TenantDirectoryTest {

    private static final String FABRIKAM = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
    private static final String NORTHWIND = "7a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6e";

    @RegisterExtension
    final EmulatedTenant tenant = new EmulatedTenant();

    private Path tenants;

    private void files() throws Exception {
        tenant.asTenants("contoso", Map.of());
        tenant.emulator().registerClient(FABRIKAM, Bundle.CLIENT_ID, Bundle.CLIENT_SECRET);
        tenant.emulator().registerClient(NORTHWIND, Bundle.CLIENT_ID, Bundle.CLIENT_SECRET);
        tenants = Files.createDirectories(tenant.dir().resolve("tenants"));
        Path secret = Files.writeString(tenant.dir().resolve("fabrikam-secret"), Bundle.CLIENT_SECRET);
        Files.writeString(tenants.resolve("fabrikam.properties"), "# a customer onboarded by a file\n"
                + "tenant-id=" + FABRIKAM + "\nclient-secret-file=" + secret + "\ntrigger.severity=High\n");
        Files.writeString(tenants.resolve("northwind.properties"), "tenant-id=" + NORTHWIND + "\ntrigger.severity=High\n");
        // the kubelet's bookkeeping beside the files is not a tenant
        Files.writeString(tenants.resolve("..data"), "");
        tenant.settings().put("defender.tenants.dir", tenants.toString());
    }

    private String startUpError() {
        Exception e = assertThrows(Exception.class, () -> tenant.start().close());
        return Application.configurationMistake(e).getMessage();
    }

    @Test
    void tenantsOfFilesPollBesideTheListedOneWithTheirOwnKeys() throws Exception {
        files();
        // an override (here a property; an environment variable likewise) wins over the file's key
        tenant.settings().put("defender.tenant.northwind.trigger.severity", "Low");
        String recent = Emulated.ago(Duration.ofMinutes(10));
        tenant.emulator().putAlert(Bundle.TENANT_ID, AlertJson.alert("c-high", recent, "New", "High", "Malware"));
        tenant.emulator().putAlert(FABRIKAM, AlertJson.alert("f-high", recent, "New", "High", "Malware"));
        tenant.emulator().putAlert(FABRIKAM, AlertJson.alert("f-low", recent, "New", "Low", "Malware"));
        tenant.emulator().putAlert(NORTHWIND, AlertJson.alert("n-low", recent, "New", "Low", "Malware"));
        tenant.settings().put("camel.management.host", "127.0.0.1");
        io.defenderalertroutes.testsupport.Management management = io.defenderalertroutes.testsupport.Management.on(tenant.settings());
        try (Bundle bundle = tenant.start()) {
            for (String name : List.of("contoso", "fabrikam", "northwind")) {
                PollTimers.pollNow(bundle.context(), name, Duration.ofSeconds(30));
            }
            // the status page says where each tenant's settings come from
            com.fasterxml.jackson.databind.JsonNode rows = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(management.get("/observe/status.json").body()).path("rows");
            Map<String, String> configuredBy = new java.util.TreeMap<>();
            rows.forEach(row -> configuredBy.put(row.path("tenant").asText(), row.path("configuredBy").asText()));
            assertEquals(Map.of("contoso", "defender.tenants", "fabrikam", tenants.resolve("fabrikam.properties").toString(),
                    "northwind", tenants.resolve("northwind.properties").toString()), configuredBy);
            assertTrue(rows.get(0).path("loadedAt").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), rows.toString());
        }
        Path alerts = tenant.dir().resolve("alerts");
        assertEquals(List.of("c-high"), AlertFiles.alertIds(alerts.resolve("contoso")));
        assertEquals(List.of("f-high"), AlertFiles.alertIds(alerts.resolve("fabrikam")), "its file's criteria");
        assertEquals(List.of("n-low"), AlertFiles.alertIds(alerts.resolve("northwind")), "the override of its file's key");
    }

    @Test
    void aMistakeInAFileNamesTheFileAndItsKey() throws Exception {
        files();
        Path fabrikam = tenants.resolve("fabrikam.properties");
        Files.writeString(fabrikam, Files.readString(fabrikam) + "trigger.severtiy=High\n");
        assertEquals("Invalid configuration: " + fabrikam + ": trigger.severtiy: is not used for this tenant: it is a global "
                + "key (set defender.trigger.severtiy), one this tenant's other settings leave unused, or misspelt", startUpError());

        Files.writeString(fabrikam, "tenant-id=" + FABRIKAM + "\ntrigger.severity=Critical\n");
        assertTrue(startUpError().startsWith("Invalid configuration: " + fabrikam + ": trigger.severity: unknown value 'Critical'"),
                startUpError());

        Files.writeString(fabrikam, "tenant-id=" + FABRIKAM + "\npoll.interval-minutes=1\n");
        assertEquals("Invalid configuration: " + fabrikam + ": poll.interval-minutes: was renamed; use poll.interval, an "
                + "ISO-8601 duration such as PT5M", startUpError());

        Files.writeString(fabrikam, "defender.tenant-id=" + FABRIKAM + "\n");
        assertEquals("Invalid configuration: " + fabrikam + ": defender.tenant-id: give the key without its prefix, as "
                + "tenant-id", startUpError());

        Files.writeString(fabrikam, "tenant-id=" + FABRIKAM + "\n");
        Files.writeString(tenants.resolve("contoso.properties"), "tenant-id=" + Bundle.TENANT_ID + "\n");
        assertEquals("Invalid configuration: defender.tenants.dir: " + tenants.resolve("contoso.properties")
                + ": tenant 'contoso' is named in defender.tenants too; keep each tenant in one place", startUpError());
    }
}
