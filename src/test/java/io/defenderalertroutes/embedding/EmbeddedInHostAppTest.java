package io.defenderalertroutes.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.defenderalertroutes.app.PollNow;
import io.defenderalertroutes.defender.Timestamps;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.emulator.DefenderEmulator;
import io.defenderalertroutes.testsupport.AlertFiles;
import io.defenderalertroutes.testsupport.Bundle;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.TriggerKey;

/**
 * The bundle as a dependency of another camel-main application with routes, beans, a Quartz job and
 * properties of its own, switched on by the lines the README gives and nothing else: both run side by side.
 */
class EmbeddedInHostAppTest {

    @TempDir
    Path dir;

    @Test
    void hostAndBundleRunTogetherWithoutClashing() throws Exception {
        try (DefenderEmulator emulator = DefenderEmulator.start(0)) {
            emulator.registerClient(Bundle.TENANT_ID, Bundle.CLIENT_ID, Bundle.CLIENT_SECRET);
            emulator.putAlert(Bundle.TENANT_ID, AlertJson.alert("embedded-1",
                    Timestamps.format(Instant.now().minus(Duration.ofHours(1))), "New", "High", "Malware"));

            // only the host's properties file: the bundle's own defaults are not on the property path
            Main host = new Main();
            host.setDefaultPropertyPlaceholderLocation("classpath:host-app/application.properties");
            host.addOverrideProperty("defender.tenant-id", Bundle.TENANT_ID);
            host.addOverrideProperty("defender.tenant-name", "contoso");
            host.addOverrideProperty("defender.client-id", Bundle.CLIENT_ID);
            host.addOverrideProperty("defender.client-secret", Bundle.CLIENT_SECRET);
            host.addOverrideProperty("defender.authority-url", emulator.baseUrl());
            host.addOverrideProperty("defender.api-url", emulator.baseUrl());
            host.addOverrideProperty("defender.state-dir", dir.resolve("state").toString());
            host.addOverrideProperty("defender.sink.file.dir", dir.resolve("alerts").toString());
            host.start();
            try {
                var context = host.getCamelContext();
                MockEndpoint greetings = context.getEndpoint("mock:host-greetings", MockEndpoint.class);
                greetings.expectedBodiesReceived("hello from the host");
                greetings.assertIsSatisfied(10_000);

                List<String> routes = context.getRoutes().stream().map(r -> r.getRouteId()).sorted().toList();
                assertEquals(List.of("defender-alert-contoso", "defender-api-attempt", "defender-api-call",
                        "defender-dead-letter", "defender-notify", "defender-poll-contoso", "defender-sink-file",
                        "defender-sink-http", "defender-sink-kafka", "host-greeter", "host-nightly"), routes);
                assertTrue(context.getRegistry().lookupByName("fileEnvelope") instanceof StringBuilder,
                        "the host's bean keeps its name");

                var scheduler = context.getComponent("quartz", QuartzComponent.class).getScheduler();
                assertTrue(scheduler.isStarted(), "the host's Quartz jobs run");
                assertTrue(scheduler.getTrigger(TriggerKey.triggerKey("nightly", "host")) != null);

                PollNow.run(context, "contoso", Duration.ofSeconds(30));
                assertEquals(List.of("embedded-1"), AlertFiles.alertIds(dir.resolve("alerts")));
            } finally {
                host.stop();
            }
        }
    }
}
