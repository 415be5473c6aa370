package io.defenderalertroutes.emulator;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Microsoft's side of the poller, in one process: an Entra ID token endpoint for client credentials, the
 * Defender for Endpoint alert list and Microsoft Graph's alerts_v2 list over the same alerts, over HTTPS on localhost, with the failure modes users of real pollers report
 * (throttling, missing or stuck nextLinks, faults, truncated pages) under the test's control.
 *
 * <p>It ships in the jar so that it can run on its own ({@link #main}) and in docker-compose; production code
 * never uses it. Tenants are identified by the exact id string the test registers.
 *
 * <p>Without {@code $orderby}, alerts come newest {@code alertCreationTime} first; any order ends with {@code id}
 * ascending, so ties are stable. Without {@code $top}, a page holds up to 10,000 alerts, MDE's maximum.
 *
 * <p>Graph ({@code GET /v1.0/security/alerts_v2}, same host) serves every MDE alert in Graph's {@code alert} shape
 * plus any raw Graph alert given to {@link #putGraphAlert}. It accepts only tokens issued for a Graph scope
 * ({@link #GRAPH_SCOPE} or a US Government Graph host), and {@code /api/alerts} only the others. Defender XDR's
 * {@code GET /api/incidents} (same host) serves the incidents given to {@link #putDefenderIncident} to tokens for
 * {@link #DEFENDER_XDR_SCOPE}, with its own budget of 50 calls a minute and 1,500 an hour. Graph's enum
 * comparisons in {@code $filter} are case-sensitive on the camelCase member ({@code status eq 'new'}). Its
 * throttling is its own sliding minute per app and tenant ({@link #setGraphRateLimit}); faults and delays are
 * shared with the MDE API: a queued fault goes to the tenant's next call of either API.
 */
public final class DefenderEmulator implements AutoCloseable {

    /** Password of both bundled stores; the certificate is public test material, not a secret. */
    public static final String TRUST_STORE_PASSWORD = EmulatorTls.PASSWORD;
    /** The scope a client asks for to call the MDE API. */
    public static final String MDE_SCOPE = "https://api.securitycenter.microsoft.com/.default";
    /** The scope a client asks for to call Microsoft Graph; the US Government Graph hosts' scopes work too. */
    public static final String GRAPH_SCOPE = "https://graph.microsoft.com/.default";
    /** The scope a client asks for to call Defender XDR's {@code /api/incidents}. */
    public static final String DEFENDER_XDR_SCOPE = "https://api.security.microsoft.com/.default";
    /** The alerts_v2 path under {@link #graphBaseUrl()}. */
    public static final String GRAPH_ALERTS_PATH = GraphAlertsEndpoint.PATH;

    private static final int HANDLER_THREADS = 8;

    private final EmulatorState state;
    private final HttpsServer server;
    private final ExecutorService handlers;
    private final String bindAddress;
    // started on first use, so the many emulators that never need it open no second port
    private ManagedIdentityEndpoint managedIdentity;
    private boolean closed;

    private DefenderEmulator(EmulatorState state, HttpsServer server, ExecutorService handlers, String bindAddress) {
        this.state = state;
        this.server = server;
        this.handlers = handlers;
        this.bindAddress = bindAddress;
    }

    /** Starts on 127.0.0.1; port 0 picks a free one. */
    public static DefenderEmulator start(int port) {
        return start("127.0.0.1", port);
    }

    /** Starts on the given address, e.g. 0.0.0.0 inside a container. */
    public static DefenderEmulator start(String bindAddress, int port) {
        EmulatorState state = new EmulatorState();
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService handlers = Executors.newFixedThreadPool(HANDLER_THREADS, task -> {
            Thread thread = new Thread(task, "defender-emulator-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName(bindAddress), port), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(EmulatorTls.serverContext()));
            server.createContext("/", new EmulatorRouter(state));
            server.setExecutor(handlers);
            server.start();
            DefenderEmulator emulator = new DefenderEmulator(state, server, handlers, bindAddress);
            state.setBaseUrl("https://localhost:" + emulator.port());
            return emulator;
        } catch (IOException e) {
            handlers.shutdownNow();
            throw new UncheckedIOException("Cannot start the Defender emulator on " + bindAddress + ":" + port, e);
        }
    }

    /** The bundled trust store as a file (copied once per JVM), for {@code javax.net.ssl.trustStore} and the like. */
    public static Path trustStoreFile() {
        return EmulatorTls.trustStoreFile();
    }

    /** An SSL context that trusts the emulator's certificate and nothing else. */
    /** The emulator's own server certificate, for other test servers that the tests' JVM should trust (SMTP). */
    public static SSLContext serverSslContext() {
        return EmulatorTls.serverContext();
    }

    public static SSLContext trustingSslContext() {
        return EmulatorTls.clientContext();
    }

    public static void main(String[] args) throws InterruptedException {
        EmulatorCommandLine.run(args);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String bindAddress() {
        return bindAddress;
    }

    /** {@code https://localhost:PORT}: the MDE API base URL; alerts are at {@code /api/alerts}. */
    public String baseUrl() {
        return state.baseUrl();
    }

    /** {@code https://localhost:PORT}, the same host: Graph alerts are at {@code /v1.0/security/alerts_v2}. */
    public String graphBaseUrl() {
        return state.baseUrl();
    }

    /** The Entra ID authority host; a tenant's token endpoint is {@code /{tenant}/oauth2/v2.0/token} under it. */
    public String authorityUrl() {
        return state.baseUrl();
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (managedIdentity != null) {
                managedIdentity.close();
            }
        }
        server.stop(0);
        handlers.shutdownNow();
    }

    // --- Entra ID -------------------------------------------------------------------------------------------

    /**
     * Makes the tenant known (an unknown tenant gets AADSTS90002) and accepts this client and secret in it; the
     * app's certificates and federated credentials, if any, stay.
     */
    public void registerClient(String tenantId, String clientId, String clientSecret) {
        state.tokens().registerClient(tenantId, clientId, clientSecret);
        state.tenant(tenantId);
    }

    /**
     * Adds a certificate credential to the app (created when new, without a secret): the token endpoint then
     * accepts client assertions signed with the certificate's key that name it by {@code x5t} or
     * {@code x5t#S256}. An app may hold several certificates beside its secret.
     */
    public void registerCertificate(String tenantId, String clientId, X509Certificate certificate) {
        state.tokens().registerCertificate(tenantId, clientId, certificate);
        state.tenant(tenantId);
    }

    /** Removes a certificate credential from the app, as an administrator deletes a retired one. */
    public void removeCertificate(String tenantId, String clientId, X509Certificate certificate) {
        state.tokens().removeCertificate(tenantId, clientId, certificate);
    }

    /**
     * Adds a federated identity credential to the app (created when new, without a secret): tokens of that
     * issuer for that subject, with audience {@code api://AzureADTokenExchange} and signed by the issuer's key,
     * are accepted as client assertions. Issuer and subject must match exactly, case included, as in Entra.
     */
    public void registerFederatedCredential(String tenantId, String clientId, String issuer, String subject,
                                            PublicKey issuerKey) {
        state.tokens().registerFederatedCredential(tenantId, clientId,
                new TokenRegistry.FederatedCredential(issuer, subject, issuerKey));
        state.tenant(tenantId);
    }

    /** Client assertions (certificate or federated) the tenant's token endpoint accepted. */
    public int assertionsAccepted(String tenantId) {
        return state.existingTenant(tenantId).map(TenantState::assertionsAccepted).orElse(0);
    }

    /** The {@code expires_in} of tokens issued from now on, and how long the API accepts them. Default 3599 s. */
    public void setTokenLifetime(Duration lifetime) {
        state.tokens().setLifetime(lifetime);
    }

    /** Every request to the tenant's token path, refused ones included. */
    public int tokenRequests(String tenantId) {
        return state.existingTenant(tenantId).map(TenantState::tokenRequests).orElse(0);
    }

    /** Makes the API refuse every token issued so far for the tenant, as after a revocation. */
    public void revokeTokens(String tenantId) {
        state.tokens().revoke(tenantId);
    }

    // --- Managed identity (Azure App Service) -------------------------------------------------------------------

    /**
     * A managed identity, known by its client id, living in the tenant: the managed identity endpoint hands out tokens
     * for it that the APIs accept as the tenant's. The first identity registered is also the app's system-assigned
     * one, which a request without {@code client_id} gets.
     */
    public void registerManagedIdentity(String tenantId, String clientId) {
        managedIdentity().register(tenantId, clientId);
        state.tenant(tenantId);
    }

    /**
     * {@code http://127.0.0.1:PORT/msi/token}, plain HTTP on the loopback address as App Service's is: the value for
     * {@code IDENTITY_ENDPOINT}. With {@link #managedIdentityHeader()} in {@code IDENTITY_HEADER} (and neither
     * {@code IDENTITY_SERVER_THUMBPRINT} nor {@code MSI_ENDPOINT} set), msal4j's {@code ManagedIdentityApplication}
     * takes the App Service source and calls it.
     */
    public String managedIdentityEndpoint() {
        return managedIdentity().url();
    }

    /** The value for {@code IDENTITY_HEADER}, which must come back as {@code X-IDENTITY-HEADER}; random per emulator. */
    public String managedIdentityHeader() {
        return managedIdentity().identityHeader();
    }

    /** Tokens the managed identity endpoint handed out for the tenant's identities. */
    public int managedIdentityTokens(String tenantId) {
        return state.existingTenant(tenantId).map(TenantState::managedIdentityTokens).orElse(0);
    }

    private synchronized ManagedIdentityEndpoint managedIdentity() {
        if (closed) {
            throw new IllegalStateException("The emulator is closed");
        }
        if (managedIdentity == null) {
            managedIdentity = ManagedIdentityEndpoint.start(state, handlers);
        }
        return managedIdentity;
    }

    // --- Alerts -----------------------------------------------------------------------------------------------

    /**
     * Stores the alert's JSON text as given; a second put with the same id replaces it (an update). When its
     * {@code evidence} array is not empty, requests without {@code $expand=evidence} get the same text with
     * {@code "evidence": []} instead.
     *
     * <p>Graph serves the same alert in Graph's shape, generated once here (see {@link #servedGraphJson}), with
     * {@code serviceSource} {@code microsoftDefenderForEndpoint}; it replaces any Graph alert of the same id.
     *
     * @throws IllegalArgumentException unless the text is one JSON object with a string {@code id}
     */
    public void putAlert(String tenantId, String alertJson) {
        state.tenant(tenantId).putMdeAlert(tenantId, alertJson);
    }

    /**
     * Stores a Graph alert text (any {@code serviceSource}) that only the Graph endpoint serves, as given, in both
     * enum modes; a second put with the same id replaces it.
     *
     * @throws IllegalArgumentException unless the text is one JSON object with a string {@code id} and timestamps
     *                                  that parse
     */
    public void putGraphAlert(String tenantId, String graphJson) {
        state.tenant(tenantId).putGraphAlert(graphJson);
    }

    /**
     * Adds a Graph incident (its JSON with an {@code alerts} array, as {@link IncidentJson#graphIncident} makes it), or
     * replaces the one with its id: an incident gains alerts and changes status by being put again. Served by {@code GET
     * /v1.0/security/incidents} on the Graph host, its alerts only with {@code $expand=alerts}.
     */
    public void putIncident(String tenantId, String incidentJson) {
        state.tenant(tenantId).putIncident(incidentJson);
    }

    /** Exactly the text the incidents endpoint serves for the incident with {@code $expand=alerts}. */
    public String servedIncidentJson(String tenantId, String incidentId) {
        return state.tenant(tenantId).incidentSnapshot().stream().filter(i -> i.id().equals(incidentId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no incident " + incidentId)).json(true);
    }

    /**
     * Adds a Defender XDR incident (its JSON with a number {@code incidentId} and an {@code alerts} array, as {@link
     * IncidentJson#defenderIncident} makes it), or replaces the one with its incidentId. Served by {@code GET
     * /api/incidents} to a token for Defender XDR's audience, always with its alerts.
     */
    public void putDefenderIncident(String tenantId, String incidentJson) {
        state.tenant(tenantId).putXdrIncident(incidentJson);
    }

    /** Exactly the text {@code /api/incidents} serves for the Defender XDR incident. */
    public String servedDefenderIncidentJson(String tenantId, String incidentId) {
        return state.tenant(tenantId).xdrIncidentSnapshot().stream().filter(i -> i.id().equals(incidentId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no incident " + incidentId)).json(true);
    }

    /** Every authenticated request to Defender XDR's {@code /api/incidents} for the tenant, throttled ones included. */
    public int defenderIncidentRequests(String tenantId) {
        return state.existingTenant(tenantId).map(TenantState::xdrRequests).orElse(0);
    }

    /** The percent-decoded query strings of those requests, in arrival order. */
    public List<String> defenderIncidentQueries(String tenantId) {
        return state.existingTenant(tenantId).map(TenantState::xdrQueries).orElse(List.of());
    }

    /**
     * Exactly the text the Graph endpoint serves for the alert, to a client that does or does not send
     * {@code Prefer: include-unknown-enum-members}.
     */
    public String servedGraphJson(String tenantId, String alertId, boolean preferUnknownEnumMembers) {
        return state.existingTenant(tenantId)
                .flatMap(tenant -> tenant.graphAlert(alertId))
                .map(alert -> alert.json(preferUnknownEnumMembers))
                .orElseThrow(() -> new NoSuchElementException("No Graph alert " + alertId + " in tenant " + tenantId));
    }

    /** Exactly the text the API serves for the alert, with or without {@code $expand=evidence}. */
    public String servedJson(String tenantId, String alertId, boolean expanded) {
        return state.existingTenant(tenantId)
                .flatMap(tenant -> tenant.alerts().get(alertId))
                .map(alert -> alert.json(expanded))
                .orElseThrow(() -> new NoSuchElementException("No alert " + alertId + " in tenant " + tenantId));
    }

    /** Removes the alert from both APIs; true when either held it. */
    public boolean removeAlert(String tenantId, String alertId) {
        return state.existingTenant(tenantId).map(tenant -> tenant.removeAlert(alertId)).orElse(false);
    }

    public int alertCount(String tenantId) {
        return state.existingTenant(tenantId).map(tenant -> tenant.alerts().size()).orElse(0);
    }

    public void setNextLinkMode(NextLinkMode mode) {
        state.setNextLinkMode(mode);
    }

    /** The most {@code /api/alerts} requests of the tenant that arrived within any 60 seconds: Microsoft's per-minute measure. */
    public int busiestMinute(String tenantId) {
        return state.existingTenant(tenantId).map(TenantState::busiestMinute).orElse(0);
    }

    /** Every authenticated request to {@code /api/alerts} for the tenant, throttled and faulted ones included. */
    public int apiRequests(String tenantId) {
        return state.existingTenant(tenantId).map(TenantState::apiRequests).orElse(0);
    }

    /** The percent-decoded query strings of those requests, in arrival order. */
    public List<String> requestQueries(String tenantId) {
        return state.existingTenant(tenantId).map(TenantState::queries).orElse(List.of());
    }

    /** Every authenticated request to Graph's alerts_v2 for the tenant, throttled and faulted ones included. */
    public int graphRequests(String tenantId) {
        return state.existingTenant(tenantId).map(TenantState::graphRequests).orElse(0);
    }

    /** The percent-decoded query strings of those Graph requests, in arrival order. */
    public List<String> graphRequestQueries(String tenantId) {
        return state.existingTenant(tenantId).map(TenantState::graphQueries).orElse(List.of());
    }

    /** The {@code Prefer} header of each of those Graph requests ("" when absent), in arrival order. */
    public List<String> graphPreferHeaders(String tenantId) {
        return state.existingTenant(tenantId).map(TenantState::graphPreferHeaders).orElse(List.of());
    }

    /** Forgets all counters, logged queries and rate-limit windows (Graph's too); alerts, clients and tokens stay. */
    public void resetCounters() {
        state.allTenants().forEach(TenantState::resetCounters);
    }

    // --- Throttling and faults -------------------------------------------------------------------------------

    /** Calls accepted per tenant in any sliding minute and hour; defaults 100 and 1500 as documented. */
    public void setRateLimit(int perMinute, int perHour) {
        state.setRateLimit(perMinute, perHour);
    }

    /**
     * Graph calls accepted per app and tenant in any sliding minute; default 150, Graph's documented limit for
     * {@code /security}. Independent of {@link #setRateLimit}.
     */
    public void setGraphRateLimit(int perMinute) {
        state.setGraphRateLimit(perMinute);
    }

    /**
     * Defender XDR calls accepted per tenant in any sliding minute and hour; defaults 50 and 1,500 as documented.
     * Independent of the other APIs' budgets.
     */
    public void setDefenderIncidentRateLimit(int perMinute, int perHour) {
        state.setXdrRateLimit(perMinute, perHour);
    }

    /**
     * The tenant's next API call, MDE, Graph or Defender XDR (after authentication and throttling), gets this response instead; faults queue
     * up and are served first in, first out. A JSON content type is added when a body is given without one.
     */
    public void enqueueFault(String tenantId, int status, String body, Map<String, String> headers) {
        state.tenant(tenantId).faults().add(InjectedFault.response(status, body, headers));
    }

    /** The tenant's next API call gets a 200 whose body is its real page cut off halfway. */
    public void enqueueMalformed(String tenantId) {
        state.tenant(tenantId).faults().add(InjectedFault.truncatedPage());
    }

    /** The tenant's next token requests are answered with these HTTP statuses (5xx), one each. */
    public void enqueueTokenFault(String tenantId, int status) {
        state.tenant(tenantId).tokenFaults().add(status);
    }

    /** Time every token response of the tenant is held back, to exercise the client's token timeout. */
    public void setTokenDelay(String tenantId, Duration delay) {
        state.tenant(tenantId).setTokenDelay(delay);
    }

    /** Time every API response is held back, to exercise client timeouts. Token responses are not delayed. */
    public void setResponseDelay(Duration delay) {
        state.setResponseDelay(delay);
    }

    /** Like {@link #setResponseDelay(Duration)}, for one tenant's API calls only: a slow tenant beside fast ones. */
    public void setResponseDelay(String tenantId, Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("a delay cannot be negative: " + delay);
        }
        state.tenant(tenantId).setResponseDelay(delay);
    }

    /** A machine of the tenant, which machine actions and tags may target. */
    public void putMachine(String tenantId, String machineId) {
        state.tenant(tenantId).responses().putMachine(machineId);
    }

    /** The tenant's app registration lacks this application permission: its calls that need it answer 403. */
    public void denyPermission(String tenantId, String permission) {
        state.tenant(tenantId).responses().denied().add(permission);
    }

    /** How long a machine action takes (Pending for the first half, InProgress, then the final status). */
    public void setMachineActionLife(String tenantId, java.time.Duration duration, String finalStatus) {
        state.tenant(tenantId).responses().setActionLife(duration, finalStatus);
    }

    /** The machine actions started on the tenant's machines: type by action id. */
    public Map<String, String> machineActionTypes(String tenantId) {
        Map<String, String> types = new java.util.TreeMap<>();
        state.existingTenant(tenantId).ifPresent(t -> t.responses().actions().forEach((id, a) -> types.put(id, a.type())));
        return types;
    }

    /** The machine's tags. */
    public java.util.Set<String> machineTags(String tenantId, String machineId) {
        return java.util.Set.copyOf(state.tenant(tenantId).responses().tags(machineId));
    }

    /** The tenant's indicators, JSON by id. */
    public Map<String, String> indicators(String tenantId) {
        return Map.copyOf(state.tenant(tenantId).responses().indicators());
    }

    /** The alert as Microsoft Graph serves it now (after any update). */
    public String graphJson(String tenantId, String alertId) {
        return state.tenant(tenantId).graphAlert(alertId).map(a -> a.json(false)).orElseThrow();
    }
}
