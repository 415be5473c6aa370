package io.defenderalertroutes.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.ManagedIdentityApplication;
import com.microsoft.aad.msal4j.ManagedIdentityId;
import com.microsoft.aad.msal4j.ManagedIdentityParameters;
import com.microsoft.aad.msal4j.ManagedIdentitySourceType;
import com.microsoft.aad.msal4j.ManagedIdentityTestEnvironment;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.aad.msal4j.TokenSource;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.defenderalertroutes.emulator.EmulatorHttp.TENANT;
import static io.defenderalertroutes.emulator.EmulatorHttp.encode;
import static io.defenderalertroutes.emulator.EmulatorHttp.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The App Service managed identity endpoint: its HTTP contract, then msal4j's own {@code ManagedIdentityApplication}
 * against it, its environment given through {@link ManagedIdentityTestEnvironment}.
 */
class ManagedIdentityEndpointTest extends EmulatorTest {

    private static final String SYSTEM_ASSIGNED = "5b0c4f2e-0d6e-4a57-9a43-7c1e2d3f4a01";
    private static final String USER_ASSIGNED = "9e8d7c6b-5a49-4382-b1a0-f9e8d7c6b5a4";
    private static final String MDE_RESOURCE = "https://api.securitycenter.microsoft.com";
    private static final String GRAPH_RESOURCE = "https://graph.microsoft.com";

    // --- the HTTP contract ----------------------------------------------------------------------------------

    @Test
    void systemAssignedIdentityGetsATokenTheDefenderApiAccepts() {
        emulator.registerManagedIdentity(TENANT, SYSTEM_ASSIGNED);
        long before = Instant.now().getEpochSecond();

        HttpResponse<String> response = identityRequest(emulator.managedIdentityHeader(),
                "api-version=2019-08-01&resource=" + encode(MDE_RESOURCE));

        assertEquals(200, response.statusCode(), response.body());
        assertTrue(emulator.managedIdentityEndpoint().startsWith("http://127.0.0.1:"));
        JsonNode body = json(response);
        assertEquals("Bearer", body.get("token_type").asText());
        assertEquals(MDE_RESOURCE, body.get("resource").asText());
        assertEquals(SYSTEM_ASSIGNED, body.get("client_id").asText());
        assertTrue(body.get("expires_on").isTextual(), "App Service sends expires_on as a string");
        long expiresOn = Long.parseLong(body.get("expires_on").asText());
        assertTrue(expiresOn >= before + 3599 && expiresOn <= Instant.now().getEpochSecond() + 3599, response.body());
        assertEquals(1, emulator.managedIdentityTokens(TENANT));
        assertEquals(200, http.alerts(body.get("access_token").asText(), "").statusCode());
    }

    @Test
    void userAssignedIdentityIsChosenByClientIdAndItsTokenCarriesTheResourcesAudience() {
        emulator.registerManagedIdentity(TENANT, SYSTEM_ASSIGNED);
        emulator.registerManagedIdentity("other-tenant", USER_ASSIGNED);

        HttpResponse<String> response = identityRequest(emulator.managedIdentityHeader(),
                "api-version=2019-08-01&resource=" + encode(GRAPH_RESOURCE + "/") + "&client_id=" + USER_ASSIGNED);

        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = json(response);
        assertEquals(USER_ASSIGNED, body.get("client_id").asText());
        String token = body.get("access_token").asText();
        assertEquals(200, http.graphAlerts(token, "").statusCode());
        assertEquals(401, http.alerts(token, "").statusCode(), "a Graph token is not one for the MDE API");
        assertEquals(1, emulator.managedIdentityTokens("other-tenant"));
        assertEquals(0, emulator.managedIdentityTokens(TENANT));
    }

    @Test
    void wrongIdentityHeaderIs401AndAMissingOneIs400() {
        emulator.registerManagedIdentity(TENANT, SYSTEM_ASSIGNED);
        String query = "api-version=2019-08-01&resource=" + encode(MDE_RESOURCE);

        HttpResponse<String> wrong = identityRequest("not-the-header", query);
        HttpResponse<String> missing = identityRequest(null, query);

        assertEquals(401, wrong.statusCode());
        assertEquals(401, json(wrong).get("statusCode").asInt());
        assertTrue(json(wrong).get("message").asText().contains("X-IDENTITY-HEADER"));
        assertTrue(json(wrong).hasNonNull("correlationId"));
        assertEquals(400, missing.statusCode());
        assertTrue(json(missing).get("message").asText().contains("X-IDENTITY-HEADER"));
        assertEquals(0, emulator.managedIdentityTokens(TENANT));
    }

