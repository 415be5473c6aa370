package io.defenderalertroutes.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.defenderalertroutes.assembly.PollerForRouteTests;
import io.defenderalertroutes.assembly.TenantAssembly;
import io.defenderalertroutes.assembly.TenantParts;
import io.defenderalertroutes.auth.TrustSettings;
import io.defenderalertroutes.config.BundleDefaults;
import java.time.Clock;
import io.defenderalertroutes.config.Settings;
import io.defenderalertroutes.defender.PollGuard;
import io.defenderalertroutes.defender.Timestamps;
import io.defenderalertroutes.emulator.AlertJson;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tenant's poll through the project's own routes (defender-poll, defender-api, defender-alert, sinks, dead-letters)
 * assembled as the Kamelet assembles them, with only the edges replaced: the Quartz timer by {@code direct:poll}, the
 * sign-in by a fixed token, and the alerts API by a mock serving a page. The tenant's sinks are three of a user's own
 * (defender.sinks takes any endpoint): one that stops every alert, one that fails the alerts it is told to, and a mock.
 */
class DefenderPollRouteTest extends CamelTestSupport {

    private static final String TENANT = "contoso";
    private static final String POLL_ROUTE = "defender-poll-" + TENANT;

    @TempDir
    static Path stateDir;

    /** The alerts the failing sink fails; any other it passes. */
    private final Set<String> failFor = ConcurrentHashMap.newKeySet();
    /** The page the mocked API serves. */
    private volatile String page = "{\"value\":[]}";

