package io.defenderalertroutes.emulator;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.TokenSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.MalformedURLException;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import static io.defenderalertroutes.emulator.EmulatorHttp.CLIENT_ID;
import static io.defenderalertroutes.emulator.EmulatorHttp.CLIENT_SECRET;
import static io.defenderalertroutes.emulator.EmulatorHttp.TENANT;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * msal4j 1.26.1 against the emulator. msal4j stores a token under the authority's host ({@code localhost}) and
 * looks it up under host and port ({@code localhost:PORT}), so with a port it never hits its cache unless told,
 * through an instance discovery answer, that both names are aliases of one cloud. {@code preferred_network} must
 * be the bare host: msal4j builds the token URL from it and a {@code host:port} there fails with
 * "MalformedURLException: Invalid host".
 */
class MsalTokenCacheTest {

    private static final ClientCredentialParameters MDE =
            ClientCredentialParameters.builder(Set.of(DefenderEmulator.MDE_SCOPE)).build();

    private DefenderEmulator emulator;

    @BeforeEach
    void start() {
        emulator = DefenderEmulator.start(0);
        emulator.registerClient(TENANT, CLIENT_ID, CLIENT_SECRET);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void withBothAliasesDeclaredTwoAcquisitionsCostOneTokenRequest() throws Exception {
        ConfidentialClientApplication app = builder()
                .aadInstanceDiscoveryResponse(aliasesOfLocalhost(emulator.port()))
                .build();

        IAuthenticationResult first = app.acquireToken(MDE).get();
        IAuthenticationResult second = app.acquireToken(MDE).get();

        assertEquals(1, emulator.tokenRequests(TENANT));
        assertEquals(first.accessToken(), second.accessToken());
        assertEquals(TokenSource.IDENTITY_PROVIDER, first.metadata().tokenSource());
        assertEquals(TokenSource.CACHE, second.metadata().tokenSource());
    }

    /** Documents the msal4j behaviour the workaround exists for; if this fails, msal4j fixed it. */
    @Test
    void withoutTheAliasesEveryAcquisitionFetchesAToken() throws Exception {
        // msal4j keeps instance metadata per host for the whole JVM; 127.0.0.1 (also in the certificate) keeps
        // this test clear of whatever another test declared for "localhost".
        try (DefenderEmulator own = DefenderEmulator.start(0)) {
            own.registerClient(TENANT, CLIENT_ID, CLIENT_SECRET);
            ConfidentialClientApplication app = ConfidentialClientApplication
                    .builder(CLIENT_ID, ClientCredentialFactory.createFromSecret(CLIENT_SECRET))
                    .authority("https://127.0.0.1:" + own.port() + "/" + TENANT + "/")
                    .instanceDiscovery(false)
                    .sslSocketFactory(EmulatorHttp.trustingEmulatorFile().getSocketFactory())
                    .build();

            app.acquireToken(MDE).get();
            app.acquireToken(MDE).get();

            assertEquals(2, own.tokenRequests(TENANT));
        }
    }

    @Test
    void aWrongSecretSurfacesEntrasErrorCode() throws MalformedURLException, InterruptedException {
        ConfidentialClientApplication app = ConfidentialClientApplication
                .builder(CLIENT_ID, ClientCredentialFactory.createFromSecret("wrong"))
                .authority(emulator.authorityUrl() + "/" + TENANT + "/")
                .instanceDiscovery(false)
                .sslSocketFactory(EmulatorHttp.trustingEmulatorFile().getSocketFactory())
                .build();

        try {
            app.acquireToken(MDE).get();
            throw new AssertionError("expected a failure");
        } catch (ExecutionException e) {
            com.microsoft.aad.msal4j.MsalServiceException cause =
                    (com.microsoft.aad.msal4j.MsalServiceException) e.getCause();
            assertEquals("invalid_client", cause.errorCode());
            assertEquals(401, cause.statusCode());
        }
    }

    private ConfidentialClientApplication.Builder builder() throws MalformedURLException {
        return ConfidentialClientApplication
                .builder(CLIENT_ID, ClientCredentialFactory.createFromSecret(CLIENT_SECRET))
                .authority(emulator.authorityUrl() + "/" + TENANT + "/")
                .instanceDiscovery(false)
                .sslSocketFactory(EmulatorHttp.trustingEmulatorFile().getSocketFactory());
    }

    /** The shape of Entra's own discovery answer, naming {@code localhost} and {@code localhost:PORT} as one. */
    static String aliasesOfLocalhost(int port) {
        String hostPort = "localhost:" + port;
        return "{\"tenant_discovery_endpoint\":\"https://" + hostPort + "/" + TENANT
                + "/v2.0/.well-known/openid-configuration\",\"api-version\":\"1.1\",\"metadata\":[{"
                + "\"preferred_network\":\"localhost\",\"preferred_cache\":\"localhost\","
                + "\"aliases\":[\"localhost\",\"" + hostPort + "\"]}]}";
    }
}
