package io.defenderalertroutes.observe;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.EmulatedTenant;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.Management;
import io.defenderalertroutes.testsupport.PlaybookHandler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The seed guide's "max restart attempts on failure" and "notification on failure", against a real webhook. */
class FailureNotificationTest {

    private static final String TENANT = Bundle.TENANT_ID;
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final EmulatedTenant tenant = new EmulatedTenant();

    private PlaybookHandler webhook;
    private Management management;

    @BeforeEach
    void start() throws Exception {
        tenant.emulator().putAlert(TENANT, AlertJson.alert("n1", Emulated.ago(Duration.ofHours(1)), "New", "High", "Malware"));
        webhook = tenant.handler();
        tenant.settings().put("defender.notify.url", webhook.url("/notices"));
        management = Management.on(tenant.settings());
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
        tenant.settings().put("defender.health.failed-polls", "2");
        String forbidden = "{\"error\":{\"code\":\"Forbidden\",\"message\":\"Missing application roles.\"}}";
        try (Bundle bundle = tenant.start()) {
            for (int i = 0; i < 3; i++) {
                tenant.emulator().enqueueFault(TENANT, 403, forbidden, Map.of());
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
        // the Kafka dedup store's broker is unreachable, so the tenant's poller, which opens the store, cannot start
        tenant.settings().put("defender.dedup", "kafka");
        tenant.settings().put("camel.component.kafka.brokers", "localhost:1");
        tenant.settings().put("camel.component.kafka.max-block-ms", "500");
        tenant.settings().put("defender.restart.max-attempts", "2");
        tenant.settings().put("camel.routecontroller.back-off-delay", "200");
        try (Bundle bundle = tenant.start()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !notices().isEmpty());
            JsonNode notice = notices().get(0);
            assertEquals("restarts-exhausted", notice.get("event").asText(), notice.toString());
            assertEquals("defender-poll-contoso", notice.get("route").asText());
            assertEquals("contoso", notice.get("tenant").asText());
            HttpResponse<String> ready = management.get("/observe/health/ready");
            assertEquals(503, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains("route defender-poll-contoso of tenant contoso could not start after 2 attempts"),
                    ready.body());
        }
    }
}