    private final String earlier = Timestamps.format(Instant.now().minus(Duration.ofMinutes(50)));
    private final String later = Timestamps.format(Instant.now().minus(Duration.ofMinutes(40)));

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        configuration.withUseAdviceWith(true);
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        ProjectRoutes.load(context, "defender-api", "defender-alert", "sinks", "dead-letters", "notify", "defender-poll");
        Path dir = Files.createTempDirectory(stateDir, "state");
        Map<String, String> values = Map.of(
                "defender.tenant-id", "8f1c2d3e-0000-4000-8000-123456789abc",
                "defender.client-id", "11111111-2222-4333-8444-555555555555",
                "defender.client-secret", "not-used",
                "defender.tenant-name", TENANT,
                "defender.state-dir", dir.toString(),
                "defender.dedup", "memory",
                "defender.sinks", "direct:stopping,direct:failing,mock:delivered");
        // the tenant's beans and its poller from the defender-poller template, as TenantAssembly (the Kamelet's) adds them
        BundleDefaults.apply(context);
        TenantAssembly.bindSharedBeans(context, new TrustSettings(null, null, null));
        TenantParts tenant = TenantParts.build(Settings.of(values, new Settings(context)), null, Clock.systemUTC(), null);
        TenantAssembly.bindTenantBeans(context, tenant);
        assertEquals(POLL_ROUTE, PollerForRouteTests.add(context, tenant));
        context.setVariable("stateDir", dir.toString());
        return context;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                // a sink of a user's own that drops every alert for itself: a stop
                from("direct:stopping").to("mock:stopping").stop();
                // one that fails some alerts, without the bundle's sink error handling: an exception reaches the fan-out
                from("direct:failing").to("mock:failing").process(e -> {
                    if (failFor.contains(e.getMessage().getHeader("Defender-Alert-Id", String.class))) {
                        throw new IllegalStateException("sink down for " + e.getMessage().getHeader("Defender-Alert-Id"));
                    }
                });
            }
        };
    }

    @BeforeEach
    void replaceTheEdges() throws Exception {
        AdviceWith.adviceWith(context, POLL_ROUTE, a -> {
            a.replaceFromWith("direct:poll");
            a.weaveById("add-access-token").replace().setHeader("Authorization", a.constant("Bearer test"));
        });
        AdviceWith.adviceWith(context, "defender-api-attempt",
                a -> a.weaveById("alerts-api").replace().to("mock:api"));
        context.start();
        getMockEndpoint("mock:api").whenAnyExchangeReceived(
                e -> e.getMessage().setBody(page.getBytes(StandardCharsets.UTF_8)));
    }

    private void serve(String... alerts) {
        page = "{\"value\":[" + String.join(",", alerts) + "]}";
    }

    private String alert(String id, String at) {
        return AlertJson.alert(id, at, "New", "High", "Malware");
    }

    /**
     * One poll, fired as the operators' "poll now" fires it (Quartz's merged job data marking it on demand), so that
     * the poll guard lets polls follow each other at once; true when it succeeded.
     */
    private boolean poll() {
        NotifyBuilder done = new NotifyBuilder(context).fromRoute(POLL_ROUTE).whenDone(1).create();
        Exchange exchange = template.send("direct:poll",
                e -> e.getMessage().setHeader("mergedJobDataMap", Map.of(PollGuard.ON_DEMAND, true)));
        assertEquals(true, done.matchesWaitTime(), "the poll did not end");
        return exchange.getException() == null;
    }

    private String checkpoint() throws Exception {
        Path file = Path.of(context.getVariable("stateDir", String.class), TENANT + ".checkpoint");
        return Files.exists(file) ? Files.readString(file).trim() : null;
    }

    @Test
    void everySinkGetsItsTurnAndAFailedSinkFailsTheAlertNotTheOthers() throws Exception {
        serve(alert("a-1", earlier));
        failFor.add("a-1");
        // the stop comes first and the failure second: neither keeps the alert from the sinks after them
        getMockEndpoint("mock:stopping").expectedHeaderReceived("Defender-Alert-Id", "a-1");
        getMockEndpoint("mock:failing").expectedHeaderReceived("Defender-Alert-Id", "a-1");
        MockEndpoint delivered = getMockEndpoint("mock:delivered");
        delivered.expectedHeaderReceived("Defender-Alert-Id", "a-1");

        boolean succeeded = poll();

        MockEndpoint.assertIsSatisfied(context, 5, java.util.concurrent.TimeUnit.SECONDS);
        // the failure is the alert's: the poll counts as failed and keeps its checkpoint (docs/reshaping.md); the stop
        // only dropped the alert for its own sink
        assertFalse(succeeded, "a sink's failure must fail the poll at its commit");
        assertNull(checkpoint());
    }

    @Test
    void aKeyIsKeptOnlyOnceEverySinkDelivered() throws Exception {
        serve(alert("a-1", earlier));
        MockEndpoint delivered = getMockEndpoint("mock:delivered");

        failFor.add("a-1");
        delivered.expectedMessageCount(1);
        assertFalse(poll());
        delivered.assertIsSatisfied(5_000);

        // the failing sink is back: the same alert goes again, so no key was kept for the undelivered alert
        failFor.clear();
        delivered.reset();
        delivered.expectedMessageCount(1);
        delivered.expectedHeaderReceived("Defender-Alert-Id", "a-1");
        assertEquals(true, poll());
        delivered.assertIsSatisfied(5_000);

        // every sink delivered it: its key is kept, and the next poll (whose overlap serves it again) drops it
        delivered.reset();
        delivered.expectedMessageCount(0);
        getMockEndpoint("mock:failing").reset();
        getMockEndpoint("mock:failing").expectedMessageCount(0);
        assertEquals(true, poll());
        delivered.assertIsSatisfied(500);
        getMockEndpoint("mock:failing").assertIsSatisfied(500);
    }

    @Test
    void theCheckpointNeverPassesAnUndeliveredAlert() throws Exception {
        serve(alert("a-1", earlier));
        assertEquals(true, poll());
        assertEquals(earlier, checkpoint(), "a poll that delivered every alert moves the checkpoint");

        // a newer alert that one sink fails, behind one that goes through
        serve(alert("a-1", earlier), alert("a-2", later), alert("a-3", later));
        failFor.add("a-2");
        MockEndpoint delivered = getMockEndpoint("mock:delivered");
        delivered.reset();
        // the poll goes on past the failed alert to the next one
        delivered.expectedHeaderValuesReceivedInAnyOrder("Defender-Alert-Id", "a-2", "a-3");
        assertFalse(poll());
        delivered.assertIsSatisfied(5_000);
        assertEquals(earlier, checkpoint(), "the checkpoint stayed behind the undelivered a-2");

        failFor.clear();
        delivered.reset();
        // a-2 again (its key was not kept); a-3 was delivered and is a duplicate now
        delivered.expectedHeaderValuesReceivedInAnyOrder("Defender-Alert-Id", "a-2");
        assertEquals(true, poll());
        delivered.assertIsSatisfied(5_000);
        assertEquals(later, checkpoint());
        assertNotNull(checkpoint());
    }
}
