package io.defenderalertroutes.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.IClientCredential;
import com.microsoft.aad.msal4j.MsalServiceException;
import io.defenderalertroutes.testsupport.Certificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import static io.defenderalertroutes.emulator.EmulatorHttp.CLIENT_ID;
import static io.defenderalertroutes.emulator.EmulatorHttp.CLIENT_SECRET;
import static io.defenderalertroutes.emulator.EmulatorHttp.TENANT;
import static io.defenderalertroutes.emulator.EmulatorHttp.form;
import static io.defenderalertroutes.emulator.EmulatorHttp.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Client assertions at the emulator's token endpoint: certificate credentials and workload identity federation,
 * the happy paths through the real msal4j, the refusals with hand-made JWTs, each answered as Entra ID does.
 */
class ClientAssertionTest extends EmulatorTest {

    private static final String CERT_APP = "c3e1f2a4-5b6c-4d7e-8f90-a1b2c3d4e5f6";
    private static final String WORKLOAD_APP = "d4f2a3b5-6c7d-4e8f-9a01-b2c3d4e5f6a7";
    private static final String SERVICE_ACCOUNT = "system:serviceaccount:alerts:defender-alert-routes";
    private static final ClientCredentialParameters MDE =
            ClientCredentialParameters.builder(Set.of(DefenderEmulator.MDE_SCOPE)).build();

    @TempDir
    static Path keys;
    private static Certificates.Issued registered;
    private static Certificates.Issued stranger;
    private static Certificates.Issued expired;

    @BeforeAll
    static void makeCertificates() {
        registered = Certificates.create(keys, "defender-alert-routes", 30, 0);
        stranger = Certificates.create(keys, "someone-else", 30, 0);
        expired = Certificates.create(keys, "expired", 5, 10);
    }

    private String tokenEndpoint() {
        return emulator.authorityUrl() + "/" + TENANT + "/oauth2/v2.0/token";
    }

    // --- certificate credentials --------------------------------------------------------------------------

    @Test
    void msal4jSignsInWithACertificateOfAnAppWithoutSecret() throws Exception {
        emulator.registerCertificate(TENANT, CERT_APP, stranger.certificate());
        emulator.registerCertificate(TENANT, CERT_APP, registered.certificate());

        IAuthenticationResult result = msal(CERT_APP, ClientCredentialFactory.createFromCertificate(
                registered.privateKey(), registered.certificate())).acquireToken(MDE).get();

        assertEquals(1, emulator.assertionsAccepted(TENANT));
        assertEquals(200, http.alerts(result.accessToken(), "").statusCode());
    }

    /**
     * The product declares localhost and localhost:PORT aliases (see MsalTokenCacheTest) so that msal4j's cache
     * works; msal4j then still signs for, and posts to, the token endpoint with the port, which the emulator
     * accepts as the audience. A second acquisition comes from the cache.
     */
    @Test
    void msal4jWithTheProductsAliasesSignsInOnceAndCaches() throws Exception {
        emulator.registerCertificate(TENANT, CERT_APP, registered.certificate());
        ConfidentialClientApplication app = ConfidentialClientApplication.builder(CERT_APP,
                        ClientCredentialFactory.createFromCertificate(registered.privateKey(), registered.certificate()))
                .authority(emulator.authorityUrl() + "/" + TENANT + "/")
                .instanceDiscovery(false)
                .aadInstanceDiscoveryResponse(MsalTokenCacheTest.aliasesOfLocalhost(emulator.port()))
                .sslSocketFactory(EmulatorHttp.trustingEmulatorFile().getSocketFactory())
                .build();

        app.acquireToken(MDE).get();
        app.acquireToken(MDE).get();

        assertEquals(1, emulator.assertionsAccepted(TENANT));
        assertEquals(1, emulator.tokenRequests(TENANT));
    }

