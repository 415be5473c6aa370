package io.defenderalertroutes.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import static io.defenderalertroutes.emulator.EmulatorHttp.CLIENT_ID;
import static io.defenderalertroutes.emulator.EmulatorHttp.CLIENT_SECRET;
import static io.defenderalertroutes.emulator.EmulatorHttp.TENANT;
import static io.defenderalertroutes.emulator.EmulatorHttp.clientCredentials;
import static io.defenderalertroutes.emulator.EmulatorHttp.form;
import static io.defenderalertroutes.emulator.EmulatorHttp.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenEndpointTest extends EmulatorTest {


    @Test
    void issuesABearerTokenForClientCredentials() {
        HttpResponse<String> response = http.postToken(TENANT, clientCredentials(CLIENT_ID, CLIENT_SECRET));

        assertEquals(200, response.statusCode());
        JsonNode body = json(response);
        assertEquals("Bearer", body.get("token_type").asText());
        assertEquals(3599, body.get("expires_in").asInt());
        assertEquals(3599, body.get("ext_expires_in").asInt());
        assertTrue(body.get("access_token").asText().length() >= 32);
        assertEquals(1, emulator.tokenRequests(TENANT));
        assertEquals(200, http.alerts(body.get("access_token").asText(), "").statusCode());
    }

    @Test
    void acceptsHttpBasicClientAuthentication() {
        String basic = Base64.getEncoder().encodeToString(
                (CLIENT_ID + ":" + EmulatorHttp.encode(CLIENT_SECRET)).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = http.postToken(TENANT,
                form("grant_type", "client_credentials", "scope", DefenderEmulator.MDE_SCOPE), "Basic " + basic);

        assertEquals(200, response.statusCode(), response.body());
    }

    @Test
    void tokenLifetimeIsConfigurable() {
        emulator.setTokenLifetime(Duration.ofSeconds(600));

        JsonNode body = json(http.postToken(TENANT, clientCredentials(CLIENT_ID, CLIENT_SECRET)));

        assertEquals(600, body.get("expires_in").asInt());
    }

    @Test
    void unknownTenantIsAadsts90002() {
        HttpResponse<String> response = http.postToken("no-such-tenant", clientCredentials(CLIENT_ID, CLIENT_SECRET));

        assertEquals(400, response.statusCode());
        JsonNode body = json(response);
        assertEquals("invalid_request", body.get("error").asText());
        assertTrue(body.get("error_description").asText().startsWith("AADSTS90002: Tenant 'no-such-tenant' not found."));
        assertEquals(90002, body.get("error_codes").get(0).asInt());
        assertTrue(body.has("trace_id") && body.has("correlation_id") && body.has("timestamp"));
        assertEquals(1, emulator.tokenRequests("no-such-tenant"));
    }

    @Test
    void wrongSecretIsAadsts7000215() {
        HttpResponse<String> response = http.postToken(TENANT, clientCredentials(CLIENT_ID, "not-the-secret"));

        assertEquals(401, response.statusCode());
        JsonNode body = json(response);
        assertEquals("invalid_client", body.get("error").asText());
        assertTrue(body.get("error_description").asText().startsWith("AADSTS7000215: Invalid client secret provided."));
        assertEquals(7000215, body.get("error_codes").get(0).asInt());
        assertFalse(response.body().contains("not-the-secret"), "an error must not echo the secret");
    }

    @Test
    void unknownClientIsAadsts700016() {
        HttpResponse<String> response = http.postToken(TENANT, clientCredentials("other-app", CLIENT_SECRET));

        assertEquals(400, response.statusCode());
        JsonNode body = json(response);
        assertEquals("unauthorized_client", body.get("error").asText());
        assertTrue(body.get("error_description").asText().startsWith("AADSTS700016: Application with identifier 'other-app'"));
        assertEquals(700016, body.get("error_codes").get(0).asInt());
    }

    @Test
    void refusesOtherGrantsMissingParametersAndScopesWithoutDefault() {
        HttpResponse<String> password = http.postToken(TENANT, form("grant_type", "password", "client_id", CLIENT_ID));
        HttpResponse<String> noSecret = http.postToken(TENANT, form("grant_type", "client_credentials",
                "client_id", CLIENT_ID, "scope", DefenderEmulator.MDE_SCOPE));
        HttpResponse<String> noScope = http.postToken(TENANT, form("grant_type", "client_credentials",
                "client_id", CLIENT_ID, "client_secret", CLIENT_SECRET));
        HttpResponse<String> badScope = http.postToken(TENANT, form("grant_type", "client_credentials",
                "client_id", CLIENT_ID, "client_secret", CLIENT_SECRET, "scope", "Alert.Read.All"));

        assertEquals("unsupported_grant_type", json(password).get("error").asText());
        assertEquals(401, noSecret.statusCode());
        assertEquals(7000218, json(noSecret).get("error_codes").get(0).asInt());
        assertEquals(900144, json(noScope).get("error_codes").get(0).asInt());
        assertEquals("invalid_scope", json(badScope).get("error").asText());
        assertEquals(1002012, json(badScope).get("error_codes").get(0).asInt());
    }

    @Test
    void eachRequestGetsAFreshToken() {
        assertNotEquals(http.token(), http.token());
        assertEquals(2, emulator.tokenRequests(TENANT));
    }

    @Test
    void revokedAndExpiredTokensAreRefusedByTheApi() throws InterruptedException {
        String revoked = http.token();
        emulator.revokeTokens(TENANT);
        emulator.setTokenLifetime(Duration.ofSeconds(1));
        String expiring = http.token();

        HttpResponse<String> afterRevocation = http.alerts(revoked, "");
        Thread.sleep(1100);
        HttpResponse<String> afterExpiry = http.alerts(expiring, "");

        assertEquals(401, afterRevocation.statusCode());
        assertEquals(401, afterExpiry.statusCode());
        assertEquals("The access token has expired.", json(afterExpiry).get("error").get("message").asText());
        assertEquals(0, emulator.apiRequests(TENANT), "unauthenticated calls are not counted for the tenant");
    }
}
