package io.defenderalertroutes.observe;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.emulator.DefenderEmulator;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.Management;
import io.defenderalertroutes.testsupport.PlaybookHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed guide's "max restart attempts on failure" and "notification on failure", against a real webhook. */
class FailureNotificationTest {

    private static final String TENANT = Bundle.TENANT_ID;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private DefenderEmulator emulator;
    private PlaybookHandler webhook;
    private Map<String, String> settings;
    private Management management;

    @BeforeEach
    void start() throws Exception {
        emulator = Emulated.tenant();
        emulator.putAlert(TENANT, AlertJson.alert("n1", Emulated.ago(Duration.ofHours(1)), "New", "High", "Malware"));
        webhook = new PlaybookHandler();
        settings = Bundle.tenantOn(emulator.baseUrl(), dir);
        settings.put("defender.notify.url", webhook.url("/notices"));
        management = Management.on(settings);
    }

    @AfterEach
    void stop() {
        webhook.close();
        emulator.close();
    }

    private List<JsonNode> notices() {
        return webhook.requests().stream().map(r -> {
            try {
                return JSON.readTree(new String(r.body(), StandardCharsets.UTF_8));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    @Test
    void aTenantWhosePollsKeepFailingIsNotifiedOnceAndItsRecoveryToo() throws Exception {
        settings.put("defender.health.failed-polls", "2");
        String forbidden = "{\"error\":{\"code\":\"Forbidden\",\"message\":\"Missing application roles.\"}}";
        try (Bundle bundle = Bundle.start(settings)) {
            for (int i = 0; i < 3; i++) {
                emulator.enqueueFault(TENANT, 403, forbidden, Map.of());
                bundle.pollNow();
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> notices().size() == 1);
            JsonNode failing = notices().get(0);
            assertEquals("tenant-failing", failing.get("event").asText());
            assertEquals("contoso", failing.get("tenant").asText());
            assertEquals(2, failing.get("failedPolls").asInt());
            assertTrue(failing.get("reason").asText().contains("403"), failing.toString());
            assertEquals("application/json", webhook.requests().get(0).header("Content-Type"));

            bundle.pollNow();
            await().atMost(Duration.ofSeconds(20)).until(() -> notices().size() == 2);
            assertEquals("tenant-recovered", notices().get(1).get("event").asText());
            assertFalse(webhook.requests().stream().anyMatch(r -> new String(r.body(), StandardCharsets.UTF_8)
                    .contains(Bundle.CLIENT_SECRET)), "no notice carries the secret");
        }
    }

    @Test
    void aRouteThatCannotStartIsRestartedWithBackoffThenReportedDownAndNotified() throws Exception {
        // the Kafka dedup store's broker is unreachable, so the tenant's alert flow cannot start
        settings.put("defender.dedup", "kafka");
        settings.put("camel.component.kafka.brokers", "localhost:1");
        settings.put("camel.component.kafka.max-block-ms", "500");
        settings.put("defender.restart.max-attempts", "2");
        settings.put("camel.routecontroller.back-off-delay", "200");
        try (Bundle bundle = Bundle.start(settings)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !notices().isEmpty());
            JsonNode notice = notices().get(0);
            assertEquals("restarts-exhausted", notice.get("event").asText(), notice.toString());
            assertEquals("defender-alert-contoso", notice.get("route").asText());
            assertEquals("contoso", notice.get("tenant").asText());
            HttpResponse<String> ready = management.get("/observe/health/ready");
            assertEquals(503, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains("route defender-alert-contoso of tenant contoso could not start after 2 attempts"),
                    ready.body());
        }
    }
}
