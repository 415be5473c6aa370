package io.defenderalertroutes.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.defenderalertroutes.defender.Timestamps;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.testsupport.AlertFiles;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.EmulatedTenant;
import io.defenderalertroutes.testsupport.EntryPoint;
import io.defenderalertroutes.testsupport.Emulated;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Microsoft's side failing: each fault is survived where it can be, and never costs an alert. */
class ApiFaultsTest {

    private static final String TENANT = Bundle.TENANT_ID;
    private static final String MDE_ERROR = "{\"error\":{\"code\":\"%s\",\"message\":\"%s\",\"target\":\"43f4cb08-8fac-4b65-9db1-745c2ae65f3a\"}}";

    @RegisterExtension
    final EmulatedTenant tenant = new EmulatedTenant();

    @BeforeEach
    void start() {
        tenant.emulator().putAlert(TENANT, AlertJson.alert("f1", Timestamps.format(Instant.now().minus(Duration.ofHours(1))),
                "New", "High", "Malware"));
        tenant.settings().put("defender.api.retry-delay", "PT0.1S");
    }

    private boolean checkpointed() {
        return Files.exists(tenant.dir().resolve("state/contoso.checkpoint"));
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void aRevokedTokenIsReplacedOnceAndThePollGoesOn(EntryPoint entry) throws Exception {
        try (Bundle bundle = tenant.start(entry)) {
            bundle.pollNow();
            tenant.emulator().revokeTokens(TENANT);
            tenant.emulator().putAlert(TENANT, AlertJson.alert("f2", Timestamps.format(Instant.now()), "New", "High", "Malware"));
            bundle.pollNow();
        }
        assertEquals(List.of("f1", "f2"), AlertFiles.alertIds(tenant.dir().resolve("alerts")));
        assertEquals(2, tenant.emulator().tokenRequests(TENANT), "one new token after the 401");
        assertEquals(2, tenant.emulator().apiRequests(TENANT), "the emulator counts calls with a valid token: one per poll");
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void throttlingWaitsForRetryAfterAndNoLess(EntryPoint entry) throws Exception {
        tenant.emulator().enqueueFault(TENANT, 429, String.format(MDE_ERROR, "TooManyRequests", "Rate limit is exceeded."),
                Map.of("Retry-After", "2"));
        try (Bundle bundle = tenant.start(entry)) {
            long started = System.nanoTime();
            bundle.pollNow();
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(tookMillis >= 2_000, "retried after " + tookMillis + " ms, Retry-After was 2 s");
        }
        assertEquals(List.of("f1"), AlertFiles.alertIds(tenant.dir().resolve("alerts")));
        assertEquals(2, tenant.emulator().apiRequests(TENANT));
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void serverErrorsAreRetriedWithBackoff(EntryPoint entry) throws Exception {
        for (int i = 0; i < 3; i++) {
            tenant.emulator().enqueueFault(TENANT, 500, String.format(MDE_ERROR, "InternalServerError", "retry the operation"), Map.of());
        }
        try (Bundle bundle = tenant.start(entry)) {
            bundle.pollNow();
        }
        assertEquals(List.of("f1"), AlertFiles.alertIds(tenant.dir().resolve("alerts")));
        assertEquals(4, tenant.emulator().apiRequests(TENANT), "three 500s, then the answer");
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void whatStillFailsFailsThePollAndTheNextPollCatchesUp(EntryPoint entry) throws Exception {
        tenant.settings().put("defender.api.retries", "1");
        for (int i = 0; i < 2; i++) {
            tenant.emulator().enqueueFault(TENANT, 500, String.format(MDE_ERROR, "InternalServerError", "retry the operation"), Map.of());
        }
        try (Bundle bundle = tenant.start(entry)) {
            bundle.pollNow();
            assertFalse(checkpointed(), "a failed poll moves no checkpoint");
            assertTrue(AlertFiles.list(tenant.dir().resolve("alerts")).isEmpty());
            bundle.pollNow();
        }
        assertEquals(List.of("f1"), AlertFiles.alertIds(tenant.dir().resolve("alerts")));
        assertTrue(checkpointed());
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void aMissingPermissionIsNotRetriedAndMovesNothing(EntryPoint entry) throws Exception {
        tenant.emulator().enqueueFault(TENANT, 403, String.format(MDE_ERROR, "Forbidden", "Missing application roles."), Map.of());
        try (Bundle bundle = tenant.start(entry)) {
            bundle.pollNow();
            assertEquals(1, tenant.emulator().apiRequests(TENANT), "a 403 is not retried");
            assertFalse(checkpointed());
            bundle.pollNow();
        }
        assertEquals(List.of("f1"), AlertFiles.alertIds(tenant.dir().resolve("alerts")));
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void aTruncatedPageDeliversNothingTwiceAndLosesNothing(EntryPoint entry) throws Exception {
        tenant.emulator().putAlert(TENANT, AlertJson.alert("f0", Timestamps.format(Instant.now().minus(Duration.ofHours(2))),
                "New", "High", "Malware"));
        tenant.emulator().enqueueMalformed(TENANT);
        try (Bundle bundle = tenant.start(entry)) {
            bundle.pollNow();
            assertFalse(checkpointed(), "the page broke off: no checkpoint");
            bundle.pollNow();
            bundle.pollNow();
        }
        assertEquals(List.of("f0", "f1"), AlertFiles.alertIds(tenant.dir().resolve("alerts")), "each alert once");
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void aSpentCallBudgetMakesThePollWaitInsteadOfCallingOn(EntryPoint entry) throws Exception {
        for (int i = 2; i <= 6; i++) {
            tenant.emulator().putAlert(TENANT, AlertJson.alert("b" + i, Timestamps.format(Instant.now().minus(Duration.ofMinutes(60 - i))),
                    "New", "High", "Malware"));
        }
        tenant.settings().put("defender.poll.page-size", "1");
        tenant.settings().put("defender.api.calls-per-minute", "3");
        tenant.settings().put("camel.main.shutdown-timeout", "1");
        try (Bundle bundle = tenant.start(entry)) {
            bundle.context().getComponent("quartz", org.apache.camel.component.quartz.QuartzComponent.class).getScheduler()
                    .triggerJob(org.quartz.JobKey.jobKey("poll-contoso", "defender"));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> tenant.emulator().apiRequests(TENANT) == 3);
            // the fourth page would exceed 3 calls a minute: the poll holds it back
            org.awaitility.Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                    .until(() -> tenant.emulator().apiRequests(TENANT) == 3);
            assertFalse(checkpointed(), "the poll is not over, so no checkpoint yet");
        }
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void aHangingApiTimesOutAndTheNextPollCatchesUp(EntryPoint entry) throws Exception {
        tenant.settings().put("defender.api.timeout", "PT0.5S");
        tenant.settings().put("defender.api.retries", "1");
        tenant.emulator().setResponseDelay(TENANT, Duration.ofSeconds(3));
        try (Bundle bundle = tenant.start(entry)) {
            long started = System.nanoTime();
            bundle.pollNow();
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(tookMillis < 2_500, "two attempts of 500 ms each, not a 3 s wait: " + tookMillis + " ms");
            assertFalse(checkpointed());
            tenant.emulator().setResponseDelay(TENANT, Duration.ZERO);
            bundle.pollNow();
        }
        assertEquals(List.of("f1"), AlertFiles.alertIds(tenant.dir().resolve("alerts")));
    }
    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void aWindowThatKeepsFailingIsSkippedOnlyWhenTheOperatorSaysSo(EntryPoint entry) throws Exception {
        tenant.settings().put("defender.poll.skip-window-after", "2");
        try (Bundle bundle = tenant.start(entry)) {
            tenant.emulator().enqueueMalformed(TENANT);
            bundle.pollNow();
            tenant.emulator().enqueueMalformed(TENANT);
            bundle.pollNow();
            assertFalse(checkpointed(), "two failed polls, the window is still the same");
            assertTrue(AlertFiles.alertIds(tenant.dir().resolve("alerts")).isEmpty());

            tenant.emulator().putAlert(TENANT, AlertJson.alert("after-skip", Timestamps.format(Instant.now()), "New", "High", "Malware"));
            bundle.pollNow();
            assertTrue(checkpointed(), "the skipped window moved the checkpoint");
            assertEquals(List.of("after-skip"), AlertFiles.alertIds(tenant.dir().resolve("alerts")),
                    "f1, last updated in the skipped window, is not fetched again; the newer alert is");
        }
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void withoutTheSettingAFailingWindowIsNeverSkipped(EntryPoint entry) throws Exception {
        try (Bundle bundle = tenant.start(entry)) {
            for (int i = 0; i < 3; i++) {
                tenant.emulator().enqueueMalformed(TENANT);
                bundle.pollNow();
            }
            assertFalse(checkpointed());
            bundle.pollNow();
            assertEquals(List.of("f1"), AlertFiles.alertIds(tenant.dir().resolve("alerts")), "the window was retried, f1 delivered");
        }
    }
    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void signInTroubleFailsThePollClearlyAndTheNextPollCatchesUp(EntryPoint entry) throws Exception {
        tenant.settings().put("defender.auth.timeout", "PT1S");
        try (Bundle bundle = tenant.start(entry)) {
            tenant.emulator().enqueueTokenFault(TENANT, 503);
            bundle.pollNow();
            assertFalse(checkpointed(), "no token, no poll");

            tenant.emulator().setTokenDelay(TENANT, Duration.ofSeconds(3));
            bundle.pollNow();
            assertFalse(checkpointed(), "a sign-in slower than defender.auth.timeout fails the poll");

            tenant.emulator().setTokenDelay(TENANT, Duration.ZERO);
            bundle.pollNow();
            assertTrue(checkpointed());
            assertEquals(List.of("f1"), AlertFiles.alertIds(tenant.dir().resolve("alerts")));
        }
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void aWrongSecretOrAnUnknownTenantFailsEachPollAndNamesTheCause(EntryPoint entry) throws Exception {
        tenant.settings().put("defender.client-secret", "not-the-secret");
        tenant.settings().put("defender.health.failed-polls", "1");
        io.defenderalertroutes.testsupport.Management management = io.defenderalertroutes.testsupport.Management.on(tenant.settings());
        try (Bundle bundle = tenant.start(entry)) {
            bundle.pollNow();
            assertFalse(checkpointed());
            String ready = management.get("/observe/health/ready").body();
            assertTrue(ready.contains("AADSTS7000215"), "the readiness alarm names Entra's answer: " + ready);
            assertFalse(ready.contains("not-the-secret"), "but not the secret");
        }
        tenant.settings().put("defender.client-secret", Bundle.CLIENT_SECRET);
        tenant.settings().put("defender.tenant-id", "0b0b0b0b-0000-4000-8000-000000000000");
        try (Bundle bundle = tenant.start(entry)) {
            bundle.pollNow();
            assertFalse(checkpointed());
            assertTrue(management.get("/observe/health/ready").body().contains("AADSTS90002"));
        }
    }
}
