package io.defenderalertroutes.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.EmulatedTenant;
import io.defenderalertroutes.testsupport.LogCapture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quartz.SimpleTrigger;
import org.quartz.TriggerKey;

/** defender.poll.interval, an ISO-8601 duration, per tenant and below a minute, down to PT1S. */
class PollIntervalTest {

    private static final String TENANT = Bundle.TENANT_ID;

    @RegisterExtension
    final EmulatedTenant tenant = new EmulatedTenant();

    private static SimpleTrigger timer(Bundle bundle) throws Exception {
        return (SimpleTrigger) bundle.context().getComponent("quartz", org.apache.camel.component.quartz.QuartzComponent.class)
                .getScheduler().getTrigger(TriggerKey.triggerKey("poll-contoso", "defender"));
    }

    @Test
    void aTenantWithATwoSecondIntervalPollsEveryTwoSeconds() throws Exception {
        tenant.emulator().putAlert(TENANT, AlertJson.alert("a1", Emulated.ago(Duration.ofMinutes(30)), "New", "High", "Malware"));
        tenant.asTenants("contoso", Map.of());
        tenant.settings().put("defender.tenant.contoso.poll.interval", "PT2S");
        try (Bundle bundle = tenant.start()) {
            long start = System.nanoTime();
            assertEquals(2000, timer(bundle).getRepeatInterval());
            // the first poll one interval after start, then one every interval: the fourth about 8 s after start
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> tenant.emulator().apiRequests(TENANT) >= 4);
            long elapsed = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertTrue(elapsed >= 7_000 && elapsed < 14_000, "four polls took " + elapsed + " ms");
            assertEquals(List.of("a1"), tenant.delivered());
        }
    }

    @Test
    void anIntervalBelowAMinuteIsTakenWithAWarning() throws Exception {
        tenant.settings().put("defender.poll.interval", "PT30S");
        try (LogCapture log = new LogCapture(); Bundle bundle = tenant.start()) {
            assertEquals(30_000, timer(bundle).getRepeatInterval());
            List<String> warnings = log.lines().stream()
                    .filter(l -> l.startsWith("io.defenderalertroutes.assembly.TenantParts WARN")).toList();
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("defender.poll.interval=PT30S: polls more often than once a minute"),
                    warnings.get(0));
        }
    }

    @Test
    void aTenantsOldIntervalKeyStillWorksWithOneWarningNamingItsReplacement() throws Exception {
        tenant.asTenants("contoso", Map.of());
        tenant.settings().put("defender.tenant.contoso.poll.interval-minutes", "2");
        try (LogCapture log = new LogCapture(); Bundle bundle = tenant.start()) {
            assertEquals(120_000, timer(bundle).getRepeatInterval());
            assertEquals(List.of("io.defenderalertroutes.config.GlobalKeys WARN: defender.tenant.contoso.poll.interval-minutes "
                    + "is deprecated: use defender.tenant.contoso.poll.interval instead (its value is used for now, as "
                    + "defender.tenant.contoso.poll.interval=PT2M)"), log.lines().stream()
                    .filter(l -> l.startsWith("io.defenderalertroutes.config.GlobalKeys")).toList());
        }
    }
}
