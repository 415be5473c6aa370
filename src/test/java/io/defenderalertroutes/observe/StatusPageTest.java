package io.defenderalertroutes.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.schedule.PollTimers;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.EmulatedTenant;
import io.defenderalertroutes.testsupport.Management;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The status page as a person sees it, rendered by a real browser (Debian's headless Chromium, which .ci/run
 * installs), and the management token that guards it.
 */
class StatusPageTest {

    private static final String FABRIKAM = "2b3c4d5e-6f70-4812-9a3b-4c5d6e7f8091";
    private static final String NORTHWIND = "3c4d5e6f-7081-4923-8b4c-5d6e7f809102";
    private static final String TOKEN = "management-token-for-the-test-0123";

    @RegisterExtension
    final EmulatedTenant tenant = new EmulatedTenant();

    private Management management;

    @BeforeEach
    void threeTenantsOneFailing() throws Exception {
        management = Management.on(tenant.settings());
        tenant.asTenants("contoso", Map.of("fabrikam", FABRIKAM, "northwind", NORTHWIND));
        // northwind's secret is wrong: its polls fail at sign-in
        tenant.settings().put("defender.tenant.northwind.client-secret", "not-the-secret-of-northwind");
        tenant.settings().put("defender.health.failed-polls", "1");
        tenant.emulator().putAlert(Bundle.TENANT_ID, AlertJson.alert("c1", Emulated.ago(Duration.ofMinutes(30)), "New", "High", "Malware"));
        tenant.emulator().putAlert(FABRIKAM, AlertJson.alert("f1", Emulated.ago(Duration.ofMinutes(20)), "New", "High", "Malware"));
    }

    private static void pollAll(Bundle bundle) throws Exception {
        for (String name : List.of("contoso", "fabrikam", "northwind")) {
            PollTimers.pollNow(bundle.context(), name, Duration.ofSeconds(30));
        }
    }

    private static Path chromium() {
        Path browser = Path.of("/usr/bin/chromium");
        boolean available = Files.isExecutable(browser);
        if (!available && System.getenv("CI") == null) {
            assumeTrue(false, "chromium is not installed here (.ci/run installs Debian's chromium)");
        }
        assertTrue(available, "chromium is not installed; .ci/run installs Debian's chromium");
        return browser;
    }

