package io.defenderalertroutes.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Azure App Service's managed identity endpoint (protocol version 2019-08-01), which is what msal4j's
 * {@code ManagedIdentityApplication} calls when {@code IDENTITY_ENDPOINT} and {@code IDENTITY_HEADER} are set:
 * {@code GET IDENTITY_ENDPOINT?api-version=2019-08-01&resource=R[&client_id=C]} with header
 * {@code X-IDENTITY-HEADER: IDENTITY_HEADER}.
 *
 * <p>It listens on plain HTTP on 127.0.0.1 only, as App Service's does: the secret header, not TLS, is what keeps
 * other callers out, and a client needs no trust store for it. Errors come in App Service's own shape
 * ({@code statusCode}, {@code message}, {@code correlationId}), which msal4j turns into the exception's message.
 */
final class ManagedIdentityEndpoint implements HttpHandler, AutoCloseable {

    static final String PATH = "/msi/token";
    static final String API_VERSION = "2019-08-01";
    static final String HEADER = "X-IDENTITY-HEADER";

    private static final Logger LOG = LoggerFactory.getLogger(ManagedIdentityEndpoint.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final EmulatorState state;
    private final HttpServer server;
    private final String identityHeader;
    /** Tenant of each identity by client id; client ids are unique across tenants, as in Entra. */
    private final Map<String, String> tenantByClientId = new ConcurrentHashMap<>();
    private volatile String systemAssignedClientId;

    private ManagedIdentityEndpoint(EmulatorState state, HttpServer server, String identityHeader) {
        this.state = state;
        this.server = server;
        this.identityHeader = identityHeader;
    }

    static ManagedIdentityEndpoint start(EmulatorState state, Executor executor) {
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            ManagedIdentityEndpoint endpoint = new ManagedIdentityEndpoint(state, server,
                    Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
            server.createContext("/", endpoint);
            server.setExecutor(executor);
            server.start();
            return endpoint;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the managed identity endpoint on 127.0.0.1", e);
        }
    }

    /** The first identity registered answers requests that name none, as the app's system-assigned identity. */
    synchronized void register(String tenantId, String clientId) {
        if (tenantId == null || tenantId.isBlank() || clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("A managed identity needs a tenant id and a client id");
        }
        tenantByClientId.put(clientId, tenantId);
        if (systemAssignedClientId == null) {
            systemAssignedClientId = clientId;
        }
    }

    /** Not {@code localhost}: a name could resolve to ::1 first while the listener is on IPv4 only. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    String identityHeader() {
        return identityHeader;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            answer(exchange);
        } catch (IOException e) {
            LOG.debug("Client went away during {} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI(),
                    e.toString());
        } catch (RuntimeException e) {
            LOG.error("Managed identity endpoint failed on {}", exchange.getRequestURI().getPath(), e);
            try {
                error(exchange, 500, "An unexpected error occurred.");
            } catch (IOException | RuntimeException ignored) {
                // the answer may be under way already
            }
        } finally {
            exchange.close();
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        // App Service's own variable ends with or without a slash depending on the stack
        if (!path.equals(PATH) && !path.equals(PATH + "/")) {
            error(exchange, 404, "No managed identity endpoint at " + path + ".");
            return;
        }
        if (!"GET".equals(exchange.getRequestMethod())) {
            error(exchange, 405, "The managed identity endpoint only answers GET.");
            return;
        }
        String presented = exchange.getRequestHeaders().getFirst(HEADER);
        if (presented == null || presented.isEmpty()) {
            error(exchange, 400, "The request is missing the " + HEADER + " header.");
            return;
        }
        if (!MessageDigest.isEqual(identityHeader.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8))) {
            error(exchange, 401, "The " + HEADER + " header does not match IDENTITY_HEADER.");
            return;
        }
        Map<String, String> query;
        try {
            query = Http.parameters(exchange.getRequestURI().getRawQuery());
        } catch (IllegalArgumentException e) {
            error(exchange, 400, e.getMessage());
            return;
        }
        String apiVersion = query.get("api-version");
        if (!API_VERSION.equals(apiVersion)) {
            // 2017-09-01 also exists in Azure, but with a "secret" header and "clientid"; msal4j never sends it
            error(exchange, 400, apiVersion == null || apiVersion.isEmpty()
                    ? "The api-version parameter is required."
                    : "The api-version '" + apiVersion + "' is not supported; use " + API_VERSION + ".");
            return;
        }
        String resource = query.get("resource");
        if (resource == null || resource.isBlank()) {
            error(exchange, 400, "The resource parameter is required.");
            return;
        }
        Optional<TokenRegistry.Audience> audience = TokenEndpoint.audienceOfResource(resource);
        if (audience.isEmpty()) {
            // what Entra tells App Service when the resource is no API it knows; a scope (".../.default") ends here too
            error(exchange, 400, "AADSTS500011: The resource principal named " + resource + " was not found in the "
                    + "tenant. This can happen if the application has not been installed by the administrator of the "
                    + "tenant or consented to by any user in the tenant.");
            return;
        }
        if (query.containsKey("mi_res_id") || query.containsKey("object_id") || query.containsKey("principal_id")) {
            // the emulator knows identities by client id only, so any other identifier cannot name one of them
            error(exchange, 400, "Unable to load the proper Managed Identity.");
            return;
        }
        String requested = query.get("client_id");
        String clientId = requested == null || requested.isEmpty() ? systemAssignedClientId : requested;
        String tenantId = clientId == null ? null : tenantByClientId.get(clientId);
        if (tenantId == null) {
            error(exchange, 400, requested == null || requested.isEmpty()
                    ? "No system-assigned managed identity is enabled for this app."
                    : "Unable to load the proper Managed Identity.");
            return;
        }
        Instant now = state.now();
        String token = state.tokens().issue(tenantId, clientId, now, audience.get());
        state.tenant(tenantId).countManagedIdentityToken();
        ObjectNode body = MAPPER.createObjectNode();
        body.put("access_token", token);
        // a string of epoch seconds, as App Service sends it; msal4j also reads ISO 8601 here
        body.put("expires_on", Long.toString(now.plus(state.tokens().lifetime()).getEpochSecond()));
        body.put("resource", resource);
        body.put("token_type", "Bearer");
        body.put("client_id", clientId);
        Http.send(exchange, 200, Http.JSON, body.toString().getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private static void error(HttpExchange exchange, int status, String message) throws IOException {
        String correlationId = UUID.randomUUID().toString();
        ObjectNode body = MAPPER.createObjectNode();
        body.put("statusCode", status);
        body.put("message", message);
        body.put("correlationId", correlationId);
        Http.send(exchange, status, Http.JSON, body.toString().getBytes(StandardCharsets.UTF_8),
                Map.of("X-CORRELATION-ID", correlationId));
    }
}
