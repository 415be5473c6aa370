package io.defenderalertroutes.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.EmulatedTenant;
import io.defenderalertroutes.testsupport.Management;
import io.defenderalertroutes.testsupport.PlaybookHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Grafana dashboard in the repository has a panel for every defender_* metric the bundle exports, and each panel
 * queries metrics the bundle does export: checked against a real scrape of a bundle that went through polls,
 * duplicates, a throttle, a dead letter and an action, and of one with high availability on.
 */
class GrafanaDashboardTest {

    private static final Path DASHBOARD = Path.of("src/main/grafana/defender-alert-routes.dashboard.json");
    private static final Pattern METRIC = Pattern.compile("defender_[a-z_]+");

    @RegisterExtension
    final EmulatedTenant tenant = new EmulatedTenant();

    /** The defender_* sample names of a Prometheus exposition. */
    private static Set<String> exported(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.lines().toList()) {
            Matcher m = Pattern.compile("^(defender_[a-z_]+)[{ ]").matcher(line);
            if (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    @Test
    void everyExportedMetricHasAPanelAndEveryPanelQueriesAnExportedMetric() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        Set<String> queried = new TreeSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                Matcher m = METRIC.matcher(target.get("expr").asText());
                int found = 0;
                while (m.find()) {
                    queried.add(m.group());
                    found++;
                }
                assertTrue(found > 0, "panel '" + panel.get("title").asText() + "' queries no defender_* metric");
            }
        }

        Set<String> exported = new TreeSet<>();
        String machine = "1e5f4a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f";
        tenant.emulator().putAlert(Bundle.TENANT_ID, AlertJson.alert("g1", Emulated.ago(Duration.ofHours(1)), "New", "High", "Malware"));
        tenant.emulator().putMachine(Bundle.TENANT_ID, machine);
        try (PlaybookHandler down = tenant.handler()) {
            down.answerWith(500);
            var settings = tenant.settings();
            settings.put("defender.sinks", "file,http");
            settings.put("defender.sink.http.urls", down.url("/down"));
            settings.put("defender.sink.retries", "0");
            settings.put("defender.actions.allowed", "add-machine-tag");
            settings.put("defender.actions.topic", "none");
            settings.put("defender.actions.results", "file");
            settings.put("defender.actions.results.dir", tenant.dir().resolve("results").toString());
            Management management = Management.on(settings);
            try (Bundle bundle = tenant.start()) {
                tenant.emulator().enqueueFault(Bundle.TENANT_ID, 429, "", Map.of("Retry-After", "1"));
                bundle.pollNow();
                bundle.pollNow();
                bundle.context().createProducerTemplate().requestBody("direct:defender-action", "{\"requestId\":\"g-1\","
                        + "\"tenant\":\"contoso\",\"action\":\"add-machine-tag\",\"target\":\"" + machine
                        + "\",\"parameters\":{\"Value\":\"x\"}}", String.class);
                exported.addAll(exported(management.metrics()));
            }
        }
        var ha = tenant.settings();
        ha.put("defender.ha", "file");
        ha.put("defender.ha.file.root", tenant.dir().resolve("cluster").toString());
        Management management = Management.on(ha);
        try (Bundle bundle = tenant.start()) {
            exported.addAll(exported(management.metrics()));
        }
        // a tenant file refused while the bundle runs
        ha.put("defender.ha", "none");
        java.nio.file.Path files = java.nio.file.Files.createDirectories(tenant.dir().resolve("tenants"));
        tenant.asTenants("contoso", Map.of());
        ha.put("defender.tenants.dir", files.toString());
        management = Management.on(ha);
        try (Bundle bundle = tenant.start()) {
            java.nio.file.Files.writeString(files.resolve("fabrikam.properties"), "tenant-id=not-a-guid\n");
            bundle.context().createProducerTemplate().sendBody("direct:defender-tenants-reload", null);
            exported.addAll(exported(management.metrics()));
        }

        System.out.println("exported: " + exported);
        assertTrue(exported.containsAll(Set.of("defender_alerts_duplicates_total", "defender_api_throttled_total",
                "defender_alerts_dead_lettered_total", "defender_actions_total", "defender_leadership_changes_total")),
                "the run produced every kind of metric: " + exported);
        assertEquals(Set.of(), difference(exported, queried), "exported metrics without a panel");
        assertEquals(Set.of(), difference(queried, exported), "panels querying metrics the bundle does not export");
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }
}
