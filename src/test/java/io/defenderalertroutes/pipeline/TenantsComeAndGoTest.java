package io.defenderalertroutes.pipeline;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.testsupport.AlertFiles;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.EmulatedTenant;
import io.defenderalertroutes.testsupport.Management;
import org.apache.camel.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tenant files added, changed, refused, removed and put back while the bundle runs ({@code defender.tenants.dir}):
 * each change reaches that tenant alone, and a tenant of {@code defender.tenants} polls on through all of it, its
 * route never restarted and no gap between its polls longer than its interval and a second.
 */
class TenantsComeAndGoTest {

    private static final String FABRIKAM = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
    private static final String NORTHWIND = "7a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6e";
    private static final String TOKEN = "management-token-for-the-test-0123";
    private static final Duration INTERVAL = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final EmulatedTenant tenant = new EmulatedTenant();

    @Test
    void aTenantFileAddedChangedRefusedRemovedAndPutBackTouchesThatTenantAlone() throws Exception {
        tenant.asTenants("contoso", Map.of());
        tenant.emulator().registerClient(FABRIKAM, Bundle.CLIENT_ID, Bundle.CLIENT_SECRET);
        tenant.emulator().registerClient(NORTHWIND, Bundle.CLIENT_ID, Bundle.CLIENT_SECRET);
        Path tenants = Files.createDirectories(tenant.dir().resolve("tenants"));
        Path fabrikam = tenants.resolve("fabrikam.properties");
        Files.writeString(fabrikam, "tenant-id=" + FABRIKAM + "\ntrigger.severity=High\n");
        tenant.settings().put("defender.tenants.dir", tenants.toString());
        // the file system's events take most changes at once; the rescan is the guarantee
        tenant.settings().put("defender.tenants.dir.rescan", "PT1S");
        tenant.settings().put("defender.poll.interval", INTERVAL.toString());
        tenant.settings().put("defender.poll.on-start", "true");
        tenant.settings().put("defender.management.token", TOKEN);
        Management management = Management.on(tenant.settings());
        String recent = Emulated.ago(Duration.ofMinutes(10));
        tenant.emulator().putAlert(FABRIKAM, AlertJson.alert("f-high", recent, "New", "High", "Malware"));
        // older than fabrikam's checkpoint (f-high's) by more than the poll's overlap
        tenant.emulator().putAlert(FABRIKAM, AlertJson.alert("f-low", Emulated.ago(Duration.ofMinutes(40)), "New", "Low",
                "Malware"));
        tenant.emulator().putAlert(NORTHWIND, AlertJson.alert("n1", recent, "New", "High", "Malware"));
        Path alerts = tenant.dir().resolve("alerts");
        Path state = Path.of(tenant.settings().get("defender.state-dir"));

        List<Long> contosoPolls = new ArrayList<>();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        try (Bundle bundle = tenant.start()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> AlertFiles.alertIds(alerts.resolve("fabrikam")).contains("f-high"));
            Route contoso = bundle.context().getRoute("defender-poll-contoso");
            Route fabrikamBefore = bundle.context().getRoute("defender-poll-fabrikam");
            int[] seen = {tenant.emulator().apiRequests(Bundle.TENANT_ID)};
            long churnStart = System.nanoTime();
            sampler.scheduleAtFixedRate(() -> {
                int now = tenant.emulator().apiRequests(Bundle.TENANT_ID);
                if (now > seen[0]) {
                    seen[0] = now;
                    synchronized (contosoPolls) {
                        contosoPolls.add(System.nanoTime());
                    }
                }
            }, 0, 20, TimeUnit.MILLISECONDS);

            // add: a new file's tenant polls within seconds
            Files.writeString(tenants.resolve("northwind.properties"), "tenant-id=" + NORTHWIND + "\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> AlertFiles.alertIds(alerts.resolve("northwind")).equals(List.of("n1")));
            assertEquals(tenants.resolve("northwind.properties").toString(), row(management, "northwind").path("configuredBy").asText());

            // change: fabrikam restarts alone with its new criteria, from its checkpoint (f-high is not sent again)
            Files.writeString(fabrikam, "tenant-id=" + FABRIKAM + "\ntrigger.severity=High,Low\n");
            String later = Emulated.ago(Duration.ofMinutes(1));
            tenant.emulator().putAlert(FABRIKAM, AlertJson.alert("f-low2", later, "New", "Low", "Malware"));
            await().atMost(Duration.ofSeconds(10)).until(() -> AlertFiles.alertIds(alerts.resolve("fabrikam")).contains("f-low2"));
            assertNotSame(fabrikamBefore, bundle.context().getRoute("defender-poll-fabrikam"), "restarted");
            assertEquals(List.of("f-high", "f-low2"), AlertFiles.alertIds(alerts.resolve("fabrikam")),
                    "f-low, older than the checkpoint, is not caught up: the poll resumes from the checkpoint");

            // a bad file: refused in one line, shown, DOWN in readiness, counted; fabrikam polls on as it was
            Files.writeString(fabrikam, "tenant-id=" + FABRIKAM + "\ntrigger.severity=Critical\n");
            String refusal = "DOWN Invalid configuration: " + fabrikam + ": trigger.severity: unknown value 'Critical'";
            await().atMost(Duration.ofSeconds(10)).until(() -> readiness(management, "defender-tenant-file-fabrikam")
                    .contains(refusal));
            assertEquals(503, management.get("/observe/health/ready").statusCode());
            assertEquals(1.0, Management.sample(management.metrics(), "defender_tenant_config_errors_total",
                    "tenant=\"fabrikam\"").orElse(0), 0.0);
            assertTrue(status(management).path("notices").toString().contains(fabrikam + ": trigger.severity: unknown value"),
                    status(management).toString());
            tenant.emulator().putAlert(FABRIKAM, AlertJson.alert("f-low3", Emulated.ago(Duration.ofSeconds(30)), "New",
                    "Low", "Malware"));
            await().atMost(Duration.ofSeconds(10)).until(() -> AlertFiles.alertIds(alerts.resolve("fabrikam")).contains("f-low3"));
            // mended: the refusal ends
            Files.writeString(fabrikam, "tenant-id=" + FABRIKAM + "\ntrigger.severity=High,Low\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> readiness(management, "defender-tenant-file-fabrikam")
                    .isEmpty());
            assertEquals("[]", status(management).path("notices").toString());

            // remove: northwind stops after its poll in flight; its state stays
            Files.delete(tenants.resolve("northwind.properties"));
            // its row goes last, once everything else of it has
            await().atMost(Duration.ofSeconds(10)).until(() -> status(management).path("rows").findValuesAsText("tenant")
                    .stream().noneMatch("northwind"::equals));
            assertTrue(bundle.context().getRoute("defender-poll-northwind") == null);
            int callsAfterRemoval = tenant.emulator().apiRequests(NORTHWIND);
            assertTrue(Files.exists(state.resolve("northwind.checkpoint")), "its checkpoint is kept");
            tenant.emulator().putAlert(NORTHWIND, AlertJson.alert("n2", Emulated.ago(Duration.ofSeconds(20)), "New", "High",
                    "Malware"));

            // put back, through POST /observe/tenants/reload: resumes from its checkpoint, n1 not sent again
            assertEquals(401, management.post("/observe/tenants/reload", null).statusCode());
            Files.writeString(tenants.resolve("northwind.properties"), "tenant-id=" + NORTHWIND + "\n");
            var reload = management.post("/observe/tenants/reload", "Bearer " + TOKEN);
            assertEquals(200, reload.statusCode(), reload.body());
            assertTrue(bundle.context().getRoute("defender-poll-northwind") != null, "running once the answer comes: "
                    + reload.body());
            await().atMost(Duration.ofSeconds(10)).until(() -> AlertFiles.alertIds(alerts.resolve("northwind")).contains("n2"));
            assertEquals(List.of("n1", "n2"), AlertFiles.alertIds(alerts.resolve("northwind")));
            assertTrue(tenant.emulator().apiRequests(NORTHWIND) > callsAfterRemoval);

            // contoso polled on through it all, its route never restarted
            assertSame(contoso, bundle.context().getRoute("defender-poll-contoso"));
            sampler.shutdown();
            assertTrue(sampler.awaitTermination(5, TimeUnit.SECONDS));
            long longest = 0;
            synchronized (contosoPolls) {
                for (int i = 1; i < contosoPolls.size(); i++) {
                    longest = Math.max(longest, contosoPolls.get(i) - contosoPolls.get(i - 1));
                }
            }
            System.out.printf("contoso: %d polls while the files changed, the longest gap %d ms (interval %d ms)%n",
                    contosoPolls.size(), TimeUnit.NANOSECONDS.toMillis(longest), INTERVAL.toMillis());
            long churn = System.nanoTime() - churnStart;
            assertTrue(contosoPolls.size() >= Math.max(1, churn / INTERVAL.toNanos() - 1), "contoso polled on: "
                    + contosoPolls.size() + " polls in " + TimeUnit.NANOSECONDS.toMillis(churn) + " ms");
            assertTrue(longest <= INTERVAL.plusSeconds(1).toNanos(), "no gap beyond the interval and a second: "
                    + TimeUnit.NANOSECONDS.toMillis(longest) + " ms");
        } finally {
            sampler.shutdownNow();
        }
    }