    @Test
    void aSecretStillWorksBesideACertificate() {
        emulator.registerCertificate(TENANT, CLIENT_ID, registered.certificate());

        assertEquals(200, http.postToken(TENANT, EmulatorHttp.clientCredentials(CLIENT_ID, CLIENT_SECRET)).statusCode());
        assertEquals(0, emulator.assertionsAccepted(TENANT));
    }

    @Test
    void acceptsPs256AndASha1Thumbprint() {
        emulator.registerCertificate(TENANT, CERT_APP, registered.certificate());
        AssertionJwts jwt = AssertionJwts.certificate(registered.certificate(), CERT_APP, tokenEndpoint()).alg("PS256");
        jwt.header.remove("x5t#S256");
        jwt.header.put("x5t", AssertionJwts.thumbprint(registered.certificate(), "SHA-1"));

        HttpResponse<String> response = post(CERT_APP, jwt.sign(registered.privateKey()));

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(1, emulator.assertionsAccepted(TENANT));
    }

    @Test
    void anUnregisteredCertificateIsAadsts700027() {
        emulator.registerCertificate(TENANT, CERT_APP, registered.certificate());

        HttpResponse<String> response = post(CERT_APP,
                AssertionJwts.certificate(stranger.certificate(), CERT_APP, tokenEndpoint()).sign(stranger.privateKey()));

        assertRefused(response, 401, "invalid_client", 700027, "Client assertion contains an invalid signature. "
                + "[Reason - The key was not found.");
        assertEquals(0, emulator.assertionsAccepted(TENANT));
    }

    @Test
    void msal4jWithAnUnregisteredCertificateSurfacesAadsts700027() throws Exception {
        emulator.registerCertificate(TENANT, CERT_APP, registered.certificate());
        ConfidentialClientApplication app = msal(CERT_APP, ClientCredentialFactory.createFromCertificate(
                stranger.privateKey(), stranger.certificate()));

        ExecutionException failure = assertThrows(ExecutionException.class, () -> app.acquireToken(MDE).get());

        MsalServiceException cause = (MsalServiceException) failure.getCause();
        assertEquals("invalid_client", cause.errorCode());
        assertTrue(cause.getMessage().startsWith("AADSTS700027: "), cause.getMessage());
    }

    @Test
    void aSignatureByAnotherKeyIsAadsts700027() {
        emulator.registerCertificate(TENANT, CERT_APP, registered.certificate());

        HttpResponse<String> response = post(CERT_APP,
                AssertionJwts.certificate(registered.certificate(), CERT_APP, tokenEndpoint()).sign(stranger.privateKey()));

        assertRefused(response, 401, "invalid_client", 700027, "Client assertion contains an invalid signature. "
                + "[Reason - Key was found, but use of the key to verify the signature failed.");
    }

    @Test
    void anExpiredCertificateIsAadsts700027() {
        emulator.registerCertificate(TENANT, CERT_APP, expired.certificate());

        HttpResponse<String> response = post(CERT_APP,
                AssertionJwts.certificate(expired.certificate(), CERT_APP, tokenEndpoint()).sign(expired.privateKey()));

        assertRefused(response, 401, "invalid_client", 700027, "Client assertion contains an invalid signature. "
                + "[Reason - The key used is expired.");
    }

    @Test
    void anExpiredAssertionIsAadsts700024ButClockSkewIsTolerated() {
        emulator.registerCertificate(TENANT, CERT_APP, registered.certificate());
        Instant now = Instant.now();

        HttpResponse<String> expiredLongAgo = post(CERT_APP, AssertionJwts.certificate(registered.certificate(),
                CERT_APP, tokenEndpoint()).time("nbf", now.minusSeconds(1200)).time("exp", now.minusSeconds(600))
                .sign(registered.privateKey()));
        HttpResponse<String> notYetValid = post(CERT_APP, AssertionJwts.certificate(registered.certificate(),
                CERT_APP, tokenEndpoint()).time("nbf", now.plusSeconds(600)).time("exp", now.plusSeconds(1200))
                .sign(registered.privateKey()));
        HttpResponse<String> expiredWithinSkew = post(CERT_APP, AssertionJwts.certificate(registered.certificate(),
                CERT_APP, tokenEndpoint()).time("nbf", now.minusSeconds(600)).time("exp", now.minusSeconds(120))
                .sign(registered.privateKey()));

        assertRefused(expiredLongAgo, 401, "invalid_client", 700024,
                "Client assertion is not within its valid time range. Current time: ");
        assertRefused(notYetValid, 401, "invalid_client", 700024,
                "Client assertion is not within its valid time range.");
        assertEquals(200, expiredWithinSkew.statusCode(), expiredWithinSkew.body());
    }

