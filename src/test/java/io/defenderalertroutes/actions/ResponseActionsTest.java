package io.defenderalertroutes.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.EmulatedTenant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Response actions against the emulator through direct:defender-action: each action does what Microsoft's API does
 * and its result says so; bad requests are rejected and call nothing; a requestId is executed once; Microsoft's
 * refusals become results a person can act on.
 */
class ResponseActionsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String MACHINE = "1e5f4a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f";
    static final String SHA1 = "87662bc3d60e4200ceaf7aae249d1c343f4b83c9";

    @RegisterExtension
    final EmulatedTenant tenant = new EmulatedTenant();

    @BeforeEach
    void actionsOn() {
        tenant.emulator().putAlert(Bundle.TENANT_ID, AlertJson.alert("da1", Emulated.ago(Duration.ofHours(1)), "New", "High", "Malware"));
        tenant.emulator().putAlert(Bundle.TENANT_ID, AlertJson.alert("da2", Emulated.ago(Duration.ofHours(1)), "New", "Low", "Malware"));
        tenant.emulator().putMachine(Bundle.TENANT_ID, MACHINE);
        tenant.emulator().setMachineActionLife(Bundle.TENANT_ID, Duration.ofMillis(300), "Succeeded");
        allowAll(tenant);
    }

    /** Every action allowed, requests by {@code direct:} only, results as files in the test's directory. */
    static void allowAll(EmulatedTenant tenant) {
        tenant.settings().put("defender.actions.allowed", "all");
        tenant.settings().put("defender.actions.topic", "none");
        tenant.settings().put("defender.actions.results", "file");
        tenant.settings().put("defender.actions.results.dir", tenant.dir().resolve("results").toString());
        tenant.settings().put("defender.actions.check-after", "PT0.05S");
    }

    static String request(String requestId, String action, String target, String parameters) {
        ObjectNode request = JSON.createObjectNode().put("requestId", requestId).put("tenant", "contoso").put("action", action);
        if (target != null) {
            request.put("target", target);
        }
        try {
            request.set("parameters", JSON.readTree(parameters));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
        return request.toString();
    }

    static JsonNode act(Bundle bundle, String request) throws Exception {
        return JSON.readTree(bundle.context().createProducerTemplate().requestBody("direct:defender-action", request,
                String.class));
    }

    /** One request of each action, with the parameters Microsoft documents for it. */
    static Map<String, String> everyAction() {
        Map<String, String> requests = new LinkedHashMap<>();
        requests.put("update-alert", request("r-update", "update-alert", "da1",
                "{\"status\":\"InProgress\",\"assignedTo\":\"soc@contoso.com\",\"comment\":\"taken\"}"));
        requests.put("batch-update-alerts", request("r-batch", "batch-update-alerts", null,
                "{\"alertIds\":[\"da1\",\"da2\"],\"classification\":\"TruePositive\"}"));
        requests.put("isolate-machine", request("r-isolate", "isolate-machine", MACHINE,
                "{\"Comment\":\"isolate\",\"IsolationType\":\"Selective\"}"));
        requests.put("unisolate-machine", request("r-unisolate", "unisolate-machine", MACHINE, "{\"Comment\":\"release\"}"));
        requests.put("run-av-scan", request("r-scan", "run-av-scan", MACHINE, "{\"Comment\":\"scan\",\"ScanType\":\"Quick\"}"));
        requests.put("restrict-app-execution", request("r-restrict", "restrict-app-execution", MACHINE, "{\"Comment\":\"restrict\"}"));
        requests.put("unrestrict-app-execution", request("r-unrestrict", "unrestrict-app-execution", MACHINE,
                "{\"Comment\":\"allow\"}"));
        requests.put("collect-investigation-package", request("r-collect", "collect-investigation-package", MACHINE,
                "{\"Comment\":\"collect\"}"));
        requests.put("stop-and-quarantine-file", request("r-quarantine", "stop-and-quarantine-file", MACHINE,
                "{\"Comment\":\"stop\",\"Sha1\":\"" + SHA1 + "\"}"));
        requests.put("add-machine-tag", request("r-tag", "add-machine-tag", MACHINE, "{\"Value\":\"contained\"}"));
        requests.put("remove-machine-tag", request("r-untag", "remove-machine-tag", MACHINE, "{\"Value\":\"contained\"}"));
        requests.put("add-indicator", request("r-indicator", "add-indicator", null, "{\"indicatorValue\":\"" + SHA1
                + "\",\"indicatorType\":\"FileSha1\",\"action\":\"AlertAndBlock\",\"title\":\"bad file\","
                + "\"description\":\"seen in da1\",\"severity\":\"High\"}"));
        requests.put("import-indicators", request("r-import", "import-indicators", null, "{\"Indicators\":[{\"indicatorValue\":"
                + "\"evil.example\",\"indicatorType\":\"DomainName\",\"action\":\"Block\",\"title\":\"t\",\"description\":\"d\"},"
                + "{\"indicatorValue\":\"203.0.113.7\",\"indicatorType\":\"IpAddress\",\"action\":\"Audit\",\"title\":\"t\","
                + "\"description\":\"d\"}]}"));
        return requests;
    }

    @Test
    void everyActionDoesWhatMicrosoftsApiDoesAndSaysSo() throws Exception {
        Map<String, String> outcomes = new LinkedHashMap<>();
        try (Bundle bundle = tenant.start()) {
            for (Map.Entry<String, String> each : everyAction().entrySet()) {
                long started = System.nanoTime();
                JsonNode result = act(bundle, each.getValue());
                outcomes.put(each.getKey(), result.path("outcome").asText() + " " + result.path("httpStatus").asText()
                        + " " + (System.nanoTime() - started) / 1_000_000 + " ms");
                assertEquals("succeeded", result.path("outcome").asText(), each.getKey() + ": " + result);
                assertEquals(each.getKey(), result.path("action").asText());
                assertTrue(result.path("error").isNull(), result.toString());
                assertNotNull(result.path("finishedAt").asText(null));
            }
            String indicatorId = tenant.emulator().indicators(Bundle.TENANT_ID).keySet().iterator().next();
            JsonNode deleted = act(bundle, request("r-delete", "delete-indicator", indicatorId, "{}"));
            outcomes.put("delete-indicator", deleted.path("outcome").asText() + " " + deleted.path("httpStatus").asText());
            assertEquals("succeeded", deleted.path("outcome").asText(), deleted.toString());
            assertEquals(204, deleted.path("httpStatus").asInt());
        }
        outcomes.forEach((action, outcome) -> System.out.printf("%-30s %s%n", action, outcome));
        JsonNode alert = JSON.readTree(tenant.emulator().servedJson(Bundle.TENANT_ID, "da1", false));
        assertEquals("InProgress", alert.path("status").asText());
        assertEquals("soc@contoso.com", alert.path("assignedTo").asText());
        assertEquals("TruePositive", alert.path("classification").asText());
        assertEquals("taken", alert.path("comments").get(0).path("comment").asText());
        assertEquals(List.of("CollectInvestigationPackage", "Isolate", "RestrictCodeExecution", "RunAntiVirusScan",
                "StopAndQuarantineFile", "Unisolate", "UnrestrictCodeExecution"),
                tenant.emulator().machineActionTypes(Bundle.TENANT_ID).values().stream().sorted().toList());
        assertEquals(Set.of(), tenant.emulator().machineTags(Bundle.TENANT_ID, MACHINE), "tag added, then removed");
        assertEquals(2, tenant.emulator().indicators(Bundle.TENANT_ID).size(), "3 indicators made, 1 deleted");
        JsonNode collected = JSON.readTree(Files.readString(tenant.dir().resolve("results/r-collect.json")));
        assertEquals("Succeeded", collected.path("machineAction").path("status").asText());
        assertTrue(collected.path("machineAction").path("packageUri").asText().endsWith(".zip?sig=emulated"), collected.toString());
        JsonNode isolated = JSON.readTree(Files.readString(tenant.dir().resolve("results/r-isolate.json")));
        assertEquals(201, isolated.path("httpStatus").asInt());
        assertFalse(isolated.path("machineAction").path("id").asText().isEmpty());
    }

    @Test
    void aBadRequestIsRejectedWithItsReasonAndCallsNothing() throws Exception {
        tenant.settings().put("defender.actions.allowed", "update-alert,isolate-machine");
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("not json", "the request is not valid JSON");
        cases.put("[1]", "the request must be a JSON object");
        cases.put("{\"tenant\":\"contoso\",\"action\":\"update-alert\"}", "requestId is missing or not a string");
        cases.put(request("b1", "update-alert", "da1", "{\"status\":\"Resolved\"}").replace("contoso", "fabrikam"),
                "unknown tenant 'fabrikam'; this deployment serves contoso");
        cases.put(request("b2", "reboot-machine", MACHINE, "{}"), "unknown action 'reboot-machine'; the actions are update-alert,");
        cases.put(request("b3", "run-av-scan", MACHINE, "{\"Comment\":\"c\"}"),
                "run-av-scan is not allowed for tenant 'contoso': add it to defender.actions.allowed");
        cases.put(request("b4", "isolate-machine", null, "{\"Comment\":\"c\",\"IsolationType\":\"Full\"}"),
                "isolate-machine needs a target: the id of the machine to act on");
        cases.put(request("b5", "isolate-machine", MACHINE, "{\"IsolationType\":\"Full\"}"),
                "parameters.Comment is required for isolate-machine");
        cases.put(request("b6", "isolate-machine", MACHINE, "{\"Comment\":\"c\",\"IsolationType\":\"Total\"}"),
                "parameters.IsolationType must be one of Full, Selective, UnManagedDevice, was 'Total'");
        cases.put(request("b7", "update-alert", "da1", "{\"status\":\"Open\"}"),
                "parameters.status must be one of InProgress, New, Resolved, was 'Open'");
        cases.put(request("b8", "update-alert", "da1", "{}"), "update-alert needs at least one of parameters.status");
        try (Bundle bundle = tenant.start()) {
            for (Map.Entry<String, String> each : cases.entrySet()) {
                JsonNode result = act(bundle, each.getKey());
                assertEquals("rejected", result.path("outcome").asText(), result.toString());
                assertTrue(result.path("error").asText().startsWith(each.getValue()), result.path("error").asText());
            }
        }
        assertEquals(0, tenant.emulator().apiRequests(Bundle.TENANT_ID), "nothing was called");
        assertEquals(0, tenant.emulator().tokenRequests(Bundle.TENANT_ID), "not even for a token");
    }

    @Test
    void aRequestIdIsExecutedOnceAcrossRestarts() throws Exception {
        String isolate = request("once-1", "isolate-machine", MACHINE, "{\"Comment\":\"c\",\"IsolationType\":\"Full\"}");
        JsonNode first;
        try (Bundle bundle = tenant.start()) {
            first = act(bundle, isolate);
            assertEquals("succeeded", first.path("outcome").asText());
            assertEquals(first, act(bundle, isolate), "the kept result, again");
        }
        try (Bundle bundle = tenant.start()) {
            assertEquals(first, act(bundle, isolate), "and after a restart");
        }
        assertEquals(1, tenant.emulator().machineActionTypes(Bundle.TENANT_ID).size(), "one isolation, not three");
        List<String> audit;
        try (Stream<Path> files = Files.list(tenant.dir().resolve("state/audit"))) {
            audit = files.flatMap(f -> {
                try {
                    return Files.readAllLines(f).stream();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        assertEquals(3, audit.size(), "each request is audited, the repeats as repeats: " + audit);
        assertEquals(2, audit.stream().filter(l -> l.contains("\"repeat\":true")).count());
        assertTrue(audit.stream().allMatch(l -> l.contains("\"origin\":\"direct\"")));
        assertTrue(audit.stream().noneMatch(l -> l.contains(Bundle.CLIENT_SECRET) || l.contains("Bearer")));
    }

    @Test
    void microsoftsRefusalsBecomeResultsAPersonCanActOn() throws Exception {
        try (Bundle bundle = tenant.start()) {
            String isolate = "{\"Comment\":\"c\",\"IsolationType\":\"Full\"}";
            tenant.emulator().setMachineActionLife(Bundle.TENANT_ID, Duration.ofSeconds(30), "Succeeded");
            tenant.settings();
            CompletableFuture<JsonNode> following = CompletableFuture.supplyAsync(() -> {
                try {
                    return act(bundle, request("f-1", "isolate-machine", MACHINE, isolate));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> tenant.emulator().machineActionTypes(Bundle.TENANT_ID).size() == 1);
            JsonNode again = act(bundle, request("f-2", "isolate-machine", MACHINE, isolate));
            assertEquals("already-in-progress", again.path("outcome").asText(), again.toString());
            assertEquals(400, again.path("httpStatus").asInt());
            following.cancel(true);

            JsonNode unknown = act(bundle, request("f-3", "run-av-scan", "no-such-machine", "{\"Comment\":\"c\"}"));
            assertEquals("failed", unknown.path("outcome").asText());
            assertTrue(unknown.path("error").asText().startsWith("HTTP 404: machine 'no-such-machine' does not exist in tenant contoso"),
                    unknown.toString());

            tenant.emulator().denyPermission(Bundle.TENANT_ID, "Ti.ReadWrite.All");
            JsonNode denied = act(bundle, request("f-4", "delete-indicator", "77", "{}"));
            assertEquals("failed", denied.path("outcome").asText());
            assertEquals("HTTP 403: the app registration of tenant contoso lacks the application permission "
                    + "Ti.ReadWrite.All on WindowsDefenderATP; grant it, with admin consent", denied.path("error").asText());

            tenant.emulator().setMachineActionLife(Bundle.TENANT_ID, Duration.ofMillis(200), "Failed");
            JsonNode failed = act(bundle, request("f-5", "run-av-scan", MACHINE, "{\"Comment\":\"c\",\"ScanType\":\"Full\"}"));
            assertEquals("failed", failed.path("outcome").asText());
            assertEquals("Failed", failed.path("machineAction").path("status").asText());
            tenant.emulator().setMachineActionLife(Bundle.TENANT_ID, Duration.ofMillis(200), "TimeOut");
            JsonNode timedOut = act(bundle, request("f-6", "restrict-app-execution", MACHINE, "{\"Comment\":\"c\"}"));
            assertEquals("timed-out", timedOut.path("outcome").asText());

            tenant.emulator().denyPermission(Bundle.TENANT_ID, "Machine.Read.All");
            JsonNode unfollowed = act(bundle, request("f-7", "unrestrict-app-execution", MACHINE, "{\"Comment\":\"c\"}"));
            assertEquals("succeeded", unfollowed.path("outcome").asText());
            assertTrue(unfollowed.path("error").asText().contains("lacks Machine.Read.All"), unfollowed.toString());
            assertFalse(unfollowed.path("machineAction").path("id").asText().isEmpty());
        }
    }

    @Test
    void actionsAndPollsShareTheTenantsCallBudget() throws Exception {
        tenant.settings().put("defender.api.calls-per-minute", "3");
        tenant.settings().put("camel.main.shutdown-timeout", "3");
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
            assertEquals(1, tenant.emulator().apiRequests(Bundle.TENANT_ID), "the poll took one call of three");
            act(bundle, request("budget-1", "add-machine-tag", MACHINE, "{\"Value\":\"a\"}"));
            act(bundle, request("budget-2", "add-machine-tag", MACHINE, "{\"Value\":\"b\"}"));
            CompletableFuture<JsonNode> third = CompletableFuture.supplyAsync(() -> {
                try {
                    return act(bundle, request("budget-3", "add-machine-tag", MACHINE, "{\"Value\":\"c\"}"));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            org.awaitility.Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                    .until(() -> !third.isDone());
            assertEquals(3, tenant.emulator().apiRequests(Bundle.TENANT_ID), "the fourth call waits for the budget");
            assertEquals(Set.of("a", "b"), tenant.emulator().machineTags(Bundle.TENANT_ID, MACHINE));
        }
    }

    @Test
    void anAlertUpdatedByAnActionIsDeliveredAgainWithUpdatesOn() throws Exception {
        tenant.settings().put("defender.trigger.updates", "true");
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
            assertEquals(List.of("da1", "da2"), tenant.delivered());
            JsonNode result = act(bundle, request("loop-1", "update-alert", "da1",
                    "{\"status\":\"InProgress\",\"comment\":\"isolating its machine\"}"));
            assertEquals("succeeded", result.path("outcome").asText());
            bundle.pollNow();
        }
        assertEquals(List.of("da1", "da1", "da2"), tenant.delivered(), "the update comes back as a new version of da1");
        List<JsonNode> versions = io.defenderalertroutes.testsupport.AlertFiles.envelopes(tenant.dir().resolve("alerts")).stream()
                .filter(e -> e.path("alertId").asText().equals("da1")).toList();
        assertTrue(versions.stream().anyMatch(v -> v.path("change").asText().equals("update")
                && v.path("status").asText().equals("InProgress")
                && v.path("alert").path("comments").get(0).path("comment").asText().equals("isolating its machine")),
                versions.toString());
    }

    @Test
    void resultsReachHttpCallbacksSignedAsHandlerRequestsAre() throws Exception {
        io.defenderalertroutes.testsupport.PlaybookHandler callback = tenant.handler();
        tenant.settings().put("defender.actions.results", "file,http");
        tenant.settings().put("defender.actions.results.http.urls", callback.url("/results"));
        tenant.settings().put("defender.actions.results.http.signing-secret", "results-secret");
        tenant.settings().put("defender.actions.results.http.bearer-token", "callback-token-secret");
        try (Bundle bundle = tenant.start()) {
            org.apache.camel.Exchange answer = bundle.context().createProducerTemplate().request("direct:defender-action",
                    e -> e.getMessage().setBody(request("cb-1", "add-machine-tag", MACHINE, "{\"Value\":\"x\"}")));
            assertEquals("succeeded", JSON.readTree(answer.getMessage().getBody(String.class)).path("outcome").asText(),
                    "the caller gets the result, not the callback's answer");
            assertTrue(answer.getMessage().getHeaders().keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Authorization")),
                    answer.getMessage().getHeaders().toString());
        }
        assertEquals("Bearer callback-token-secret", callback.requests().get(0).header("Authorization"));
        io.defenderalertroutes.testsupport.PlaybookHandler.Request posted = callback.requests().get(0);
        JsonNode result = JSON.readTree(posted.body());
        assertEquals("cb-1", result.path("requestId").asText());
        assertEquals("succeeded", result.path("outcome").asText());
        assertEquals("v1=" + io.defenderalertroutes.signing.HandlerSigner.sign("results-secret".getBytes(
                java.nio.charset.StandardCharsets.UTF_8), posted.header("Defender-Timestamp"), posted.body()),
                posted.header("Defender-Signature"));
    }

    @Test
    void theSinkKameletExecutesARequestAndRepliesWithItsResult() throws Exception {
        java.nio.file.Path route = tenant.dir().resolve("my-playbook.camel.yaml");
        Files.writeString(route, """
                - route:
                    from:
                      uri: direct:my-playbook
                      steps:
                        - to: "kamelet:defender-action-sink"
                """);
        tenant.settings().put("camel.main.routes-include-pattern",
                "classpath:defender-alert-routes/routes/*.camel.yaml,file:" + route);
        try (Bundle bundle = tenant.start()) {
            JsonNode result = JSON.readTree(bundle.context().createProducerTemplate().requestBody("direct:my-playbook",
                    request("kamelet-1", "add-machine-tag", MACHINE, "{\"Value\":\"via-kamelet\"}"), String.class));
            assertEquals("succeeded", result.path("outcome").asText(), result.toString());
        }
        assertEquals(Set.of("via-kamelet"), tenant.emulator().machineTags(Bundle.TENANT_ID, MACHINE));
    }

    @Test
    void throttlesAndServerErrorsAreRetriedAsForPolls() throws Exception {
        tenant.settings().put("defender.api.retry-delay", "PT0.05S");
        try (Bundle bundle = tenant.start()) {
            tenant.emulator().enqueueFault(Bundle.TENANT_ID, 429, "{\"error\":{\"code\":\"TooManyRequests\"}}",
                    Map.of("Retry-After", "2"));
            tenant.emulator().enqueueFault(Bundle.TENANT_ID, 500, "", Map.of());
            long started = System.nanoTime();
            JsonNode result = act(bundle, request("retry-1", "add-machine-tag", MACHINE, "{\"Value\":\"t\"}"));
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            assertEquals("succeeded", result.path("outcome").asText(), result.toString());
            assertTrue(tookMillis >= 2_000, "waited the 2 s Retry-After: " + tookMillis + " ms");
            assertEquals(3, tenant.emulator().apiRequests(Bundle.TENANT_ID), "429, 500, then the call that went through");
        }
    }

    @Test
    void batchUpdateKeepsToItsOwnLimitOfTenAMinute() throws Exception {
        tenant.settings().put("camel.main.shutdown-timeout", "2");
        try (Bundle bundle = tenant.start()) {
            List<CompletableFuture<JsonNode>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 11; i++) {
                String request = request("batch-" + i, "batch-update-alerts", null,
                        "{\"alertIds\":[\"da1\"],\"comment\":\"c" + i + "\"}");
                calls.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return act(bundle, request);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> calls.stream().filter(CompletableFuture::isDone).count() == 10);
            org.awaitility.Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                    .until(() -> calls.stream().filter(CompletableFuture::isDone).count() == 10);
            assertEquals(10, tenant.emulator().apiRequests(Bundle.TENANT_ID), "the eleventh waits here, not at Microsoft");
            assertTrue(calls.stream().filter(CompletableFuture::isDone)
                    .allMatch(c -> c.join().path("outcome").asText().equals("succeeded")));
        }
    }

    @Test
    void aCopyOfARequestStillRunningIsNotRunAgain() throws Exception {
        tenant.emulator().setMachineActionLife(Bundle.TENANT_ID, Duration.ofSeconds(3), "Succeeded");
        String isolate = request("twice", "isolate-machine", MACHINE, "{\"Comment\":\"c\",\"IsolationType\":\"Full\"}");
        try (Bundle bundle = tenant.start()) {
            CompletableFuture<JsonNode> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return act(bundle, isolate);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> tenant.emulator().machineActionTypes(Bundle.TENANT_ID).size() == 1);
            JsonNode copy = act(bundle, isolate);
            assertEquals("already-in-progress", copy.path("outcome").asText(), copy.toString());
            assertTrue(copy.path("httpStatus").isNull(), "nothing was called for the copy");
            JsonNode done = first.get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals("succeeded", done.path("outcome").asText());
            assertEquals(done, act(bundle, isolate), "afterwards, the kept result");
        }
        assertEquals(1, tenant.emulator().machineActionTypes(Bundle.TENANT_ID).size());
    }
}
