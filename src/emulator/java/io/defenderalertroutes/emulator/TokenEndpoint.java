package io.defenderalertroutes.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Entra ID's v2.0 token endpoint for the client credentials grant, checking in the order Entra does (tenant,
 * grant, client, secret or client assertion, scope) and answering with its error codes, which clients and
 * runbooks key on. Client assertions (certificate and federated credentials) are judged by {@link ClientAssertions}.
 */
final class TokenEndpoint {

    static final Pattern PATH = Pattern.compile("/([^/]+)/oauth2/v2\\.0/token");

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> GRAPH_RESOURCES = Set.of("https://graph.microsoft.com",
            "https://graph.microsoft.us", "https://dod-graph.microsoft.us", "00000003-0000-0000-c000-000000000000");
    /** Defender XDR's resource in each cloud: its API host (commercial, GCC, GCC High and DoD), or its app id. */
    private static final Set<String> XDR_RESOURCES = Set.of("https://api.security.microsoft.com",
            "https://api-gcc.security.microsoft.us", "https://api-gov.security.microsoft.us",
            "8ee8fdad-f234-4243-8f3b-15c294843740");
    /**
     * The Defender for Endpoint API's resource in each cloud (commercial, GCC, and GCC High and DoD, which share a
     * host), or WindowsDefenderATP's app id. The token endpoint treats any other scope as MDE; a managed identity
     * endpoint names its resource outright, so it needs the list.
     */
    private static final Set<String> MDE_RESOURCES = Set.of("https://api.securitycenter.microsoft.com",
            "https://api-gcc.securitycenter.microsoft.us", "https://api-gov.securitycenter.microsoft.us",
            "fc780465-2017-40d4-a0c5-307022471b92");
    private static final Map<String, String> NO_CACHE = Map.of("Cache-Control", "no-store, no-cache", "Pragma", "no-cache");

    private final EmulatorState state;

    TokenEndpoint(EmulatorState state) {
        this.state = state;
    }

    /** @return the tenant id when the path is a token path, else null */
    static String tenantOf(String path) {
        Matcher matcher = PATH.matcher(path);
        return matcher.matches() ? matcher.group(1) : null;
    }

