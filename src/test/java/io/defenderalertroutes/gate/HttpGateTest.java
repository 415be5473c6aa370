package io.defenderalertroutes.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The rules of each door of the one gate: who gets in, how, and what a refused caller is answered. */
class HttpGateTest {

    private static final String TOKEN = "a-token-of-sixteen-or-more";
    private static final String SECRET = "a-signing-secret";
    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
    private static final CamelContext CONTEXT = new DefaultCamelContext();

    @AfterAll
    static void close() throws Exception {
        CONTEXT.close();
    }

    private static Exchange request(String body, Map<String, String> headers) {
        Exchange exchange = new DefaultExchange(CONTEXT);
        exchange.getMessage().setBody(body);
        headers.forEach(exchange.getMessage()::setHeader);
        return exchange;
    }

    private static String basic(String password) {
        return "Basic " + Base64.getEncoder().encodeToString(("operator:" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String signature(String timestamp, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "v1=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theActionsPortTakesTheBearerTokenOrAFreshSignatureAndKeepsNoCredential() throws Exception {
        HttpGate gate = HttpGate.forActions(TOKEN, SECRET, Clock.fixed(NOW, ZoneOffset.UTC));
        Exchange bearer = request("{}", Map.of("Authorization", "Bearer " + TOKEN));
        gate.checkAction(bearer);
        assertEquals("bearer-token", bearer.getProperty(HttpGate.PASSED));
        assertNull(bearer.getMessage().getHeader("Authorization"), "the credential does not stay on the exchange");

        String now = Long.toString(NOW.getEpochSecond());
        Exchange signed = request("{\"a\":1}", Map.of(HttpGate.TIMESTAMP, now, HttpGate.SIGNATURE, signature(now, "{\"a\":1}")));
        gate.checkAction(signed);
        assertEquals("signing-secret", signed.getProperty(HttpGate.PASSED));

        String stale = Long.toString(NOW.minusSeconds(301).getEpochSecond());
        Refused replayed = assertThrows(Refused.class, () -> gate.checkAction(request("{\"a\":1}",
                Map.of(HttpGate.TIMESTAMP, stale, HttpGate.SIGNATURE, signature(stale, "{\"a\":1}")))));
        assertEquals(401, replayed.getStatus());
        assertEquals("application/json", replayed.getContentType());
        assertNull(replayed.getChallenge());
        assertTrue(replayed.getMessage().contains("defender.actions.http.signing-secret"), replayed.getMessage());
        assertThrows(Refused.class, () -> gate.check(request("{\"a\":2}",
                Map.of(HttpGate.TIMESTAMP, now, HttpGate.SIGNATURE, signature(now, "{\"a\":1}")))), "another body");
        assertThrows(Refused.class, () -> gate.check(request("", Map.of("Authorization", basic(TOKEN)))),
                "no Basic credentials on the actions port");
    }

    @Test
    void theManagementPagesTakeTheTokenAsBearerOrToSeeAsBasicAndChallengeABrowser() throws Exception {
        HttpGate gate = HttpGate.forManagement(TOKEN, false);
        gate.check(request(null, Map.of("Authorization", basic(TOKEN))));
        gate.checkAction(request(null, Map.of("Authorization", "Bearer " + TOKEN)));
        Refused refused = assertThrows(Refused.class, () -> gate.checkAction(request(null,
                Map.of("Authorization", basic(TOKEN)))), "a request that acts takes no Basic credentials");
        assertEquals(401, refused.getStatus());
        assertTrue(refused.getChallenge().startsWith("Basic realm="), refused.getChallenge());
        assertEquals("text/plain; charset=utf-8", refused.getContentType());
        assertThrows(Refused.class, () -> gate.check(request(null, Map.of("Authorization", "Bearer wrong"))));
    }

    @Test
    void withoutATokenLocalhostIsOpenButActingNeedsTheHeaderAndAnOpenPortIsLocked() throws Exception {
        HttpGate local = HttpGate.forManagement(null, true);
        local.check(request(null, Map.of()));
        local.checkAction(request(null, Map.of("X-Requested-By", "me")));
        Refused forged = assertThrows(Refused.class, () -> local.checkAction(request(null, Map.of())));
        assertEquals(403, forged.getStatus());
        assertTrue(forged.getMessage().contains("X-Requested-By"), forged.getMessage());

        HttpGate exposed = HttpGate.forManagement(null, false);
        Refused locked = assertThrows(Refused.class, () -> exposed.check(request(null, Map.of("X-Requested-By", "me"))));
        assertEquals(403, locked.getStatus());
        assertTrue(locked.getMessage().contains("defender.management.token"), locked.getMessage());
    }
}