    @Test
    void aWrongAudienceIsAadsts700023() {
        emulator.registerCertificate(TENANT, CERT_APP, registered.certificate());

        HttpResponse<String> otherTenant = post(CERT_APP, AssertionJwts.certificate(registered.certificate(), CERT_APP,
                emulator.authorityUrl() + "/another-tenant/oauth2/v2.0/token").sign(registered.privateKey()));
        HttpResponse<String> realEntra = post(CERT_APP, AssertionJwts.certificate(registered.certificate(), CERT_APP,
                "https://login.microsoftonline.com/" + TENANT + "/oauth2/v2.0/token").sign(registered.privateKey()));

        assertRefused(otherTenant, 401, "invalid_client", 700023,
                "Client assertion audience claim does not match Realm issuer.");
        assertRefused(realEntra, 401, "invalid_client", 700023,
                "Client assertion audience claim does not match Realm issuer.");
    }

    @Test
    void anIssuerOtherThanTheClientIsAadsts700021AndASubjectOtherThanTheIssuer50048() {
        emulator.registerCertificate(TENANT, CERT_APP, registered.certificate());

        HttpResponse<String> wrongIssuer = post(CERT_APP, AssertionJwts.certificate(registered.certificate(), CERT_APP,
                tokenEndpoint()).claim("iss", CLIENT_ID).sign(registered.privateKey()));
        HttpResponse<String> wrongSubject = post(CERT_APP, AssertionJwts.certificate(registered.certificate(), CERT_APP,
                tokenEndpoint()).claim("sub", CLIENT_ID).sign(registered.privateKey()));

        assertRefused(wrongIssuer, 401, "invalid_client", 700021,
                "Client assertion application identifier doesn't match 'client_id' parameter.");
        assertRefused(wrongSubject, 401, "invalid_client", 50048,
                "Subject must match the issuer claim in the client assertion.");
    }

    @Test
    void aReplayedJtiIsRefused() {
        emulator.registerCertificate(TENANT, CERT_APP, registered.certificate());
        String assertion = AssertionJwts.certificate(registered.certificate(), CERT_APP, tokenEndpoint())
                .sign(registered.privateKey());

        HttpResponse<String> first = post(CERT_APP, assertion);
        HttpResponse<String> replay = post(CERT_APP, assertion);

        assertEquals(200, first.statusCode(), first.body());
        assertRefused(replay, 400, "invalid_request", 50027, "Invalid JWT token. The token identifier (jti)");
        assertEquals(1, emulator.assertionsAccepted(TENANT));
    }

    @Test
    void malformedAssertionsAndUnsupportedAlgorithmsAreRefused() {
        emulator.registerCertificate(TENANT, CERT_APP, registered.certificate());

        HttpResponse<String> garbage = post(CERT_APP, "not.a-jwt");
        HttpResponse<String> hmac = post(CERT_APP, AssertionJwts.certificate(registered.certificate(), CERT_APP,
                tokenEndpoint()).alg("HS256").sign(registered.privateKey()));
        AssertionJwts anonymous = AssertionJwts.certificate(registered.certificate(), CERT_APP, tokenEndpoint());
        anonymous.header.remove("x5t#S256");
        HttpResponse<String> noThumbprint = post(CERT_APP, anonymous.sign(registered.privateKey()));

        assertRefused(garbage, 400, "invalid_request", 50027, "JWT token is invalid or malformed.");
        assertRefused(hmac, 400, "invalid_request", 5002730, "Invalid JWT token.");
        assertRefused(noThumbprint, 400, "invalid_request", 50027,
                "Invalid JWT token. No certificate thumbprint specified in token header.");
    }

