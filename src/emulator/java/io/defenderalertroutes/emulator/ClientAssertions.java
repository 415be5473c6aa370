package io.defenderalertroutes.emulator;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Entra ID's checks of a {@code client_assertion}: a JWT the app signed with a registered certificate's key
 * (certificate credential), or one an outside OIDC issuer signed for a workload (federated identity credential).
 * Failures carry the AADSTS codes and texts Entra answers with, which clients log and runbooks search for.
 *
 * <p>Which kind an assertion is follows from its issuer: the app's own id means a certificate assertion; an
 * issuer named by one of the app's federated credentials means a federated one. Anything else is judged as a
 * certificate assertion when it names a certificate in its header (so a wrong {@code iss} gets 700021, as from
 * Entra), and as a federated one otherwise (so an unknown issuer gets 700211).
 */
final class ClientAssertions {

    static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    /** The audience Entra's federated identity credentials expect unless configured otherwise. */
    static final String TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";
    /** Entra tolerates this much clock difference on nbf and exp. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private static final Set<String> ALGORITHMS = Set.of(Jwt.RS256, Jwt.PS256);
    private static final String CERTIFICATE_DOCS = "Review the documentation at "
            + "https://learn.microsoft.com/entra/identity-platform/certificate-credentials .";
    private static final String FEDERATION_DOCS = "https://learn.microsoft.com/entra/workload-id/workload-identity-federation";
    // Entra prints times with seven fractional digits and key validity in US format
    private static final DateTimeFormatter ENTRA_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter KEY_DATE =
            DateTimeFormatter.ofPattern("MM/dd/uuuu HH:mm:ss").withZone(ZoneOffset.UTC);

    /** Why an assertion was refused, in the terms of Entra's error body. */
    record Failure(int status, String error, long code, String description) {
        static Failure invalidClient(long code, String description) {
            // Entra refuses bad client credentials with 401, as the secret path here already does
            return new Failure(401, "invalid_client", code, description);
        }

        static Failure invalidRequest(long code, String description) {
            return new Failure(400, "invalid_request", code, description);
        }
    }

    private final TokenRegistry registry;

    ClientAssertions(TokenRegistry registry) {
        this.registry = registry;
    }

    /**
     * @param tokenEndpoints the URLs by which this token endpoint was reached: any is a valid certificate
     *                       assertion audience
     * @return empty when the assertion authenticates the app; the jti is then spent
     */
    Optional<Failure> verify(String tenantId, String clientId, String assertion, List<String> tokenEndpoints,
                             Instant now) {
        Jwt jwt;
        try {
            jwt = Jwt.parse(assertion);
        } catch (IllegalArgumentException e) {
            return Optional.of(Failure.invalidRequest(50027, "JWT token is invalid or malformed."));
        }
        if (!ALGORITHMS.contains(jwt.alg())) {
            // No documented code names an unsupported alg itself; 5002730 is the one Entra answers when the
            // signing algorithm does not fit the credential.
            return Optional.of(Failure.invalidRequest(5002730, "Invalid JWT token. Unsupported key for the signing "
                    + "algorithm."));
        }
        TokenRegistry.App app = registry.existingApp(tenantId, clientId).orElseThrow();
        String issuer = jwt.claim("iss").orElse("");
        boolean namesCertificate = thumbprintOf(jwt).isPresent();
        boolean federatedIssuer = app.federatedCredentials().stream().anyMatch(c -> c.issuer().equals(issuer));
        Optional<Failure> failure = clientId.equals(issuer) || (namesCertificate && !federatedIssuer)
                ? certificateAssertion(app, clientId, jwt, tokenEndpoints, now)
                : federatedAssertion(app, jwt, now);
        if (failure.isPresent()) {
            return failure;
        }
        return spend(tenantId, clientId, jwt, now);
    }

