package io.defenderalertroutes.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Hand-made client assertions for the cases a real client never sends. Signed with the JDK here rather than
 * with the emulator's own JWT code, so that a mistake there cannot hide behind the same mistake here (and no
 * JOSE library is on the test class path: msal4j 1.26 brings none).
 */
final class AssertionJwts {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    final ObjectNode header = MAPPER.createObjectNode();
    final ObjectNode claims = MAPPER.createObjectNode();
    private String alg = "RS256";

    /** A certificate assertion as msal4j makes it: x5t#S256, iss = sub = client id, ten minutes from now. */
    static AssertionJwts certificate(X509Certificate certificate, String clientId, String audience) {
        AssertionJwts jwt = new AssertionJwts();
        jwt.header.put("x5t#S256", thumbprint(certificate, "SHA-256"));
        Instant now = Instant.now();
        jwt.claims.put("iss", clientId);
        jwt.claims.put("sub", clientId);
        jwt.claims.put("aud", audience);
        jwt.claims.put("jti", UUID.randomUUID().toString());
        jwt.claims.put("nbf", now.getEpochSecond());
        jwt.claims.put("exp", now.plusSeconds(600).getEpochSecond());
        return jwt;
    }

    static String thumbprint(X509Certificate certificate, String digest) {
        try {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(MessageDigest.getInstance(digest).digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    AssertionJwts alg(String alg) {
        this.alg = alg;
        return this;
    }

    AssertionJwts claim(String name, String value) {
        claims.put(name, value);
        return this;
    }

    AssertionJwts time(String name, Instant value) {
        claims.put(name, value.getEpochSecond());
        return this;
    }

    String sign(PrivateKey key) {
        header.put("alg", alg);
        header.put("typ", "JWT");
        String input = encode(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + encode(claims.toString().getBytes(StandardCharsets.UTF_8));
        try {
            Signature signer;
            if (alg.equals("PS256")) {
                signer = Signature.getInstance("RSASSA-PSS");
                signer.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
            } else {
                signer = Signature.getInstance("SHA256withRSA");
            }
            signer.initSign(key);
            signer.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + encode(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
