package io.defenderalertroutes.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.defenderalertroutes.defender.Timestamps;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.signing.HandlerSigner;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.EmulatedTenant;
import io.defenderalertroutes.testsupport.PlaybookHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A handler checks the signature as docs/operations.md shows, and a tampered body or another secret fails the check. */
class HandlerSigningTest {

    private static final String SIGNING_SECRET = "handler-shared-secret-7f3c";

    @RegisterExtension
    final EmulatedTenant tenant = new EmulatedTenant();

    @Test
    void handlersCanVerifyWhoSentTheAlert() throws Exception {
        {
            PlaybookHandler handler = tenant.handler();
            Map<String, String> settings = httpSinkOn("signed", handler.url("/signed"));
            settings.put("defender.sink.http.signing-secret", SIGNING_SECRET);
            settings.put("defender.sink.http.bearer-token", "handler-token-123");
            try (Bundle bundle = Bundle.start(settings)) {
                bundle.pollNow();
            }
            PlaybookHandler.Request request = handler.requests().get(0);
            String timestamp = request.header("Defender-Timestamp");
            long age = Instant.now().getEpochSecond() - Long.parseLong(timestamp);
            assertTrue(age >= 0 && age < 60, "a fresh timestamp: " + age + " s");
            byte[] secret = SIGNING_SECRET.getBytes(StandardCharsets.UTF_8);
            assertEquals("v1=" + HandlerSigner.sign(secret, timestamp, request.body()), request.header("Defender-Signature"));
            assertEquals("Bearer handler-token-123", request.header("Authorization"));

            byte[] tampered = new String(request.body(), StandardCharsets.UTF_8).replace("High", "Low").getBytes(StandardCharsets.UTF_8);
            assertTrue(!("v1=" + HandlerSigner.sign(secret, timestamp, tampered)).equals(request.header("Defender-Signature")));
            assertTrue(!("v1=" + HandlerSigner.sign("other".getBytes(StandardCharsets.UTF_8), timestamp, request.body()))
                    .equals(request.header("Defender-Signature")));
        }
    }

    @Test
    void withoutASecretRequestsAreUnsigned() throws Exception {
        {
            PlaybookHandler handler = tenant.handler();
            Map<String, String> settings = httpSinkOn("plain", handler.url("/plain"));
            try (Bundle bundle = Bundle.start(settings)) {
                bundle.pollNow();
            }
            assertNull(handler.requests().get(0).header("Defender-Signature"));
            assertNull(handler.requests().get(0).header("Authorization"));
        }
    }
    @Test
    void eachHandlerCanHaveASecretOfItsOwn() throws Exception {
        {
            PlaybookHandler handler = tenant.handler();
            Map<String, String> settings = httpSinkOn("two", handler.url("/soar") + "," + handler.url("/ticketing"));
            settings.put("defender.sink.http.signing-secret", SIGNING_SECRET);
            settings.put("defender.sink.http.handler.2.signing-secret", "ticketing-own-secret");
            settings.put("defender.sink.http.handler.2.bearer-token", "ticketing-token");
            try (Bundle bundle = Bundle.start(settings)) {
                bundle.pollNow();
            }
            Map<String, PlaybookHandler.Request> byPath = new java.util.HashMap<>();
            handler.requests().forEach(r -> byPath.put(r.path(), r));
            assertEquals(java.util.Set.of("/soar", "/ticketing"), byPath.keySet());
            PlaybookHandler.Request soar = byPath.get("/soar");
            PlaybookHandler.Request ticketing = byPath.get("/ticketing");
            assertEquals("v1=" + HandlerSigner.sign(SIGNING_SECRET.getBytes(StandardCharsets.UTF_8),
                    soar.header("Defender-Timestamp"), soar.body()), soar.header("Defender-Signature"));
            assertNull(soar.header("Authorization"), "the second handler's token goes to it alone");
            assertEquals("v1=" + HandlerSigner.sign("ticketing-own-secret".getBytes(StandardCharsets.UTF_8),
                    ticketing.header("Defender-Timestamp"), ticketing.body()), ticketing.header("Defender-Signature"));
            assertEquals("Bearer ticketing-token", ticketing.header("Authorization"));
            assertArrayEquals(soar.body(), ticketing.body(), "both got the alert exactly as served");
        }
    }

    /** The test tenant with one alert, {@code alertId}, and the HTTP sink posting to {@code urls}. */
    private Map<String, String> httpSinkOn(String alertId, String urls) {
        tenant.emulator().putAlert(Bundle.TENANT_ID, AlertJson.alert(alertId, Timestamps.format(Instant.now().minus(Duration.ofHours(1))),
                "New", "High", "Malware"));
        Map<String, String> settings = tenant.settings();
        settings.put("defender.sinks", "http");
        settings.put("defender.sink.http.urls", urls);
        return settings;
    }
}
