package io.defenderalertroutes.packaged;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.emulator.DefenderEmulator;
import io.defenderalertroutes.testsupport.AlertFiles;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.JarInstance;
import io.defenderalertroutes.testsupport.Management;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenant files added, changed, refused, mended, removed and put back while the packaged jar runs, seen as an
 * operator sees them: the alert files, status.json, readiness, the metrics, the state directory and what Microsoft's
 * side was asked. A tenant of {@code DEFENDER_TENANTS} polls on through all of it.
 */
class TenantDirectoryIT {

    private static final String CONTOSO = Bundle.TENANT_ID;
    private static final String FABRIKAM = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
    private static final String NORTHWIND = "7a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6e";
    private static final String TOKEN = "management-token-for-the-test-0123";
    private static final Duration INTERVAL = Duration.ofSeconds(2);
    /** What a gap between contoso's polls may exceed its interval by: a JVM on a busy 2-core machine. */
    private static final Duration SLACK = Duration.ofSeconds(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void tenantFilesComeChangeFailAndGoWhileTheOtherTenantPollsOn() throws Exception {
        List<Long> contosoPolls = new ArrayList<>();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        JarInstance jar = null;
        try (DefenderEmulator emulator = Emulated.tenant()) {
            emulator.registerClient(FABRIKAM, Bundle.CLIENT_ID, Bundle.CLIENT_SECRET);
            emulator.registerClient(NORTHWIND, Bundle.CLIENT_ID, Bundle.CLIENT_SECRET);
            Path home = dir.resolve("home");
            Path tenants = Files.createDirectories(dir.resolve("tenants"));
            Path secrets = Files.createDirectories(dir.resolve("secrets"));
            Path sharedSecret = Files.writeString(secrets.resolve("shared"), Bundle.CLIENT_SECRET + "\n");
            // northwind signs in with a secret of its own, mounted beside its file as a Kubernetes Secret would be
            Path northwindSecret = Files.writeString(secrets.resolve("northwind"), Bundle.CLIENT_SECRET + "\n");
            Path fabrikam = tenants.resolve("fabrikam.properties");
            Path northwind = tenants.resolve("northwind.properties");
            String northwindFile = "tenant-id=" + NORTHWIND + "\nclient-secret-file=" + northwindSecret + "\n";
            put(fabrikam, "tenant-id=" + FABRIKAM + "\ntrigger.severity=High\n");

            String recent = Emulated.ago(Duration.ofMinutes(10));
            emulator.putAlert(CONTOSO, AlertJson.alert("c1", recent, "New", "High", "Malware"));
            emulator.putAlert(FABRIKAM, AlertJson.alert("f-high", recent, "New", "High", "Malware"));
            // older than fabrikam's checkpoint (f-high's) by more than the poll's overlap: a restart that caught up
            // from the historical start would send it
            emulator.putAlert(FABRIKAM, AlertJson.alert("f-low", Emulated.ago(Duration.ofMinutes(40)), "New", "Low",
                    "Malware"));
            emulator.putAlert(NORTHWIND, AlertJson.alert("n1", recent, "New", "High", "Malware"));

            Map<String, String> env = new HashMap<>();
            env.put("DEFENDER_TENANTS", "contoso");
            env.put("DEFENDER_TENANT_CONTOSO_TENANT_ID", CONTOSO);
            env.put("DEFENDER_CLIENT_ID", Bundle.CLIENT_ID);
            env.put("DEFENDER_CLIENT_SECRET_FILE", sharedSecret.toString());
            env.put("DEFENDER_AUTHORITY_URL", emulator.baseUrl());
            env.put("DEFENDER_API_URL", emulator.baseUrl());
            env.put("DEFENDER_POLL_ON_START", "true");
            env.put("DEFENDER_POLL_INTERVAL", INTERVAL.toString());
            env.put("DEFENDER_TENANTS_DIR", tenants.toString());
            // file system events take most changes at once; the rescan is what is promised
            env.put("DEFENDER_TENANTS_DIR_RESCAN", "PT1S");
            env.put("DEFENDER_MANAGEMENT_TOKEN", TOKEN);
            Path alerts = home.resolve("alerts");
            Path state = home.resolve("state");

            jar = JarInstance.start("tenants-dir", home, env, "-Xmx256m");
            JarInstance instance = jar;
            Management management = jar.management();
            await().atMost(Duration.ofSeconds(60)).until(() -> !instance.process().isAlive()
                    || AlertFiles.alertIds(alerts.resolve("fabrikam")).contains("f-high")
                    && AlertFiles.alertIds(alerts.resolve("contoso")).contains("c1"));
            assertTrue(jar.process().isAlive(), jar.output());
            String contosoLoaded = row(management, "contoso").path("loadedAt").asText();

            int[] seen = {emulator.apiRequests(CONTOSO)};
            long churnStart = System.nanoTime();
            sampler.scheduleAtFixedRate(() -> {
                int now = emulator.apiRequests(CONTOSO);
                if (now > seen[0]) {
                    seen[0] = now;
                    synchronized (contosoPolls) {
                        contosoPolls.add(System.nanoTime());
                    }
                }
            }, 0, 20, TimeUnit.MILLISECONDS);

            // add: a new file's tenant polls within seconds, with the secret its file names
            put(northwind, northwindFile);
            await().atMost(Duration.ofSeconds(15)).until(() -> AlertFiles.alertIds(alerts.resolve("northwind")).equals(List.of("n1")));
            assertEquals(northwind.toString(), row(management, "northwind").path("configuredBy").asText());

            // change: fabrikam restarts with its new criteria, from its checkpoint
            put(fabrikam, "tenant-id=" + FABRIKAM + "\ntrigger.severity=High,Low\n");
            emulator.putAlert(FABRIKAM, AlertJson.alert("f-low2", Emulated.ago(Duration.ofMinutes(1)), "New", "Low", "Malware"));
            await().atMost(Duration.ofSeconds(15)).until(() -> AlertFiles.alertIds(alerts.resolve("fabrikam")).contains("f-low2"));
            assertEquals(List.of("f-high", "f-low2"), AlertFiles.alertIds(alerts.resolve("fabrikam")),
                    "f-low, older than the checkpoint, is not sent: the restart resumed from the checkpoint");
            String criteria = row(management, "fabrikam").path("criteria").asText();
            assertTrue(criteria.contains("Low"), criteria);

            // a bad file: refused naming the file and its key, DOWN in readiness, counted; fabrikam polls on as it was
            put(fabrikam, "tenant-id=" + FABRIKAM + "\ntrigger.severity=Critical\n");
            String refusal = "DOWN Invalid configuration: " + fabrikam + ": trigger.severity: unknown value 'Critical'";
            await().atMost(Duration.ofSeconds(15)).until(() -> readiness(management, "defender-tenant-file-fabrikam")
                    .startsWith(refusal));
            assertEquals(503, management.get("/observe/health/ready").statusCode());
            assertEquals(1.0, Management.sample(management.metrics(), "defender_tenant_config_errors_total",
                    "tenant=\"fabrikam\"").orElse(0), 0.0);
            String notices = status(management).path("notices").toString();
            assertTrue(notices.contains(fabrikam + ": trigger.severity: unknown value 'Critical'"), notices);
            assertTrue(notices.contains("It polls on with the settings loaded before"), notices);
            assertEquals(criteria, row(management, "fabrikam").path("criteria").asText(), "the previous settings run on");
            emulator.putAlert(FABRIKAM, AlertJson.alert("f-low3", Emulated.ago(Duration.ofSeconds(30)), "New", "Low", "Malware"));
            await().atMost(Duration.ofSeconds(15)).until(() -> AlertFiles.alertIds(alerts.resolve("fabrikam")).contains("f-low3"));
            assertTrue(jar.output().contains("Tenant file refused: Invalid configuration: " + fabrikam + ": trigger.severity"),
                    "logged once, naming the file and its key");

            // mended: the refusal ends, readiness is UP again; the count of refusals stays, as counters do
            put(fabrikam, "tenant-id=" + FABRIKAM + "\ntrigger.severity=High,Low\n");
            await().atMost(Duration.ofSeconds(15)).until(() -> readiness(management, "defender-tenant-file-fabrikam").isEmpty());
            await().atMost(Duration.ofSeconds(15)).until(() -> management.get("/observe/health/ready").statusCode() == 200);
            assertEquals("[]", status(management).path("notices").toString());

            // remove: northwind's polls stop, its row goes, its checkpoint stays
            int northwindCallsBefore = emulator.apiRequests(NORTHWIND);
            Files.delete(northwind);
            await().atMost(Duration.ofSeconds(15)).until(() -> !tenantsOnStatus(management).contains("northwind"));
            assertTrue(emulator.apiRequests(NORTHWIND) >= northwindCallsBefore);
            int callsAfterRemoval = emulator.apiRequests(NORTHWIND);
            // stopping is proved only by time passing: three of its intervals without a call
            await().during(INTERVAL.multipliedBy(3)).atMost(INTERVAL.multipliedBy(3).plusSeconds(5))
                    .until(() -> emulator.apiRequests(NORTHWIND) == callsAfterRemoval);
            assertTrue(Files.exists(state.resolve("northwind.checkpoint")), "its checkpoint is kept: "
                    + List.of(state.toFile().list()));
            assertTrue(Files.exists(state.resolve("northwind.removed")), "its removal is noted beside it");
            emulator.putAlert(NORTHWIND, AlertJson.alert("n2", Emulated.ago(Duration.ofSeconds(20)), "New", "High", "Malware"));

            // put back, looked at at once through POST /observe/tenants/reload: resumes from its checkpoint
            assertEquals(401, management.post("/observe/tenants/reload", null).statusCode());
            put(northwind, northwindFile);
            var reload = management.post("/observe/tenants/reload", "Bearer " + TOKEN);
            assertEquals(200, reload.statusCode(), reload.body());
            // the file system's event may have taken it a moment before the call did
            assertTrue(reload.body().contains("northwind") || tenantsOnStatus(management).contains("northwind"),
                    reload.body());
            assertTrue(tenantsOnStatus(management).contains("northwind"), "running once the answer comes");
            await().atMost(Duration.ofSeconds(15)).until(() -> AlertFiles.alertIds(alerts.resolve("northwind")).contains("n2"));
            assertEquals(List.of("n1", "n2"), AlertFiles.alertIds(alerts.resolve("northwind")), "n1 not sent again");
            assertTrue(emulator.apiRequests(NORTHWIND) > callsAfterRemoval);
            assertFalse(Files.exists(state.resolve("northwind.removed")), "back: no longer noted as removed");

            // contoso polled on through it all, on the settings it was started with
            sampler.shutdown();
            assertTrue(sampler.awaitTermination(5, TimeUnit.SECONDS));
            long churn = System.nanoTime() - churnStart;
            long longest = 0;
            synchronized (contosoPolls) {
                for (int i = 1; i < contosoPolls.size(); i++) {
                    longest = Math.max(longest, contosoPolls.get(i) - contosoPolls.get(i - 1));
                }
            }
            System.out.printf("Tenant directory (packaged jar): add, change, refuse, mend, remove, put back in %.1f s; "
                    + "contoso polled %d times meanwhile, the longest gap %d ms (interval %d ms); northwind %d API "
                    + "calls, none while removed%n", churn / 1e9, contosoPolls.size(),
                    TimeUnit.NANOSECONDS.toMillis(longest), INTERVAL.toMillis(), emulator.apiRequests(NORTHWIND));
            assertEquals(contosoLoaded, row(management, "contoso").path("loadedAt").asText(), "contoso never reloaded");
            assertTrue(contosoPolls.size() >= Math.max(1, churn / INTERVAL.toNanos() - 1), "contoso polled on: "
                    + contosoPolls.size() + " polls in " + TimeUnit.NANOSECONDS.toMillis(churn) + " ms");
            assertTrue(longest <= INTERVAL.plus(SLACK).toNanos(), "no gap beyond the interval and "
                    + SLACK.toSeconds() + " s: " + TimeUnit.NANOSECONDS.toMillis(longest) + " ms");
            assertEquals(List.of("c1"), AlertFiles.alertIds(alerts.resolve("contoso")));
        } catch (AssertionError | RuntimeException e) {
            if (jar != null) {
                System.out.println("---- instance " + jar.name() + " ----\n" + jar.output());
            }
            throw e;
        } finally {
            sampler.shutdownNow();
            if (jar != null) {
                jar.close();
            }
        }
    }

    /**
     * Writes a tenant file whole, as the kubelet swaps a ConfigMap's files: a look at the directory never finds it
     * half-written (which would be refused, and counted, for a reason that is not the test's).
     */
    private static void put(Path file, String text) throws Exception {
        Path writing = file.resolveSibling("." + file.getFileName() + ".writing");
        Files.writeString(writing, text);
        Files.move(writing, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static JsonNode status(Management management) throws Exception {
        var response = management.get("/observe/status.json", "Bearer " + TOKEN);
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static List<String> tenantsOnStatus(Management management) throws Exception {
        List<String> names = new ArrayList<>();
        status(management).path("rows").forEach(row -> names.add(row.path("tenant").asText()));
        return names;
    }

    private static JsonNode row(Management management, String name) throws Exception {
        for (JsonNode row : status(management).path("rows")) {
            if (row.path("tenant").asText().equals(name)) {
                return row;
            }
        }
        throw new AssertionError("no row for " + name + ": " + tenantsOnStatus(management));
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
}