    @Test
    void aDeploymentMayStartWithAnEmptyDirectoryAndPollItsFirstFileOnceItComes() throws Exception {
        tenant.settings().remove("defender.tenant-id");
        tenant.settings().remove("defender.tenant-name");
        Path tenants = Files.createDirectories(tenant.dir().resolve("tenants"));
        tenant.settings().put("defender.tenants.dir", tenants.toString());
        tenant.settings().put("defender.tenants.dir.rescan", "PT1S");
        Management management = Management.on(tenant.settings());
        tenant.emulator().putAlert(Bundle.TENANT_ID, AlertJson.alert("first", Emulated.ago(Duration.ofMinutes(5)), "New",
                "High", "Malware"));
        try (Bundle bundle = tenant.start()) {
            assertEquals(200, management.get("/observe/health/ready").statusCode(), "nothing to poll is nothing wrong");
            Files.writeString(tenants.resolve("contoso.properties"), "tenant-id=" + Bundle.TENANT_ID + "\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> AlertFiles.alertIds(tenant.dir().resolve("alerts")
                    .resolve("contoso")).equals(List.of("first")));

            // removed, nothing of it stays: not its route (which holds its token client, dedup store and checks),
            // though readiness, as a probe does, has looked at its route's checks
            assertEquals(200, management.get("/observe/health/ready").statusCode());
            java.lang.ref.WeakReference<Route> route = new java.lang.ref.WeakReference<>(
                    bundle.context().getRoute("defender-poll-contoso"));
            Files.delete(tenants.resolve("contoso.properties"));
            await().atMost(Duration.ofSeconds(10)).until(() -> bundle.context().getRoute("defender-poll-contoso") == null);
            management.get("/observe/health/ready");
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                System.gc();
                return route.get() == null;
            });
        }
    }

    @Test
    void aNewTenantIdStartsAfreshAndStateKeptPastKeepStateIsDeleted() throws Exception {
        tenant.settings().remove("defender.tenant-id");
        tenant.settings().remove("defender.tenant-name");
        tenant.emulator().registerClient(FABRIKAM, Bundle.CLIENT_ID, Bundle.CLIENT_SECRET);
        Path tenants = Files.createDirectories(tenant.dir().resolve("tenants"));
        Path file = tenants.resolve("acme.properties");
        Files.writeString(file, "tenant-id=" + Bundle.TENANT_ID + "\n");
        tenant.settings().put("defender.tenants.dir", tenants.toString());
        tenant.settings().put("defender.tenants.dir.rescan", "PT1S");
        tenant.settings().put("defender.tenants.dir.keep-state", "PT2S");
        tenant.settings().put("defender.poll.on-start", "true");
        tenant.settings().put("defender.poll.interval", INTERVAL.toString());
        String old = Emulated.ago(Duration.ofDays(3));
        tenant.emulator().putAlert(Bundle.TENANT_ID, AlertJson.alert("c-old", old, "New", "High", "Malware"));
        tenant.emulator().putAlert(FABRIKAM, AlertJson.alert("f-old", old, "New", "High", "Malware"));
        Path delivered = tenant.dir().resolve("alerts").resolve("acme");
        Path state = Path.of(tenant.settings().get("defender.state-dir"));
        try (Bundle bundle = tenant.start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> AlertFiles.alertIds(delivered).equals(List.of("c-old")));
            // another directory under the same name: its checkpoint is the other's, so it starts from the
            // historical start (30 days) and finds fabrikam's three-day-old alert
            Files.writeString(file, "tenant-id=" + FABRIKAM + "\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> AlertFiles.alertIds(delivered).contains("f-old"));

            // removed for longer than keep-state: its checkpoint and dedup keys go
            Files.delete(file);
            await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(state.resolve("acme.checkpoint"))
                    && !Files.exists(state.resolve("acme.removed")));
            // put back after that: a new tenant, from its historical start (f-old is delivered again)
            for (Path sent : AlertFiles.list(delivered)) {
                Files.delete(sent);
            }
            Files.writeString(file, "tenant-id=" + FABRIKAM + "\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> AlertFiles.alertIds(delivered).equals(List.of("f-old")));
        }
    }

    private static JsonNode status(Management management) throws Exception {
        return JSON.readTree(management.get("/observe/status.json", "Bearer " + TOKEN).body());
    }

    /** The state and message of one readiness check, or empty when there is no such check. */
    private static String readiness(Management management, String id) throws Exception {
        for (JsonNode check : JSON.readTree(management.get("/observe/health/ready?data=true").body()).path("checks")) {
            if (check.path("name").asText().equals(id)) {
                // Camel's health JSON escapes the message's '/' twice
                return check.path("status").asText() + " " + check.path("message").asText().replace("\\/", "/");
            }
        }
        return "";
    }

    private static JsonNode row(Management management, String name) throws Exception {
        Map<String, JsonNode> rows = new TreeMap<>();
        status(management).path("rows").forEach(r -> rows.put(r.path("tenant").asText(), r));
        assertFalse(rows.get(name) == null, "a row for " + name + ": " + rows.keySet());
        return rows.get(name);
    }
}