    @Test
    void aSecretAndAnAssertionTogetherOrAnotherAssertionTypeAreRefused() {
        emulator.registerCertificate(TENANT, CLIENT_ID, registered.certificate());
        String assertion = AssertionJwts.certificate(registered.certificate(), CLIENT_ID, tokenEndpoint())
                .sign(registered.privateKey());

        HttpResponse<String> both = http.postToken(TENANT, form("grant_type", "client_credentials",
                "client_id", CLIENT_ID, "client_secret", CLIENT_SECRET, "scope", DefenderEmulator.MDE_SCOPE,
                "client_assertion_type", ClientAssertions.JWT_BEARER, "client_assertion", assertion));
        HttpResponse<String> saml = http.postToken(TENANT, form("grant_type", "client_credentials",
                "client_id", CLIENT_ID, "scope", DefenderEmulator.MDE_SCOPE,
                "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:saml2-bearer",
                "client_assertion", assertion));

        assertRefused(both, 400, "invalid_request", 90023, "The authentication service request is not valid");
        assertRefused(saml, 400, "invalid_request", 90011, "Unexpected client assertion type.");
    }

    // --- federated credentials ----------------------------------------------------------------------------

    @Test
    void msal4jSignsInWithAFederatedToken() throws Exception {
        FederatedIssuer cluster = new FederatedIssuer();
        emulator.registerFederatedCredential(TENANT, WORKLOAD_APP, cluster.issuer(), SERVICE_ACCOUNT,
                cluster.publicKey());

        IAuthenticationResult result = msal(WORKLOAD_APP, ClientCredentialFactory.createFromCallback(
                () -> cluster.mint(SERVICE_ACCOUNT, Duration.ofMinutes(10)))).acquireToken(MDE).get();

        assertEquals(1, emulator.assertionsAccepted(TENANT));
        assertEquals(200, http.alerts(result.accessToken(), "").statusCode());
    }

    @Test
    void aFederatedAudienceMayComeAsAnArray() throws Exception {
        // an issuer of the test's own, since FederatedIssuer mints one audience only
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair issuerKeys = generator.generateKeyPair();
        String issuer = "https://oidc.emulator.test/array-audience";
        emulator.registerFederatedCredential(TENANT, WORKLOAD_APP, issuer, SERVICE_ACCOUNT, issuerKeys.getPublic());
        AssertionJwts token = new AssertionJwts().claim("iss", issuer).claim("sub", SERVICE_ACCOUNT)
                .time("exp", Instant.now().plusSeconds(300));
        token.header.put("kid", "k1");
        token.claims.putArray("aud").add("https://kubernetes.default.svc").add(ClientAssertions.TOKEN_EXCHANGE_AUDIENCE);

        HttpResponse<String> response = post(WORKLOAD_APP, token.sign(issuerKeys.getPrivate()));

        assertEquals(200, response.statusCode(), response.body());
    }

    @Test
    void anUnknownIssuerIsAadsts700211() {
        FederatedIssuer cluster = new FederatedIssuer();
        FederatedIssuer other = new FederatedIssuer();
        emulator.registerFederatedCredential(TENANT, WORKLOAD_APP, cluster.issuer(), SERVICE_ACCOUNT,
                cluster.publicKey());

        HttpResponse<String> response = post(WORKLOAD_APP, other.mint(SERVICE_ACCOUNT, Duration.ofMinutes(5)));

        assertRefused(response, 401, "invalid_client", 700211, "No matching federated identity record found for "
                + "presented assertion issuer '" + other.issuer() + "'.");
    }

