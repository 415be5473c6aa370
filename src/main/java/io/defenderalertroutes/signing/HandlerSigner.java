package io.defenderalertroutes.signing;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Lets a playbook handler verify that a request comes from this bundle and was not altered or replayed:
 * {@code Defender-Timestamp} (Unix seconds) and {@code Defender-Signature: v1=<hex HMAC-SHA256 of
 * "timestamp.body" under the shared secret>}, and optionally a bearer token. Without a secret it adds nothing.
 */
public final class HandlerSigner implements Processor {

    public static final String TIMESTAMP = "Defender-Timestamp";
    public static final String SIGNATURE = "Defender-Signature";

    private final byte[] secret;
    private final String bearerToken;
    private final Clock clock;

    /**
     * @param secret      the shared signing secret, or null for unsigned requests
     * @param bearerToken a token for the handler's Authorization header, or null
     */
    public HandlerSigner(String secret, String bearerToken, Clock clock) {
        this.secret = secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
        this.bearerToken = bearerToken;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) throws NoSuchAlgorithmException, InvalidKeyException {
        Message message = exchange.getMessage();
        if (secret != null) {
            String timestamp = Long.toString(clock.instant().getEpochSecond());
            byte[] body = message.getBody(String.class).getBytes(StandardCharsets.UTF_8);
            message.setHeader(TIMESTAMP, timestamp);
            message.setHeader(SIGNATURE, "v1=" + sign(secret, timestamp, body));
        }
        if (bearerToken != null) {
            message.setHeader("Authorization", "Bearer " + bearerToken);
        }
    }

    /** The v1 signature of a body sent at a timestamp; handlers compute the same to compare. */
    public static String sign(byte[] secret, String timestamp, byte[] body)
            throws NoSuchAlgorithmException, InvalidKeyException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) '.');
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    @Override
    public String toString() {
        return "HandlerSigner[" + (secret != null ? "signing" : "unsigned") + (bearerToken != null ? ", bearer" : "") + "]";
    }
}