    private Optional<Failure> certificateAssertion(TokenRegistry.App app, String clientId, Jwt jwt,
                                                   List<String> tokenEndpoints, Instant now) {
        Optional<Thumbprint> thumbprint = thumbprintOf(jwt);
        if (thumbprint.isEmpty()) {
            return Optional.of(Failure.invalidRequest(50027,
                    "Invalid JWT token. No certificate thumbprint specified in token header."));
        }
        X509Certificate certificate = app.certificates().stream()
                .filter(c -> thumbprint.get().matches(c)).findFirst().orElse(null);
        String shown = thumbprint.get().hex();
        if (certificate == null) {
            return Optional.of(Failure.invalidClient(700027, "Client assertion contains an invalid signature. "
                    + "[Reason - The key was not found., Thumbprint of key used by client: '" + shown + "', "
                    + "Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured "
                    + "keys for app Id '" + clientId + "'.]"));
        }
        String found = "Found key 'Start=" + KEY_DATE.format(certificate.getNotBefore().toInstant()) + ", End="
                + KEY_DATE.format(certificate.getNotAfter().toInstant()) + "'";
        if (now.isAfter(certificate.getNotAfter().toInstant())) {
            return Optional.of(Failure.invalidClient(700027, "Client assertion contains an invalid signature. "
                    + "[Reason - The key used is expired., Thumbprint of key used by client: '" + shown + "', "
                    + found + "]"));
        }
        if (!jwt.verifiedBy(certificate.getPublicKey())) {
            return Optional.of(Failure.invalidClient(700027, "Client assertion contains an invalid signature. "
                    + "[Reason - Key was found, but use of the key to verify the signature failed., Thumbprint of "
                    + "key used by client: '" + shown + "', " + found + "]"));
        }
        String issuer = jwt.claim("iss").orElse("");
        if (!clientId.equals(issuer)) {
            return Optional.of(Failure.invalidClient(700021, "Client assertion application identifier doesn't "
                    + "match 'client_id' parameter. " + CERTIFICATE_DOCS));
        }
        if (!issuer.equals(jwt.claim("sub").orElse(""))) {
            return Optional.of(Failure.invalidClient(50048, "Subject must match the issuer claim in the client "
                    + "assertion."));
        }
        List<String> audiences = jwt.audiences();
        if (audiences.size() > 1) {
            return Optional.of(Failure.invalidClient(5002741, "Number of audience values in the provided client "
                    + "credential exceed maximum allowed. " + audiences.size() + " audience values provided, "
                    + "maximum allowed is 1."));
        }
        if (audiences.isEmpty() || !tokenEndpoints.contains(audiences.get(0))) {
            return Optional.of(Failure.invalidClient(700023, "Client assertion audience claim does not match Realm "
                    + "issuer. " + CERTIFICATE_DOCS));
        }
        return timeRange(jwt, now, CERTIFICATE_DOCS);
    }

    private Optional<Failure> federatedAssertion(TokenRegistry.App app, Jwt jwt, Instant now) {
        String issuer = jwt.claim("iss").orElse("");
        String subject = jwt.claim("sub").orElse("");
        List<TokenRegistry.FederatedCredential> byIssuer = app.federatedCredentials().stream()
                .filter(c -> c.issuer().equals(issuer)).toList();
        if (byIssuer.isEmpty()) {
            return Optional.of(Failure.invalidClient(700211, "No matching federated identity record found for "
                    + "presented assertion issuer '" + issuer + "'. Please check your federated identity credential "
                    + "Subject, Audience and Issuer against the presented assertion. " + FEDERATION_DOCS));
        }
        List<TokenRegistry.FederatedCredential> bySubject = byIssuer.stream()
                .filter(c -> c.subject().equals(subject)).toList();
        if (bySubject.isEmpty()) {
            // Entra has matched subjects case-sensitively since 2024 and says so when only the case differs
            if (byIssuer.stream().anyMatch(c -> c.subject().equalsIgnoreCase(subject))) {
                return Optional.of(Failure.invalidClient(7002138, "No matching federated identity record found for "
                        + "presented assertion subject '" + subject + "'. The subject matches with case-insensitive "
                        + "comparison, but not with case-sensitive comparison. Check your federated identity "
                        + "credential Subject, Audience and Issuer against the presented assertion. "
                        + "See documentation at: " + FEDERATION_DOCS));
            }
            return Optional.of(Failure.invalidClient(700213, "No matching federated identity record found for "
                    + "presented assertion subject '" + subject + "'. Check your federated identity credential "
                    + "Subject, Audience and Issuer against the presented assertion. " + FEDERATION_DOCS));
        }
        if (!jwt.audiences().contains(TOKEN_EXCHANGE_AUDIENCE)) {
            // The published 700212 reports quote only its code and start; the rest follows its 700211 sibling.
            return Optional.of(Failure.invalidClient(700212, "No matching federated identity record found for "
                    + "presented assertion audience '" + String.join(",", jwt.audiences()) + "'. Please check your "
                    + "federated identity credential Subject, Audience and Issuer against the presented assertion. "
                    + FEDERATION_DOCS));
        }
        Optional<Failure> time = timeRange(jwt, now, FEDERATION_DOCS);
        if (time.isPresent()) {
            return time;
        }
        if (bySubject.stream().noneMatch(c -> jwt.verifiedBy(c.issuerKey()))) {
            // Entra reports a federated token it cannot verify with the issuer's keys under the same code as a
            // certificate assertion's bad signature; there is no thumbprint, so the key id stands in for it.
            return Optional.of(Failure.invalidClient(700027, "Client assertion contains an invalid signature. "
                    + "[Reason - Key was found, but use of the key to verify the signature failed., Key id used by "
                    + "issuer '" + issuer + "': '" + jwt.headerText("kid").orElse("") + "']"));
        }
        return Optional.empty();
    }

