package io.defenderalertroutes.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.defenderalertroutes.defender.Timestamps;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.testsupport.AlertFiles;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.EmulatedTenant;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.PlaybookHandler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The checkpoint never passes an alert that did not reach every sink, and evidence comes through whole. */
class DeliveryGuaranteeTest {

    private static final String TENANT = Bundle.TENANT_ID;

    @RegisterExtension
    final EmulatedTenant tenant = new EmulatedTenant();

    private PlaybookHandler handler;

    @BeforeEach
    void start() throws Exception {
        handler = tenant.handler();
        tenant.settings().put("defender.sinks", "file,http");
        tenant.settings().put("defender.sink.http.urls", handler.url("/hook"));
        tenant.settings().put("defender.sink.retry-delay", "PT0.05S");
    }

    @Test
    void aFailingHandlerHoldsTheCheckpointAndTheAlertComesAgain() throws Exception {
        tenant.settings().put("defender.dead-letter", "none");
        tenant.emulator().putAlert(TENANT, AlertJson.alert("first", Emulated.ago(Duration.ofHours(2)), "New", "High", "Malware"));
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
            String checkpoint = Files.readString(tenant.dir().resolve("state/contoso.checkpoint")).trim();

            String later = Emulated.ago(Duration.ofMinutes(1));
            tenant.emulator().putAlert(TENANT, AlertJson.alert("second", later, "New", "High", "Malware"));
            handler.answerWith(500);
            bundle.pollNow();
            assertEquals(checkpoint, Files.readString(tenant.dir().resolve("state/contoso.checkpoint")).trim(),
                    "the checkpoint stays before the undelivered alert");

            handler.answerWith(200);
            bundle.pollNow();
            assertEquals(later, Files.readString(tenant.dir().resolve("state/contoso.checkpoint")).trim());
            List<String> attempts = handler.requests().stream().map(r -> r.header("Defender-Alert-Id")).toList();
            assertEquals(List.of("first", "second", "second", "second", "second", "second"), attempts,
                    "refused with its three retries, delivered on the next poll");
            assertEquals(List.of("first", "second"), AlertFiles.alertIds(tenant.dir().resolve("alerts")));
        }
    }

    @Test
    void aSinkThatKeepsFailingDeadLettersTheAlertAndTheOthersGoOn() throws Exception {
        tenant.emulator().putAlert(TENANT, AlertJson.alert("doomed", Emulated.ago(Duration.ofHours(1)), "New", "High", "Malware"));
        handler.answerWith(500);
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
        }
        assertEquals(4, handler.requests().size(), "one attempt and three retries");
        assertEquals(List.of("doomed"), AlertFiles.alertIds(tenant.dir().resolve("alerts")), "the file sink delivered");
        List<com.fasterxml.jackson.databind.JsonNode> dead = AlertFiles.envelopes(tenant.dir().resolve("state/dead-letter"));
        assertEquals(1, dead.size());
        assertEquals("doomed", dead.get(0).get("alertId").asText());
        assertEquals("defender-sink-http", dead.get(0).get("failedSink").asText());
        assertTrue(dead.get(0).get("failure").asText().contains("500"), dead.get(0).get("failure").asText());
        assertTrue(AlertFiles.text(AlertFiles.list(tenant.dir().resolve("state/dead-letter")).get(0))
                .contains("\"alert\":" + tenant.emulator().servedJson(TENANT, "doomed", false)), "the alert itself, untouched");
        assertTrue(java.nio.file.Files.exists(tenant.dir().resolve("state/contoso.checkpoint")),
                "delivered or dead-lettered: the checkpoint moves on");
    }

    @Test
    void evidenceIsFetchedWhenAskedForAndKeptByteForByte() throws Exception {
        tenant.emulator().putAlert(TENANT, AlertJson.alert("ev", Emulated.ago(Duration.ofHours(1)), "New", "High", "Execution",
                List.of("User", "Process", "File")));
        tenant.settings().put("defender.poll.expand-evidence", "true");
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
        }
        String served = tenant.emulator().servedJson(TENANT, "ev", true);
        assertTrue(served.contains("\"entityType\""), "the emulator served evidence");
        assertEquals(served, new String(handler.requests().get(0).body(), StandardCharsets.UTF_8));
        assertTrue(tenant.emulator().requestQueries(TENANT).get(0).contains("$expand=evidence"));
    }

    @Test
    void withoutEvidenceTheQueryDoesNotAskForIt() throws Exception {
        tenant.emulator().putAlert(TENANT, AlertJson.alert("ev", Emulated.ago(Duration.ofHours(1)), "New", "High", "Execution",
                List.of("User")));
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
        }
        assertFalse(tenant.emulator().requestQueries(TENANT).get(0).contains("$expand"));
        assertEquals(tenant.emulator().servedJson(TENANT, "ev", false), new String(handler.requests().get(0).body(), StandardCharsets.UTF_8));
    }

    @Test
    void anEndpointUriInTheSinkListIsASinkWithNoRouteToWrite() throws Exception {
        tenant.emulator().putAlert(TENANT, AlertJson.alert("u1", Emulated.ago(Duration.ofHours(1)), "New", "High", "Malware"));
        tenant.settings().put("defender.sinks", "file,mock:extra-sink");
        try (Bundle bundle = tenant.start()) {
            org.apache.camel.component.mock.MockEndpoint extra =
                    bundle.context().getEndpoint("mock:extra-sink", org.apache.camel.component.mock.MockEndpoint.class);
            extra.expectedBodiesReceived(tenant.emulator().servedJson(TENANT, "u1", false));
            extra.expectedHeaderReceived("Defender-Alert-Id", "u1");
            bundle.pollNow();
            extra.assertIsSatisfied(5_000);
        }
        assertEquals(List.of("u1"), AlertFiles.alertIds(tenant.dir().resolve("alerts")));
    }
    @Test
    void aHangingHandlerTimesOutAndItsAlertIsDeadLetteredWhileTheOtherSinksDeliver() throws Exception {
        com.sun.net.httpserver.HttpServer hanging = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        hanging.createContext("/", exchange -> {
            try {
                release.await(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        hanging.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        hanging.start();
        try {
            tenant.settings().put("defender.sink.http.urls", "http://127.0.0.1:" + hanging.getAddress().getPort() + "/hook");
            tenant.settings().put("defender.sink.retries", "1");
            tenant.settings().put("camel.component.http.response-timeout", "500");
            tenant.settings().put("camel.component.http.so-timeout", "500");
            tenant.emulator().putAlert(TENANT, AlertJson.alert("hang", Emulated.ago(Duration.ofHours(1)), "New", "High", "Malware"));
            try (Bundle bundle = tenant.start()) {
                bundle.pollNow();
            }
            assertEquals(List.of("hang"), AlertFiles.alertIds(tenant.dir().resolve("alerts")), "the file sink delivered");
            List<com.fasterxml.jackson.databind.JsonNode> dead = AlertFiles.envelopes(tenant.dir().resolve("state/dead-letter"));
            assertEquals(1, dead.size());
            assertEquals("defender-sink-http", dead.get(0).get("failedSink").asText());
            assertTrue(dead.get(0).get("failure").asText().contains("Timeout"), dead.get(0).toString());
            assertTrue(Files.exists(tenant.dir().resolve("state/contoso.checkpoint")), "delivered or dead-lettered: the poll completes");
        } finally {
            release.countDown();
            hanging.stop(0);
        }
    }

    @Test
    void anUnwritableAlertDirectoryDeadLettersToTheOtherDirectoryAndHttpStillDelivers() throws Exception {
        // a file where the directory should be: every write fails, as on a full or read-only volume (the suite
        // runs as root, for whom permissions do not make a directory read-only)
        Path blocked = Files.writeString(tenant.dir().resolve("not-a-directory"), "x");
        tenant.settings().put("defender.sink.file.dir", blocked.toString());
        tenant.settings().put("defender.sink.retries", "1");
        tenant.emulator().putAlert(TENANT, AlertJson.alert("nofile", Emulated.ago(Duration.ofHours(1)), "New", "High", "Malware"));
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
        }
        assertEquals(List.of("nofile"), handler.requests().stream().map(r -> r.header("Defender-Alert-Id")).toList());
        List<com.fasterxml.jackson.databind.JsonNode> dead = AlertFiles.envelopes(tenant.dir().resolve("state/dead-letter"));
        assertEquals(1, dead.size());
        assertEquals("defender-sink-file", dead.get(0).get("failedSink").asText());
        assertTrue(Files.exists(tenant.dir().resolve("state/contoso.checkpoint")));
    }
}