    void handle(HttpExchange exchange, String tenantId) throws IOException {
        state.tenant(tenantId).countTokenRequest();
        // Entra echoes the client's request id; msal4j logs a complaint on every call when it is missing.
        String clientRequestId = exchange.getRequestHeaders().getFirst("client-request-id");
        if (clientRequestId != null) {
            exchange.getResponseHeaders().set("client-request-id", clientRequestId);
        }
        exchange.getResponseHeaders().set("x-ms-request-id", UUID.randomUUID().toString());
        Rejection rejection = new Rejection(exchange, state.now());
        TenantState tenant = state.tenant(tenantId);
        if (!tenant.tokenDelay().isZero()) {
            try {
                Thread.sleep(tenant.tokenDelay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Integer fault = tenant.tokenFaults().poll();
        if (fault != null) {
            // what Entra answers while it is having trouble: a 5xx with an AADSTS body
            rejection.send(fault, "temporarily_unavailable", 90033,
                    "A transient error has occurred. Please try again.");
            return;
        }
        if (!"POST".equals(exchange.getRequestMethod())) {
            rejection.send(400, "invalid_request", 900561, "The endpoint only accepts POST, OPTIONS requests. "
                    + "Received a " + exchange.getRequestMethod() + " request.");
            return;
        }
        TokenRegistry tokens = state.tokens();
        if (!tokens.knowsTenant(tenantId)) {
            rejection.send(400, "invalid_request", 90002, "Tenant '" + tenantId + "' not found. Check to make sure "
                    + "you have the correct tenant ID and are signing into the correct cloud. Check with your "
                    + "subscription administrator, this may happen if there are no active subscriptions for the tenant.");
            return;
        }
        Map<String, String> form;
        try {
            form = Http.parameters(Http.body(exchange));
        } catch (IllegalArgumentException e) {
            rejection.send(400, "invalid_request", 900144, "The request body is not a valid form: " + e.getMessage());
            return;
        }
        String grantType = form.get("grant_type");
        if (grantType == null || grantType.isEmpty()) {
            rejection.missingParameter("'grant_type'");
            return;
        }
        if (!grantType.equals("client_credentials")) {
            rejection.send(400, "unsupported_grant_type", 70003,
                    "The app requested an unsupported grant type '" + grantType + "'.");
            return;
        }
        String[] basic = basicCredentials(exchange);
        String clientId = basic != null ? basic[0] : form.get("client_id");
        String secret = basic != null ? basic[1] : form.get("client_secret");
        if (clientId == null || clientId.isEmpty()) {
            rejection.missingParameter("'client_id'");
            return;
        }
        if (!tokens.knowsClient(tenantId, clientId)) {
            rejection.send(400, "unauthorized_client", 700016, "Application with identifier '" + clientId
                    + "' was not found in the directory '" + tenantId + "'. This can happen if the application has "
                    + "not been installed by the administrator of the tenant or consented to by any user in the "
                    + "tenant. You may have sent your authentication request to the wrong tenant.");
            return;
        }
        String assertionType = form.get("client_assertion_type");
        String assertion = form.get("client_assertion");
        boolean hasSecret = secret != null && !secret.isEmpty();
        boolean hasAssertion = assertion != null && !assertion.isEmpty();
        if (hasSecret && hasAssertion) {
            // RFC 6749 2.3 forbids two client authentications in one request. No AADSTS code for this case is
            // documented; 90023, Entra's "request isn't valid", is the closest documented one.
            rejection.send(400, "invalid_request", 90023, "The authentication service request is not valid: "
                    + "only one of 'client_assertion' and 'client_secret' may be sent.");
            return;
        }
        if (hasAssertion) {
            if (!ClientAssertions.JWT_BEARER.equals(assertionType)) {
                rejection.send(400, "invalid_request", 90011, "Unexpected client assertion type.");
                return;
            }
            Optional<ClientAssertions.Failure> failure = new ClientAssertions(tokens)
                    .verify(tenantId, clientId, assertion, tokenEndpoints(exchange, tenantId), state.now());
            if (failure.isPresent()) {
                ClientAssertions.Failure f = failure.get();
                rejection.send(f.status(), f.error(), f.code(), f.description());
                return;
            }
            tenant.countAcceptedAssertion();
        } else if (!hasSecret) {
            rejection.send(401, "invalid_client", 7000218,
                    "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
            return;
        } else if (!tokens.secretMatches(tenantId, clientId, secret)) {
            rejection.send(401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being "
                    + "sent in the request is the client secret value, not the client secret ID, for a secret added "
                    + "to app '" + clientId + "'.");
            return;
        }
        String scope = form.get("scope");
        if (scope == null || scope.isBlank()) {
            rejection.missingParameter("'scope'");
            return;
        }
        // msal4j adds its own scopes next to the resource one; Entra only insists on one ".default" scope.
        if (Arrays.stream(scope.trim().split("\\s+")).noneMatch(s -> s.endsWith("/.default"))) {
            rejection.send(400, "invalid_scope", 1002012, "The provided value for scope " + scope + " is not valid. "
                    + "Client credential flows must have a scope value with /.default suffixed to the resource "
                    + "identifier (application ID URI).");
            return;
        }
        long lifetimeSeconds = tokens.lifetime().toSeconds();
        ObjectNode body = MAPPER.createObjectNode();
        body.put("token_type", "Bearer");
        body.put("expires_in", lifetimeSeconds);
        body.put("ext_expires_in", lifetimeSeconds);
        body.put("access_token", tokens.issue(tenantId, clientId, state.now(), audienceOf(scope)));
        Http.send(exchange, 200, Http.JSON, body.toString().getBytes(StandardCharsets.UTF_8), NO_CACHE);
    }

    /**
     * The URLs this tenant's token endpoint answers to: under the emulator's own base URL and under the host the
     * client actually addressed (another name in a container network), each in the v2.0 form Entra documents for
     * the assertion audience and the v1 form it still accepts.
     */
    private List<String> tokenEndpoints(HttpExchange exchange, String tenantId) {
        Set<String> bases = new LinkedHashSet<>();
        bases.add(state.baseUrl());
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (host != null && !host.isBlank()) {
            bases.add("https://" + host.trim());
        }
        List<String> endpoints = new ArrayList<>();
        for (String base : bases) {
            endpoints.add(base + "/" + tenantId + "/oauth2/v2.0/token");
            endpoints.add(base + "/" + tenantId + "/oauth2/token");
        }
        return endpoints;
    }

    /**
     * Graph when the first {@code .default} scope names Microsoft Graph (global, US Government L4 or L5, or Graph's
     * application id); Defender XDR when it names Defender XDR's host; MDE for any other resource, as before the
     * others were served.
     */
    static TokenRegistry.Audience audienceOf(String scope) {
        String resource = Arrays.stream(scope.trim().split("\\s+")).filter(s -> s.endsWith("/.default")).findFirst()
                .map(s -> s.substring(0, s.length() - "/.default".length()))
                .orElse("").toLowerCase(Locale.ROOT);
        while (resource.endsWith("/")) {
            resource = resource.substring(0, resource.length() - 1);
        }
        if (GRAPH_RESOURCES.contains(resource)) {
            return TokenRegistry.Audience.GRAPH;
        }
        return XDR_RESOURCES.contains(resource) ? TokenRegistry.Audience.XDR : TokenRegistry.Audience.MDE;
    }

    /**
     * The API a resource identifier (no {@code /.default}; one trailing slash or none, any case) belongs to, or empty
     * when it is none of the emulated APIs' resources.
     */
    static Optional<TokenRegistry.Audience> audienceOfResource(String resource) {
        String normalized = resource.trim().toLowerCase(Locale.ROOT);
        if (normalized.endsWith("/")) {
            normalized = normalized.substring(0, normalized.length() - 1);
        }
        if (GRAPH_RESOURCES.contains(normalized)) {
            return Optional.of(TokenRegistry.Audience.GRAPH);
        }
        if (XDR_RESOURCES.contains(normalized)) {
            return Optional.of(TokenRegistry.Audience.XDR);
        }
        return MDE_RESOURCES.contains(normalized) ? Optional.of(TokenRegistry.Audience.MDE) : Optional.empty();
    }

    /** RFC 6749 section 2.3.1: both halves are form-encoded before they are joined and base64-encoded. */
    private static String[] basicCredentials(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.toLowerCase(Locale.ROOT).startsWith("basic ")) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return new String[] {Http.decode(decoded), ""};
            }
            return new String[] {Http.decode(decoded.substring(0, colon)), Http.decode(decoded.substring(colon + 1))};
        } catch (IllegalArgumentException e) {
            return new String[] {"", ""};
        }
    }

    private static final class Rejection {
        private final HttpExchange exchange;
        private final Instant now;

        Rejection(HttpExchange exchange, Instant now) {
            this.exchange = exchange;
            this.now = now;
        }

        void missingParameter(String name) throws IOException {
            send(400, "invalid_request", 900144, "The request body must contain the following parameter: " + name + ".");
        }

        void send(int status, String error, long code, String description) throws IOException {
            String correlationId = exchange.getRequestHeaders().getFirst("client-request-id");
            String body = ErrorBodies.entra(error, code, description, correlationId, now);
            Http.send(exchange, status, Http.JSON, body.getBytes(StandardCharsets.UTF_8), NO_CACHE);
        }
    }
}
