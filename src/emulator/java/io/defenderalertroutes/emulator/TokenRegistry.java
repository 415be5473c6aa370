package io.defenderalertroutes.emulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The directory side of Entra ID: which tenants and app registrations exist with which credentials (a secret,
 * certificates, federated identity credentials), and which tokens were handed out.
 */
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
    /** A federated identity credential: whose tokens (issuer and subject) the app accepts, checked with that key. */
    record FederatedCredential(String issuer, String subject, PublicKey issuerKey) {
    }

    /**
     * One app registration. An app made by {@link #registerCertificate} or {@link #registerFederatedCredential}
     * alone has no secret, as in Entra, where every credential kind is optional.
     */
    static final class App {
        private volatile String secret;
        private final List<X509Certificate> certificates = new CopyOnWriteArrayList<>();
        private final List<FederatedCredential> federated = new CopyOnWriteArrayList<>();

        List<X509Certificate> certificates() {
            return certificates;
        }

        List<FederatedCredential> federatedCredentials() {
            return federated;
        }
    }

    private final Map<String, Map<String, App>> appsByTenant = new ConcurrentHashMap<>();
    private final Map<String, IssuedToken> tokens = new ConcurrentHashMap<>();
    // jti values of accepted assertions, kept until the assertion could no longer be accepted anyway
    private final Map<String, Instant> usedAssertionIds = new ConcurrentHashMap<>();
    private volatile Duration lifetime = DEFAULT_LIFETIME;

    /** Creates the app when needed and sets (or replaces) its secret; its other credentials stay. */
    void registerClient(String tenantId, String clientId, String clientSecret) {
        app(tenantId, clientId).secret = clientSecret;
    }

    void removeCertificate(String tenantId, String clientId, X509Certificate certificate) {
        app(tenantId, clientId).certificates.remove(certificate);
    }

    void registerCertificate(String tenantId, String clientId, X509Certificate certificate) {
        app(tenantId, clientId).certificates.add(certificate);
    }

    void registerFederatedCredential(String tenantId, String clientId, FederatedCredential credential) {
        app(tenantId, clientId).federated.add(credential);
    }

    private App app(String tenantId, String clientId) {
        return appsByTenant.computeIfAbsent(tenantId, t -> new ConcurrentHashMap<>())
                .computeIfAbsent(clientId, c -> new App());
    }

    Optional<App> existingApp(String tenantId, String clientId) {
        return Optional.ofNullable(appsByTenant.getOrDefault(tenantId, Map.of()).get(clientId));
    }

    boolean knowsTenant(String tenantId) {
        return appsByTenant.containsKey(tenantId);
    }

    boolean knowsClient(String tenantId, String clientId) {
        return appsByTenant.getOrDefault(tenantId, Map.of()).containsKey(clientId);
    }

    boolean secretMatches(String tenantId, String clientId, String presented) {
        String expected = existingApp(tenantId, clientId).map(app -> app.secret).orElse(null);
        return expected != null && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Records an assertion id as spent until {@code keepUntil}; false when it was already spent and is still
     * remembered. Ids are scoped per tenant and app, as two apps' clients cannot collide on purpose.
     */
    boolean spendAssertionId(String tenantId, String clientId, String jti, Instant keepUntil, Instant now) {
        usedAssertionIds.values().removeIf(until -> until.isBefore(now));
        String key = tenantId + "\n" + clientId + "\n" + jti;
        return usedAssertionIds.putIfAbsent(key, keepUntil) == null;
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
