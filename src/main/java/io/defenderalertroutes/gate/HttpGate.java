package io.defenderalertroutes.gate;

import io.defenderalertroutes.signing.HandlerSigner;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Who may use an HTTP page or endpoint of the bundle: {@code POST /actions} and {@code GET /actions/{requestId}} on
 * the actions port ({@link #forActions}), and the status page, its data, the dead letters' replay and a tenant's poll on
 * demand on the management port ({@link #forManagement}). A gated route asks with one step, {@link #check} for a request that
 * shows something or {@link #checkAction} for one that acts; a caller who may not go on gets {@link Refused}. The
 * credential never stays on the exchange; how the caller got in does, under {@link #PASSED}.
 */
public final class HttpGate {

    /** The exchange property naming how the caller got in: bearer-token, signing-secret, basic or localhost. */
    public static final String PASSED = "DefenderGatePassed";

    /** The headers of a request signed as the bundle signs towards its handlers. */
    static final String TIMESTAMP = HandlerSigner.TIMESTAMP;
    static final String SIGNATURE = HandlerSigner.SIGNATURE;
    private static final Duration MAX_AGE = Duration.ofMinutes(5);
    private static final String TEXT = "text/plain; charset=utf-8";

    private final byte[] token;
    private final byte[] signingSecret;
    private final boolean basicToSee;
    /** No token to ask for: only a port on localhost is opened this way. */
    private final boolean open;
    private final Clock clock;
    private final int refusedStatus;
    private final String refusedType;
    private final String refusedChallenge;
    private final String refusedReason;

    private HttpGate(byte[] token, byte[] signingSecret, boolean basicToSee, boolean open, Clock clock,
            int refusedStatus, String refusedType, String refusedChallenge, String refusedReason) {
        this.token = token;
        this.signingSecret = signingSecret;
        this.basicToSee = basicToSee;
        this.open = open;
        this.clock = clock;
        this.refusedStatus = refusedStatus;
        this.refusedType = refusedType;
        this.refusedChallenge = refusedChallenge;
        this.refusedReason = refusedReason;
    }

    /**
     * The actions port: a caller with the bearer token ({@code defender.actions.http.bearer-token}) or one that signs
     * as the bundle signs towards its handlers ({@code Defender-Timestamp} and {@code Defender-Signature: v1=<hex
     * HMAC-SHA256 of "timestamp.body">} under {@code defender.actions.http.signing-secret}, at most five minutes
     * old). Anyone else gets a 401, and nothing is executed or read.
     *
     * @param bearerToken   the token, or null
     * @param signingSecret the secret, or null
     */
    public static HttpGate forActions(String bearerToken, String signingSecret, Clock clock) {
        return new HttpGate(bytes(bearerToken), bytes(signingSecret), false, false, clock, 401, "application/json", null,
                "{\"error\":\"a bearer token or a signature is required (defender.actions.http.bearer-token or "
                        + "defender.actions.http.signing-secret)\"}");
    }

    /**
     * The management port's own pages (health and metrics stay open to probes): anyone when the port is bound to
     * loopback only and no token is set, else whoever presents {@code defender.management.token}, as a bearer token
     * or, to see a page, as the password of HTTP Basic (what a browser asks for). Without a token on a port open to
     * the network, the pages refuse, saying which key opens them.
     *
     * @param token the token, or null for none
     */
    public static HttpGate forManagement(String token, boolean loopbackOnly) {
        if (token == null && !loopbackOnly) {
            return new HttpGate(null, null, false, false, Clock.systemUTC(), 403, TEXT, null,
                    "This page needs defender.management.token (DEFENDER_MANAGEMENT_TOKEN) when the management port "
                            + "is open beyond localhost (camel.management.host)\n");
        }
        return new HttpGate(bytes(token), null, true, token == null, Clock.systemUTC(), 401, TEXT,
                "Basic realm=\"defender-alert-routes\", charset=\"UTF-8\"",
                "Give the management token (defender.management.token) as a bearer token, or as the password of "
                        + "Basic authentication\n");
    }

    /** For a request that shows something. */
    public void check(Exchange exchange) throws Refused, GeneralSecurityException {
        exchange.setProperty(PASSED, caller(exchange.getMessage(), false));
    }

    /**
     * For a request that acts: no Basic credentials, and on an open port the header {@code X-Requested-By}. A
     * browser sends cached Basic credentials, and no such header, with a form another site makes it post; it cannot
     * add either without the page's consent (CORS, which these ports do not give).
     */
    public void checkAction(Exchange exchange) throws Refused, GeneralSecurityException {
        exchange.setProperty(PASSED, caller(exchange.getMessage(), true));
    }

    private String caller(Message message, boolean acts) throws Refused, GeneralSecurityException {
        String authorization = message.getHeader("Authorization", String.class);
        message.removeHeader("Authorization");
        if (open) {
            if (acts && message.getHeader("X-Requested-By") == null) {
                throw new Refused(403, TEXT, null, "Send the header X-Requested-By with a request that acts\n");
            }
            return "localhost";
        }
        if (token != null && matches(token, credential(authorization, "Bearer "))) {
            return "bearer-token";
        }
        if (token != null && basicToSee && !acts && matches(token, basicPassword(credential(authorization, "Basic ")))) {
            return "basic";
        }
        if (signingSecret != null && signed(message)) {
            return "signing-secret";
        }
        throw new Refused(refusedStatus, refusedType, refusedChallenge, refusedReason);
    }

    private boolean signed(Message message) throws GeneralSecurityException {
        String timestamp = message.getHeader(TIMESTAMP, String.class);
        String signature = message.getHeader(SIGNATURE, String.class);
        if (timestamp == null || signature == null || !fresh(timestamp)) {
            return false;
        }
        byte[] body = message.getBody(byte[].class);
        String expected = "v1=" + HandlerSigner.sign(signingSecret, timestamp, body == null ? new byte[0] : body);
        return matches(expected.getBytes(StandardCharsets.UTF_8), signature);
    }

    private boolean fresh(String timestamp) {
        try {
            long age = clock.instant().getEpochSecond() - Long.parseLong(timestamp.trim());
            return Math.abs(age) <= MAX_AGE.toSeconds();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean matches(byte[] expected, String presented) {
        return presented != null && MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8));
    }

    private static String credential(String authorization, String scheme) {
        return authorization != null && authorization.regionMatches(true, 0, scheme, 0, scheme.length())
                ? authorization.substring(scheme.length()).trim() : null;
    }

    private static String basicPassword(String encoded) {
        if (encoded == null) {
            return null;
        }
        try {
            String pair = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            return colon < 0 ? null : pair.substring(colon + 1);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] bytes(String secret) {
        return secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        // never the token or secret
        return "HttpGate[" + (open ? "open on localhost" : (token != null ? "token" : "")
                + (signingSecret != null ? " signature" : "")) + "]";
    }
}