    @Test
    void unknownUserAssignedClientIdCannotBeLoaded() {
        emulator.registerManagedIdentity(TENANT, SYSTEM_ASSIGNED);

        HttpResponse<String> response = identityRequest(emulator.managedIdentityHeader(),
                "api-version=2019-08-01&resource=" + encode(MDE_RESOURCE) + "&client_id=" + USER_ASSIGNED);
        HttpResponse<String> byResourceId = identityRequest(emulator.managedIdentityHeader(),
                "api-version=2019-08-01&resource=" + encode(MDE_RESOURCE) + "&mi_res_id=" + encode("/subscriptions/x"));

        assertEquals(400, response.statusCode());
        assertEquals("Unable to load the proper Managed Identity.", json(response).get("message").asText());
        assertEquals(400, byResourceId.statusCode());
        assertEquals(0, emulator.managedIdentityTokens(TENANT));
    }

    @Test
    void withoutAnyIdentityASystemAssignedRequestIsRefused() {
        HttpResponse<String> response = identityRequest(emulator.managedIdentityHeader(),
                "api-version=2019-08-01&resource=" + encode(MDE_RESOURCE));

        assertEquals(400, response.statusCode());
        assertTrue(json(response).get("message").asText().contains("system-assigned"));
    }

    @Test
    void resourceMustBeOneOfTheEmulatedApisAndNotAScope() {
        emulator.registerManagedIdentity(TENANT, SYSTEM_ASSIGNED);

        for (String resource : new String[] {"https://management.azure.com", MDE_RESOURCE + "/.default", ""}) {
            HttpResponse<String> response = identityRequest(emulator.managedIdentityHeader(),
                    "api-version=2019-08-01&resource=" + encode(resource));

            assertEquals(400, response.statusCode(), resource);
        }
        for (String resource : new String[] {"https://api-gov.securitycenter.microsoft.us",
                "https://api.security.microsoft.com", "https://dod-graph.microsoft.us"}) {
            assertEquals(200, identityRequest(emulator.managedIdentityHeader(),
                    "api-version=2019-08-01&resource=" + encode(resource)).statusCode(), resource);
        }
        assertEquals(3, emulator.managedIdentityTokens(TENANT));
    }

    @Test
    void onlyApiVersion20190801IsServed() {
        emulator.registerManagedIdentity(TENANT, SYSTEM_ASSIGNED);

        HttpResponse<String> old = identityRequest(emulator.managedIdentityHeader(),
                "api-version=2017-09-01&resource=" + encode(MDE_RESOURCE));
        HttpResponse<String> none = identityRequest(emulator.managedIdentityHeader(), "resource=" + encode(MDE_RESOURCE));

        assertEquals(400, old.statusCode());
        assertEquals(400, none.statusCode());
    }

    @Test
    void revokingTheTenantsTokensCoversManagedIdentityTokens() {
        emulator.registerManagedIdentity(TENANT, SYSTEM_ASSIGNED);
        String token = json(identityRequest(emulator.managedIdentityHeader(),
                "api-version=2019-08-01&resource=" + encode(MDE_RESOURCE))).get("access_token").asText();

        emulator.revokeTokens(TENANT);

        assertEquals(401, http.alerts(token, "").statusCode());
    }

    // --- msal4j's ManagedIdentityApplication ------------------------------------------------------------------

    @Test
    void msal4jSystemAssignedIdentitySignsInThroughTheAppServiceSource() throws Exception {
        emulator.registerManagedIdentity(TENANT, SYSTEM_ASSIGNED);
        try (ManagedIdentityTestEnvironment ignored = ManagedIdentityTestEnvironment.use(appServiceEnvironment())) {
            ManagedIdentityApplication app = ManagedIdentityApplication.builder(ManagedIdentityId.systemAssigned()).build();
            assertEquals(ManagedIdentitySourceType.APP_SERVICE, ManagedIdentityApplication.getManagedIdentitySource());

            IAuthenticationResult first = app.acquireTokenForManagedIdentity(
                    ManagedIdentityParameters.builder(MDE_RESOURCE).build()).get();
            IAuthenticationResult second = app.acquireTokenForManagedIdentity(
                    ManagedIdentityParameters.builder(MDE_RESOURCE).build()).get();

            assertEquals(200, http.alerts(first.accessToken(), "").statusCode());
            assertEquals(TokenSource.IDENTITY_PROVIDER, first.metadata().tokenSource());
            assertEquals(TokenSource.CACHE, second.metadata().tokenSource());
            assertEquals(first.accessToken(), second.accessToken());
            assertEquals(1, emulator.managedIdentityTokens(TENANT), "msal4j caches the token until it nears expiry");
            assertTrue(first.expiresOnDate().toInstant().isAfter(Instant.now().plusSeconds(3500)));
        }
    }

