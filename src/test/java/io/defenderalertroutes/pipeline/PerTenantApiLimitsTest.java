package io.defenderalertroutes.pipeline;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import io.defenderalertroutes.schedule.PollTimers;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.EmulatedTenant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The API call budget, timeout and retries set for one tenant apply to that tenant and to no other. */
class PerTenantApiLimitsTest {

    private static final String OTHER = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

    @RegisterExtension
    final EmulatedTenant tenant = new EmulatedTenant();

    private void twoTenants() {
        tenant.emulator().registerClient(OTHER, Bundle.CLIENT_ID, Bundle.CLIENT_SECRET);
        Instant first = Instant.now().minus(Duration.ofHours(2));
        Emulated.seed(tenant.emulator(), "a", 3, first, Duration.ofMinutes(1));
        for (int i = 0; i < 3; i++) {
            tenant.emulator().putAlert(OTHER, io.defenderalertroutes.emulator.AlertJson.alert("b" + i,
                    io.defenderalertroutes.emulator.AlertJson.timestamp(first.plus(Duration.ofMinutes(i))), "New", "High", "Malware"));
        }
        tenant.settings().remove("defender.tenant-name");
        tenant.settings().remove("defender.tenant-id");
        tenant.settings().put("defender.tenants", "limited,free");
        tenant.settings().put("defender.tenant.limited.tenant-id", Bundle.TENANT_ID);
        tenant.settings().put("defender.tenant.free.tenant-id", OTHER);
        // one alert a page: each poll needs several calls
        tenant.settings().put("defender.poll.page-size", "1");
        tenant.settings().put("camel.main.shutdown-timeout", "3");
    }

    @Test
    void aTenantsCallBudgetHoldsItsPollAndNotTheOthers() throws Exception {
        twoTenants();
        tenant.settings().put("defender.tenant.limited.api.calls-per-minute", "2");
        try (Bundle bundle = tenant.start()) {
            CompletableFuture<Void> limited = CompletableFuture.runAsync(() -> poll(bundle, "limited"));
            poll(bundle, "free");
            assertTrue(Files.exists(tenant.dir().resolve("state/free.checkpoint")), "the free tenant's poll went through");
            assertTrue(tenant.emulator().apiRequests(OTHER) > 2, "with more calls than the other's budget");
            await().atMost(Duration.ofSeconds(10)).until(() -> tenant.emulator().apiRequests(Bundle.TENANT_ID) == 2);
            assertFalse(limited.isDone(), "the limited tenant's third call waits for its budget");
            assertEquals(2, tenant.emulator().apiRequests(Bundle.TENANT_ID));
        }
    }

    @Test
    void aTenantsTimeoutAndRetriesApplyToItAlone() throws Exception {
        twoTenants();
        tenant.settings().put("defender.tenant.limited.api.timeout", "PT0.3S");
        tenant.settings().put("defender.tenant.limited.api.retries", "0");
        tenant.emulator().setResponseDelay(Bundle.TENANT_ID, Duration.ofSeconds(2));
        tenant.emulator().setResponseDelay(OTHER, Duration.ofMillis(500));
        try (Bundle bundle = tenant.start()) {
            poll(bundle, "limited");
            assertEquals(1, tenant.emulator().apiRequests(Bundle.TENANT_ID), "timed out after 300 ms, not retried");
            assertFalse(Files.exists(tenant.dir().resolve("state/limited.checkpoint")));
            poll(bundle, "free");
            assertTrue(Files.exists(tenant.dir().resolve("state/free.checkpoint")), "500 ms answers are within the default");
        }
    }

    private static void poll(Bundle bundle, String name) {
        try {
            PollTimers.pollNow(bundle.context(), name, Duration.ofSeconds(60));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
