package io.defenderalertroutes.emulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The directory side of Entra ID: which tenants and client secrets exist, and which tokens were handed out. */
final class TokenRegistry {

    /** Which API a token was issued for: the resource of the {@code .default} scope it was asked with. */
    enum Audience {
        MDE("the Defender for Endpoint API"), GRAPH("Microsoft Graph"), XDR("the Defender XDR API");

        private final String apiName;

        Audience(String apiName) {
            this.apiName = apiName;
        }

        String apiName() {
            return apiName;
        }
    }

    record IssuedToken(String tenantId, String clientId, Instant expiresAt, Audience audience) {
    }

    static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(3599);

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Map<String, String>> secretsByTenant = new ConcurrentHashMap<>();
    private final Map<String, IssuedToken> tokens = new ConcurrentHashMap<>();
    private volatile Duration lifetime = DEFAULT_LIFETIME;

    void registerClient(String tenantId, String clientId, String clientSecret) {
        secretsByTenant.computeIfAbsent(tenantId, t -> new ConcurrentHashMap<>()).put(clientId, clientSecret);
    }

    boolean knowsTenant(String tenantId) {
        return secretsByTenant.containsKey(tenantId);
    }

    boolean knowsClient(String tenantId, String clientId) {
        return secretsByTenant.getOrDefault(tenantId, Map.of()).containsKey(clientId);
    }

    boolean secretMatches(String tenantId, String clientId, String presented) {
        String expected = secretsByTenant.getOrDefault(tenantId, Map.of()).get(clientId);
        return expected != null && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    void setLifetime(Duration lifetime) {
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("A token lifetime must be positive: " + lifetime);
        }
        this.lifetime = lifetime;
    }

    Duration lifetime() {
        return lifetime;
    }

    /** An opaque bearer token: clients must not read tokens, so nothing in it is meaningful. */
    String issue(String tenantId, String clientId, Instant now) {
        return issue(tenantId, clientId, now, Audience.MDE);
    }

    String issue(String tenantId, String clientId, Instant now, Audience audience) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        tokens.put(token, new IssuedToken(tenantId, clientId, now.plus(lifetime), audience));
        return token;
    }

    Optional<IssuedToken> valid(String token, Instant now) {
        IssuedToken issued = tokens.get(token);
        if (issued == null || !now.isBefore(issued.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(issued);
    }

    boolean isKnown(String token) {
        return tokens.containsKey(token);
    }

    void revoke(String tenantId) {
        tokens.values().removeIf(issued -> issued.tenantId().equals(tenantId));
    }
}