    private static Optional<Failure> timeRange(Jwt jwt, Instant now, String docs) {
        Optional<Instant> expires = jwt.time("exp");
        Instant notBefore = jwt.time("nbf").orElse(Instant.EPOCH);
        if (expires.isEmpty()) {
            return Optional.of(Failure.invalidRequest(50027, "JWT token is invalid or malformed."));
        }
        if (now.isAfter(expires.get().plus(CLOCK_SKEW)) || now.isBefore(notBefore.minus(CLOCK_SKEW))) {
            return Optional.of(Failure.invalidClient(700024, "Client assertion is not within its valid time range. "
                    + "Current time: " + ENTRA_TIME.format(now) + ", assertion valid from "
                    + ENTRA_TIME.format(notBefore) + ", expiry time of assertion " + ENTRA_TIME.format(expires.get())
                    + ". " + docs));
        }
        return Optional.empty();
    }

    private Optional<Failure> spend(String tenantId, String clientId, Jwt jwt, Instant now) {
        Optional<String> jti = jwt.claim("jti");
        if (jti.isEmpty()) {
            return Optional.empty();
        }
        // Remembered as long as the assertion could pass the time check, skew included, so no replay slips in.
        Instant keepUntil = jwt.time("exp").orElse(now).plus(CLOCK_SKEW);
        if (registry.spendAssertionId(tenantId, clientId, jti.get(), keepUntil, now)) {
            return Optional.empty();
        }
        // Entra documents no code of its own for a replayed jti; 50027, its code for a JWT it will not accept
        // as presented, is the closest documented one.
        return Optional.of(Failure.invalidRequest(50027, "Invalid JWT token. The token identifier (jti) '"
                + jti.get() + "' has already been used."));
    }

    private static Optional<Thumbprint> thumbprintOf(Jwt jwt) {
        try {
            Optional<String> sha256 = jwt.headerText("x5t#S256");
            if (sha256.isPresent()) {
                return Optional.of(new Thumbprint("SHA-256", Jwt.base64Url(sha256.get())));
            }
            return jwt.headerText("x5t").map(sha1 -> new Thumbprint("SHA-1", Jwt.base64Url(sha1)));
        } catch (IllegalArgumentException e) {
            return Optional.of(new Thumbprint("SHA-1", new byte[0]));
        }
    }

    /** A certificate digest as the JWT header gives it ({@code x5t} or {@code x5t#S256}). */
    private record Thumbprint(String algorithm, byte[] digest) {
        boolean matches(X509Certificate certificate) {
            try {
                byte[] actual = MessageDigest.getInstance(algorithm).digest(certificate.getEncoded());
                return MessageDigest.isEqual(actual, digest);
            } catch (GeneralSecurityException e) {
                return false;
            }
        }

        String hex() {
            return HexFormat.of().withUpperCase().formatHex(digest);
        }
    }
}
