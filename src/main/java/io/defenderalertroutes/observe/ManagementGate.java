package io.defenderalertroutes.observe;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Who may see the status page and replay dead letters (health and metrics stay open to probes): anyone when the
 * management port is bound to loopback only, else whoever presents {@code defender.management.token}, as a bearer
 * token or as the password of HTTP Basic (what a browser asks for). Without a token on a port open to the network,
 * these pages refuse, saying which key opens them.
 */
public final class ManagementGate {

    private final byte[] token;
    private final boolean loopbackOnly;

    /** @param token the token, or null for none */
    public ManagementGate(String token, boolean loopbackOnly) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.loopbackOnly = loopbackOnly;
    }

    /** The exchange property set true, with the answer (401 or 403, and why), when the request may not go on. */
    public static final String REFUSED = "DefenderRefused";

    public void check(Exchange exchange) {
        exchange.setProperty(REFUSED, refuses(exchange, true));
    }

    /**
     * For a request that acts (the replay): a bearer token only, or with no token (a port on localhost) a header
     * {@code X-Requested-By}. A browser sends cached Basic credentials, and no such header, with a form another site
     * makes it post; it cannot add either without the page's consent (CORS, which this port does not give).
     */
    public void checkAction(Exchange exchange) {
        Message message = exchange.getMessage();
        String authorization = message.getHeader("Authorization", String.class);
        boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
        boolean refused = refuses(exchange, false);
        if (!refused && token == null && message.getHeader("X-Requested-By") == null) {
            answer(message, 403, "Send the header X-Requested-By with a request that acts\n");
            refused = true;
        } else if (!refused && token != null && !bearer) {
            answer(message, 401, "A request that acts needs the management token as a bearer token\n");
            refused = true;
        }
        exchange.setProperty(REFUSED, refused);
    }

    private boolean refuses(Exchange exchange, boolean basicToo) {
        Message message = exchange.getMessage();
        String presented = presented(message.getHeader("Authorization", String.class), basicToo);
        message.removeHeader("Authorization");
        if (token == null) {
            if (loopbackOnly) {
                return false;
            }
            answer(message, 403, "This page needs defender.management.token (DEFENDER_MANAGEMENT_TOKEN) when the "
                    + "management port is open beyond localhost (camel.management.host)\n");
            return true;
        }
        if (presented != null && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8))) {
            return false;
        }
        answer(message, 401, "Give the management token (defender.management.token) as a bearer token, or as the "
                + "password of Basic authentication\n");
        message.setHeader("WWW-Authenticate", "Basic realm=\"defender-alert-routes\", charset=\"UTF-8\"");
        return true;
    }

    private static void answer(Message message, int status, String text) {
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
        message.setBody(text);
    }

    private static String presented(String authorization, boolean basicToo) {
        if (authorization == null) {
            return null;
        }
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        if (basicToo && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String pair = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                return colon < 0 ? null : pair.substring(colon + 1);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }
}