    /** Runs headless Chromium on the page; returns what it printed (the DOM, after the page's script ran). */
    private static String browse(Path browser, Path profile, String... what) throws Exception {
        List<String> command = new ArrayList<>(List.of(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile));
        command.addAll(List.of(what));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "chromium finished");
        return new String(out, StandardCharsets.UTF_8);
    }

    private static List<String> rows(String dom) {
        Matcher m = Pattern.compile("<tr([^>]*data-tenant=\"[^\"]+\"[^>]*)>").matcher(dom);
        List<String> rows = new ArrayList<>();
        while (m.find()) {
            rows.add(m.group(1));
        }
        return rows;
    }

    private static String tenantOf(String row) {
        Matcher m = Pattern.compile("data-tenant=\"([^\"]+)\"").matcher(row);
        assertTrue(m.find());
        return m.group(1);
    }

    @Test
    void aBrowserShowsEveryTenantFailingFirstWithTheFixAndTheFilterKeepsTheChosenOnes() throws Exception {
        Path browser = chromium();
        tenant.settings().put("camel.management.host", "127.0.0.1");
        try (Bundle bundle = tenant.start()) {
            pollAll(bundle);
            String page = "http://127.0.0.1:" + management.port() + "/observe/status";
            Path profile = Files.createTempDirectory(tenant.dir(), "chromium");

            String dom = browse(browser, profile, "--dump-dom", page);
            List<String> rows = rows(dom);
            assertEquals(List.of("northwind", "contoso", "fabrikam"), rows.stream().map(StatusPageTest::tenantOf).toList(),
                    "a row per tenant, the failing one first");
            assertTrue(rows.get(0).contains("class=\"failing\""), rows.get(0));
            assertTrue(dom.contains("<b>3</b> tenants"), "the summary counts the tenants");
            String northwind = dom.substring(dom.indexOf("data-tenant=\"northwind\""), dom.indexOf("data-tenant=\"contoso\""));
            assertTrue(northwind.contains("Fix: check the tenant's client secret"), northwind);
            assertTrue(northwind.contains("failed"), "the last poll's outcome");
            String contoso = dom.substring(dom.indexOf("data-tenant=\"contoso\""), dom.indexOf("data-tenant=\"fabrikam\""));
            assertTrue(contoso.contains("succeeded"), contoso);
            assertTrue(contoso.contains("defender-sink-file") || contoso.contains("file: 1"), "deliveries per sink: " + contoso);
            assertFalse(dom.contains(Bundle.CLIENT_SECRET) || dom.contains("not-the-secret-of-northwind"), "no secret on the page");

            // the filter, as a link carries it: only fabrikam's row is shown
            String filtered = browse(browser, profile, "--dump-dom", page + "#filter=fabrikam");
            for (String row : rows(filtered)) {
                assertEquals(!tenantOf(row).equals("fabrikam"), row.contains("hidden"), row);
            }

            Path shot = Path.of("target", "status-page.png").toAbsolutePath();
            Files.deleteIfExists(shot);
            browse(browser, profile, "--screenshot=" + shot, "--window-size=1700,520", "--hide-scrollbars", page);
            assertTrue(Files.size(shot) > 10_000, "a screenshot of the page (for docs/images/status-page.png)");

            JsonNode json = new ObjectMapper().readTree(management.get("/observe/status.json").body());
            assertEquals(3, json.get("tenants").asInt());
            assertEquals(1, json.get("failing").asInt());
            assertEquals("northwind", json.get("rows").get(0).get("tenant").asText());
            assertEquals(1, json.get("rows").get(1).get("delivered").get("file").asInt(), json.get("rows").get(1).toString());
        }
    }

    private HttpResponse<String> call(String method, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management.port() + path))
                .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void beyondLocalhostTheStatusPageAndReplayNeedTheTokenWhileProbesDoNot() throws Exception {
        tenant.settings().put("camel.management.host", "0.0.0.0");
        tenant.settings().put("defender.management.token", TOKEN);
        try (Bundle bundle = tenant.start()) {
            assertEquals(401, call("GET", "/observe/status", null).statusCode());
            assertEquals(401, call("GET", "/observe/status.json", "Bearer wrong-token-of-the-same-size-xx").statusCode());
            assertEquals(401, call("POST", "/observe/dead-letters/replay", null).statusCode());
            HttpResponse<String> challenged = call("GET", "/observe/status", null);
            assertTrue(challenged.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"),
                    "a browser is asked for the token");
            assertFalse(challenged.body().contains(TOKEN));
            assertEquals(200, call("GET", "/observe/status.json", "Bearer " + TOKEN).statusCode());
            String basic = "Basic " + Base64.getEncoder().encodeToString(("operator:" + TOKEN).getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> page = call("GET", "/observe/status", basic);
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("data-tenant=\"contoso\""), page.body());
            assertEquals(401, call("POST", "/observe/dead-letters/replay", basic).statusCode(),
                    "a request that acts takes no Basic credentials (a browser would send them for another site's form)");
            HttpResponse<String> replay = call("POST", "/observe/dead-letters/replay", "Bearer " + TOKEN);
            assertEquals(200, replay.statusCode(), replay.body());
            assertTrue(replay.body().contains("\"replayed\""), replay.body());
            HttpResponse<String> live = call("GET", "/observe/health/live", null);
            assertTrue(live.body().contains("\"status\""), "liveness answers probes without the token: " + live.statusCode() + " " + live.body());
            assertEquals(200, call("GET", "/observe/metrics", null).statusCode(), "metrics are open to scrapers");
        }
    }

    @Test
    void anOperatorPollsATenantNowWithTheTokenAndHearsHowThePollEnded() throws Exception {
        tenant.settings().put("camel.management.host", "0.0.0.0");
        tenant.settings().put("defender.management.token", TOKEN);
        try (Bundle bundle = tenant.start()) {
            assertEquals(401, call("POST", "/observe/tenants/contoso/poll", null).statusCode());
            assertTrue(tenant.delivered().isEmpty(), "nothing polled without the token");

            HttpResponse<String> contoso = call("POST", "/observe/tenants/contoso/poll", "Bearer " + TOKEN);
            assertEquals(200, contoso.statusCode(), contoso.body());
            assertTrue(contoso.body().contains("\"status\":\"polled\""), contoso.body());
            assertTrue(contoso.body().contains("\"checkpoint\":\"20"), "the checkpoint the poll moved to: " + contoso.body());
            assertEquals(List.of("c1"), tenant.delivered(), "contoso's alert, and only contoso's, was polled");

            HttpResponse<String> northwind = call("POST", "/observe/tenants/northwind/poll", "Bearer " + TOKEN);
            assertEquals(200, northwind.statusCode(), northwind.body());
            assertTrue(northwind.body().contains("\"status\":\"failed\""), northwind.body());
            assertFalse(northwind.body().contains("not-the-secret-of-northwind"), "no secret in the answer");

            assertEquals(404, call("POST", "/observe/tenants/nobody/poll", "Bearer " + TOKEN).statusCode());
        }
    }

    @Test
    void withoutATokenBeyondLocalhostThePagesStayLockedAndSaySo() throws Exception {
        tenant.settings().put("camel.management.host", "0.0.0.0");
        try (Bundle bundle = tenant.start()) {
            HttpResponse<String> page = call("GET", "/observe/status", null);
            assertEquals(403, page.statusCode());
            assertTrue(page.body().contains("defender.management.token"), page.body());
        }
    }

    @Test
    void aThousandTenantsRenderAndTheFilterFindsOne() throws Exception {
        Path browser = chromium();
        Path state = Files.createDirectories(tenant.dir().resolve("thousand"));
        java.time.Clock clock = java.time.Clock.systemUTC();
        List<StatusReport.TenantView> views = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String name = String.format("tenant-%04d", i);
            PollHealthCheck health = new PollHealthCheck(name, 1, clock);
            if (i % 100 == 7) {
                health.failed(new org.apache.camel.support.DefaultExchange(new org.apache.camel.impl.DefaultCamelContext()));
            } else {
                health.succeeded(null);
            }
            io.defenderalertroutes.state.CheckpointStore checkpoint = new io.defenderalertroutes.state.CheckpointStore(state, name);
            checkpoint.write(Emulated.ago(Duration.ofMinutes(i % 60)));
            views.add(new StatusReport.TenantView(name, "defender-api", "status=All, severity=High, category=All",
                    "kafka, http", health, checkpoint, "defender.tenants", clock.instant()));
        }
        StatusReport report = new StatusReport(views, t -> null, clock);
        try (org.apache.camel.impl.DefaultCamelContext context = new org.apache.camel.impl.DefaultCamelContext()) {
            context.start();
            long started = System.nanoTime();
            String html = report.html(new org.apache.camel.support.DefaultExchange(context));
            long renderMillis = (System.nanoTime() - started) / 1_000_000;
            com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                    new java.net.InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/status", exchange -> {
                byte[] body = html.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            try {
                String page = "http://127.0.0.1:" + server.getAddress().getPort() + "/status";
                long browsing = System.nanoTime();
                String dom = browse(browser, Files.createTempDirectory(tenant.dir(), "chromium"), "--dump-dom",
                        page + "#filter=tenant-0777");
                long browseMillis = (System.nanoTime() - browsing) / 1_000_000;
                List<String> rows = rows(dom);
                System.out.printf("Status page for 1,000 tenants: %d KiB, built in %d ms, loaded and filtered by "
                        + "headless Chromium in %d ms%n", html.length() / 1024, renderMillis, browseMillis);
                assertEquals(1000, rows.size());
                assertEquals(List.of("tenant-0007", "tenant-0107"), rows.stream().limit(2).map(StatusPageTest::tenantOf).toList(),
                        "the ten failing tenants first");
                assertEquals(List.of("tenant-0777"), rows.stream().filter(r -> !r.contains("hidden"))
                        .map(StatusPageTest::tenantOf).toList(), "the filter leaves the one asked for");
            } finally {
                server.stop(0);
            }
        }
    }
}
