package io.defenderalertroutes.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * An outside OIDC issuer for workload identity tests, such as a Kubernetes cluster's service account issuer: it
 * holds its own RSA key and mints tokens that the emulator accepts as client assertions once
 * {@link DefenderEmulator#registerFederatedCredential} names its issuer, a subject and its public key.
 */
public final class FederatedIssuer {

    private final String issuer;
    private final String keyId;
    private final KeyPair keys;

    /** A fresh issuer, {@code https://oidc.emulator.test/} plus a short random id, so tests never share one. */
    public FederatedIssuer() {
        this("https://oidc.emulator.test/" + UUID.randomUUID().toString().substring(0, 8));
    }

    public FederatedIssuer(String issuer) {
        this.issuer = issuer;
        this.keyId = UUID.randomUUID().toString().substring(0, 12);
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            this.keys = generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK offers no RSA", e);
        }
    }

    public String issuer() {
        return issuer;
    }

    public PublicKey publicKey() {
        return keys.getPublic();
    }

    /** A token for the subject, audience {@code api://AzureADTokenExchange}, valid from now for the lifetime. */
    public String mint(String subject, Duration lifetime) {
        Instant now = Instant.now();
        return mint(subject, ClientAssertions.TOKEN_EXCHANGE_AUDIENCE, now, now.plus(lifetime));
    }

    /** Any audience and validity window, for tests of what the token endpoint refuses. */
    public String mint(String subject, String audience, Instant notBefore, Instant expires) {
        ObjectNode header = Jwt.newObject();
        header.put("kid", keyId);
        ObjectNode claims = Jwt.newObject();
        claims.put("iss", issuer);
        claims.put("sub", subject);
        claims.put("aud", audience);
        claims.put("iat", notBefore.getEpochSecond());
        claims.put("nbf", notBefore.getEpochSecond());
        claims.put("exp", expires.getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        return Jwt.sign(header, claims, keys.getPrivate());
    }
}