    @Test
    void anotherSubjectIsAadsts700213() {
        FederatedIssuer cluster = new FederatedIssuer();
        emulator.registerFederatedCredential(TENANT, WORKLOAD_APP, cluster.issuer(), SERVICE_ACCOUNT,
                cluster.publicKey());

        HttpResponse<String> response = post(WORKLOAD_APP,
                cluster.mint("system:serviceaccount:default:default", Duration.ofMinutes(5)));
        HttpResponse<String> otherCase = post(WORKLOAD_APP,
                cluster.mint(SERVICE_ACCOUNT.toUpperCase(), Duration.ofMinutes(5)));

        assertRefused(response, 401, "invalid_client", 700213, "No matching federated identity record found for "
                + "presented assertion subject 'system:serviceaccount:default:default'.");
        assertRefused(otherCase, 401, "invalid_client", 7002138,
                "No matching federated identity record found for presented assertion subject");
    }

    @Test
    void anotherAudienceIsAadsts700212() {
        FederatedIssuer cluster = new FederatedIssuer();
        emulator.registerFederatedCredential(TENANT, WORKLOAD_APP, cluster.issuer(), SERVICE_ACCOUNT,
                cluster.publicKey());
        Instant now = Instant.now();

        HttpResponse<String> response = post(WORKLOAD_APP, cluster.mint(SERVICE_ACCOUNT,
                "https://kubernetes.default.svc", now, now.plusSeconds(300)));

        assertRefused(response, 401, "invalid_client", 700212, "No matching federated identity record found for "
                + "presented assertion audience 'https://kubernetes.default.svc'.");
    }

    @Test
    void anExpiredFederatedTokenIsAadsts700024() {
        FederatedIssuer cluster = new FederatedIssuer();
        emulator.registerFederatedCredential(TENANT, WORKLOAD_APP, cluster.issuer(), SERVICE_ACCOUNT,
                cluster.publicKey());
        Instant now = Instant.now();

        HttpResponse<String> response = post(WORKLOAD_APP, cluster.mint(SERVICE_ACCOUNT,
                ClientAssertions.TOKEN_EXCHANGE_AUDIENCE, now.minusSeconds(3600), now.minusSeconds(1800)));

        assertRefused(response, 401, "invalid_client", 700024,
                "Client assertion is not within its valid time range.");
    }

    @Test
    void aFederatedTokenSignedByAnotherKeyIsAadsts700027() {
        FederatedIssuer cluster = new FederatedIssuer();
        FederatedIssuer impostor = new FederatedIssuer(cluster.issuer());
        emulator.registerFederatedCredential(TENANT, WORKLOAD_APP, cluster.issuer(), SERVICE_ACCOUNT,
                cluster.publicKey());

        HttpResponse<String> response = post(WORKLOAD_APP, impostor.mint(SERVICE_ACCOUNT, Duration.ofMinutes(5)));

        assertRefused(response, 401, "invalid_client", 700027, "Client assertion contains an invalid signature.");
        assertEquals(0, emulator.assertionsAccepted(TENANT));
    }

    // --- helpers --------------------------------------------------------------------------------------------

    private ConfidentialClientApplication msal(String clientId, IClientCredential credential) throws Exception {
        return ConfidentialClientApplication.builder(clientId, credential)
                .authority(emulator.authorityUrl() + "/" + TENANT + "/")
                .instanceDiscovery(false)
                .sslSocketFactory(EmulatorHttp.trustingEmulatorFile().getSocketFactory())
                .build();
    }

    private HttpResponse<String> post(String clientId, String assertion) {
        return http.postToken(TENANT, form("grant_type", "client_credentials", "client_id", clientId,
                "scope", DefenderEmulator.MDE_SCOPE, "client_assertion_type", ClientAssertions.JWT_BEARER,
                "client_assertion", assertion));
    }

    private static void assertRefused(HttpResponse<String> response, int status, String error, long code,
                                      String descriptionStart) {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode body = json(response);
        assertEquals(error, body.get("error").asText(), response.body());
        assertEquals(code, body.get("error_codes").get(0).asLong(), response.body());
        String description = body.get("error_description").asText();
        assertTrue(description.startsWith("AADSTS" + code + ": " + descriptionStart), description);
    }
}