    @Test
    void msal4jUserAssignedIdentitySendsItsClientId() throws Exception {
        emulator.registerManagedIdentity(TENANT, SYSTEM_ASSIGNED);
        emulator.registerManagedIdentity(TENANT, USER_ASSIGNED);
        try (ManagedIdentityTestEnvironment ignored = ManagedIdentityTestEnvironment.use(appServiceEnvironment())) {
            ManagedIdentityApplication app = ManagedIdentityApplication
                    .builder(ManagedIdentityId.userAssignedClientId(USER_ASSIGNED)).build();

            IAuthenticationResult result = app.acquireTokenForManagedIdentity(
                    ManagedIdentityParameters.builder(DefenderEmulator.GRAPH_SCOPE.replace("/.default", "")).build()).get();

            assertEquals(200, http.graphAlerts(result.accessToken(), "").statusCode());
            assertEquals(1, emulator.managedIdentityTokens(TENANT));
        }
    }

    @Test
    void msal4jReportsTheEndpointsRefusalWithItsMessage() throws Exception {
        emulator.registerManagedIdentity(TENANT, SYSTEM_ASSIGNED);
        try (ManagedIdentityTestEnvironment ignored = ManagedIdentityTestEnvironment.use(Map.of(
                "IDENTITY_ENDPOINT", emulator.managedIdentityEndpoint(), "IDENTITY_HEADER", "stale-header"))) {
            ManagedIdentityApplication app = ManagedIdentityApplication
                    .builder(ManagedIdentityId.userAssignedClientId("d4c3b2a1-0000-4000-8000-000000000001")).build();

            ExecutionException failure = assertThrows(ExecutionException.class, () -> app.acquireTokenForManagedIdentity(
                    ManagedIdentityParameters.builder(MDE_RESOURCE).build()).get());

            MsalServiceException cause = assertInstanceOf(MsalServiceException.class, failure.getCause());
            assertEquals("managed_identity_request_failed", cause.errorCode());
            assertTrue(cause.getMessage().contains("X-IDENTITY-HEADER"), cause.getMessage());
            assertEquals(0, emulator.managedIdentityTokens(TENANT));
        }
    }

    @Test
    void msal4jPrefersServiceFabricWhenItsThumbprintIsAlsoSet() {
        Map<String, String> environment = new HashMap<>(appServiceEnvironment());
        environment.put("IDENTITY_SERVER_THUMBPRINT", "0123456789abcdef");
        try (ManagedIdentityTestEnvironment ignored = ManagedIdentityTestEnvironment.use(environment)) {
            assertEquals(ManagedIdentitySourceType.SERVICE_FABRIC, ManagedIdentityApplication.getManagedIdentitySource());
        }
    }

    /**
     * The same sign-in from a JVM whose real environment holds the variables, as the product runs in App Service:
     * msal4j's default reads {@code System.getenv}, which no test hook touches.
     */
    @Test
    void msal4jInAChildJvmReadsTheRealEnvironment() throws Exception {
        emulator.registerManagedIdentity(TENANT, SYSTEM_ASSIGNED);
        emulator.registerManagedIdentity(TENANT, USER_ASSIGNED);
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ChildJvm.class.getName(), MDE_RESOURCE, USER_ASSIGNED)
                .redirectErrorStream(true);
        // whatever the machine's own environment says about managed identities must not decide the source
        builder.environment().keySet().removeAll(List.of("IDENTITY_SERVER_THUMBPRINT", "MSI_ENDPOINT",
                "MSI_SECRET", "IMDS_ENDPOINT"));
        builder.environment().putAll(appServiceEnvironment());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        Matcher token = Pattern.compile("(?m)^token=(\\S+)$").matcher(output);
        assertTrue(token.find(), output);
        assertTrue(output.contains("source=APP_SERVICE"), output);
        assertEquals(200, http.alerts(token.group(1), "").statusCode());
        assertEquals(1, emulator.managedIdentityTokens(TENANT));
    }

    /** The child JVM's side: arguments resource and client id; prints the source and the token, exits 1 on failure. */
    static final class ChildJvm {
        public static void main(String[] args) {
            try {
                ManagedIdentityApplication app = ManagedIdentityApplication
                        .builder(ManagedIdentityId.userAssignedClientId(args[1])).build();
                IAuthenticationResult result = app.acquireTokenForManagedIdentity(
                        ManagedIdentityParameters.builder(args[0]).build()).get();
                System.out.println("source=" + ManagedIdentityApplication.getManagedIdentitySource());
                System.out.println("token=" + result.accessToken());
                System.exit(0);
            } catch (Exception e) {
                e.printStackTrace(System.out);
                System.exit(1);
            }
        }
    }

    private Map<String, String> appServiceEnvironment() {
        return Map.of("IDENTITY_ENDPOINT", emulator.managedIdentityEndpoint(),
                "IDENTITY_HEADER", emulator.managedIdentityHeader());
    }

    private HttpResponse<String> identityRequest(String header, String query) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(emulator.managedIdentityEndpoint() + "?" + query))
                .GET();
        if (header != null) {
            request.header("X-IDENTITY-HEADER", header);
        }
        return http.send(request.build());
    }
}
