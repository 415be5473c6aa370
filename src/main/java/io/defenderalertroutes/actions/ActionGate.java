package io.defenderalertroutes.actions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;

import io.defenderalertroutes.signing.HandlerSigner;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Who may ask for actions over HTTP: a caller with the bearer token ({@code defender.actions.http.bearer-token}) or
 * one that signs as the bundle signs towards its handlers ({@code Defender-Timestamp} and {@code Defender-Signature:
 * v1=<hex HMAC-SHA256 of "timestamp.body">} under {@code defender.actions.http.signing-secret}, at most five minutes
 * old). Anyone else is answered 401 and nothing is executed. The credential never stays on the exchange.
 */
public final class ActionGate {

    private static final Duration MAX_AGE = Duration.ofMinutes(5);

    private final byte[] bearerToken;
    private final byte[] signingSecret;
    private final Clock clock;

    /** Either may be null, not both. */
    public ActionGate(String bearerToken, String signingSecret, Clock clock) {
        this.bearerToken = bearerToken == null ? null : bearerToken.getBytes(StandardCharsets.UTF_8);
        this.signingSecret = signingSecret == null ? null : signingSecret.getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
    }

    /** True, with the caller's credential as the request's origin, for a caller that proved itself. */
    public boolean allows(Exchange exchange) throws java.security.GeneralSecurityException {
        Message message = exchange.getMessage();
        String authorization = message.getHeader("Authorization", String.class);
        String timestamp = message.getHeader(HandlerSigner.TIMESTAMP, String.class);
        String signature = message.getHeader(HandlerSigner.SIGNATURE, String.class);
        message.removeHeader("Authorization");
        String credential = null;
        if (bearerToken != null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && MessageDigest.isEqual(bearerToken, authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8))) {
            credential = "bearer-token";
        } else if (signingSecret != null && timestamp != null && signature != null && fresh(timestamp)) {
            byte[] body = message.getBody(byte[].class);
            String expected = "v1=" + HandlerSigner.sign(signingSecret, timestamp, body == null ? new byte[0] : body);
            if (MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), signature.getBytes(StandardCharsets.UTF_8))) {
                credential = "signing-secret";
            }
        }
        if (credential != null) {
            exchange.setProperty(ActionDesk.ORIGIN, "http:" + credential);
        }
        return credential != null;
    }

    private boolean fresh(String timestamp) {
        try {
            long age = clock.instant().getEpochSecond() - Long.parseLong(timestamp.trim());
            return Math.abs(age) <= MAX_AGE.toSeconds();
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
