package io.defenderalertroutes.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A compact JWS, read and signed with the JDK and Jackson only: the emulator jar runs with nothing but Jackson
 * and slf4j beside it, so it cannot lean on the JOSE library that msal4j brings to the tests.
 */
record Jwt(ObjectNode header, ObjectNode claims, byte[] signingInput, byte[] signature) {

    static final String RS256 = "RS256";
    static final String PS256 = "PS256";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** @throws IllegalArgumentException unless the text is three base64url parts, the first two JSON objects */
    static Jwt parse(String compact) {
        String[] parts = compact.split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
            throw new IllegalArgumentException("not three dot-separated parts");
        }
        ObjectNode header = object(parts[0]);
        ObjectNode claims = object(parts[1]);
        byte[] signature = base64Url(parts[2]);
        byte[] signingInput = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        return new Jwt(header, claims, signingInput, signature);
    }

    private static ObjectNode object(String part) {
        try {
            JsonNode node = MAPPER.readTree(base64Url(part));
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("a JWT part is not a JSON object");
            }
            return (ObjectNode) node;
        } catch (IOException e) {
            throw new IllegalArgumentException("a JWT part is not JSON", e);
        }
    }

    /** Lenient about padding and the standard alphabet, which some clients put in thumbprints. */
    static byte[] base64Url(String text) {
        String normalized = text.trim().replace('+', '-').replace('/', '_');
        int end = normalized.length();
        while (end > 0 && normalized.charAt(end - 1) == '=') {
            end--;
        }
        return Base64.getUrlDecoder().decode(normalized.substring(0, end));
    }

    static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    String alg() {
        return text(header, "alg").orElse("");
    }

    Optional<String> headerText(String name) {
        return text(header, name);
    }

    Optional<String> claim(String name) {
        return text(claims, name);
    }

    /** {@code aud} as a list whether it came as one string or an array (RFC 7519 allows both). */
    List<String> audiences() {
        JsonNode aud = claims.get("aud");
        List<String> audiences = new ArrayList<>();
        if (aud != null && aud.isTextual()) {
            audiences.add(aud.asText());
        } else if (aud != null && aud.isArray()) {
            aud.forEach(value -> audiences.add(value.asText()));
        }
        return audiences;
    }

    /** A NumericDate claim; seconds may carry a fraction. */
    Optional<Instant> time(String name) {
        JsonNode value = claims.get(name);
        if (value == null || !value.isNumber()) {
            return Optional.empty();
        }
        double seconds = value.asDouble();
        return Optional.of(Instant.ofEpochSecond((long) Math.floor(seconds),
                (long) ((seconds - Math.floor(seconds)) * 1_000_000_000L)));
    }

    boolean verifiedBy(PublicKey key) {
        try {
            Signature verifier = signature(alg());
            verifier.initVerify(key);
            if (PS256.equals(alg())) {
                verifier.setParameter(pss());
            }
            verifier.update(signingInput);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Signs with RS256; the header gets {@code alg} and {@code typ} added. */
    static String sign(ObjectNode header, ObjectNode claims, PrivateKey key) {
        header.put("alg", RS256);
        header.put("typ", "JWT");
        String input = base64Url(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url(claims.toString().getBytes(StandardCharsets.UTF_8));
        try {
            Signature signer = signature(RS256);
            signer.initSign(key);
            signer.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + base64Url(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot sign a JWT with this key", e);
        }
    }

    static ObjectNode newObject() {
        return MAPPER.createObjectNode();
    }

    private static Signature signature(String alg) throws GeneralSecurityException {
        return switch (alg) {
            case RS256 -> Signature.getInstance("SHA256withRSA");
            case PS256 -> Signature.getInstance("RSASSA-PSS");
            default -> throw new GeneralSecurityException("unsupported alg " + alg);
        };
    }

    private static PSSParameterSpec pss() {
        // RFC 7518 3.5: SHA-256 for both the hash and MGF1, salt as long as the hash
        return new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1);
    }

    private static Optional<String> text(ObjectNode node, String name) {
        JsonNode value = node.get(name);
        return value != null && value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }
}
