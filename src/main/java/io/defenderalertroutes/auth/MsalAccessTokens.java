package io.defenderalertroutes.auth;

import java.net.MalformedURLException;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client-credentials tokens from msal4j. One {@link ConfidentialClientApplication} per tenant lives as long
 * as this object, because msal4j's token cache lives in it: a new application per call would fetch a new
 * token per call.
 */
public final class MsalAccessTokens implements AccessTokens {

    private static final Logger LOG = LoggerFactory.getLogger(MsalAccessTokens.class);

    private final TenantCredentials credentials;
    private final javax.net.ssl.SSLContext tls;
    private ConfidentialClientApplication application;
    private Object signInVersion;
    private final java.time.Duration timeout;
    private volatile boolean forceRefresh;
    private final TokenOutcome outcome = new TokenOutcome();

    public MsalAccessTokens(TenantCredentials credentials, java.time.Duration timeout) {
        this(credentials, timeout, null);
    }

    /** @param tls the TLS context to trust Microsoft's sign-in with, or null for the JVM's default */
    public MsalAccessTokens(TenantCredentials credentials, java.time.Duration timeout, javax.net.ssl.SSLContext tls) {
        this.credentials = credentials;
        this.timeout = timeout;
        this.tls = tls;
        this.signInVersion = credentials.signIn().version();
        this.application = build(credentials, tls);
    }

    /**
     * The application for the sign-in as it is now: built afresh when its material was rotated on disk, so that the
     * next token comes from the new credential (the old application's cached token goes with it).
     */
    private synchronized ConfidentialClientApplication application() {
        Object version = credentials.signIn().version();
        if (!version.equals(signInVersion)) {
            LOG.info("Tenant {}: the sign-in changed on disk ({}); the next token is asked for with it",
                    credentials.tenantId(), credentials.signIn().describe());
            application = build(credentials, tls);
            signInVersion = version;
        }
        return application;
    }

    private static ConfidentialClientApplication build(TenantCredentials credentials, javax.net.ssl.SSLContext tls) {
        String authority = credentials.authorityUrl().replaceAll("/+$", "") + "/" + credentials.tenantId() + "/";
        try {
            ConfidentialClientApplication.Builder builder = ConfidentialClientApplication
                    .builder(credentials.clientId(), credentials.signIn().credential())
                    // msal4j sends the certificate chain unless told otherwise; Entra needs it only for
                    // subject-name/issuer authentication, which is opt-in
                    .sendX5c(credentials.signIn().sendX5c())
                    .authority(authority)
                    // The authority is configured per cloud; asking Microsoft to discover it again adds a call
                    // and fails for sovereign or test authorities it does not list.
                    .instanceDiscovery(false);
            if (tls != null) {
                builder.sslSocketFactory(tls.getSocketFactory());
            }
            URI uri = URI.create(authority);
            if (uri.getPort() != -1) {
                // msal4j caches tokens under the host but looks them up under host:port, so an authority with
                // an explicit port would never get a cached token. Declaring both as aliases of one cloud
                // makes the cache hit. The preferred names must be the bare host: msal4j builds URLs from them.
                // Production authorities have no port and skip this.
                builder.aadInstanceDiscoveryResponse(aliasesFor(uri));
            }
            return builder.build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("authority URL is not valid: " + authority);
        }
    }

    private static String aliasesFor(URI uri) {
        String host = uri.getHost();
        String hostPort = host + ":" + uri.getPort();
        return "{\"tenant_discovery_endpoint\":\"" + uri.getScheme() + "://" + hostPort
                + "/common/v2.0/.well-known/openid-configuration\",\"api-version\":\"1.1\",\"metadata\":[{"
                + "\"preferred_network\":\"" + host + "\",\"preferred_cache\":\"" + host + "\","
                + "\"aliases\":[\"" + host + "\",\"" + hostPort + "\"]}]}";
    }

    @Override
    public String accessToken() {
        ClientCredentialParameters parameters = ClientCredentialParameters.builder(Set.of(credentials.scope()))
                .skipCache(forceRefresh)
                .build();
        ConfidentialClientApplication current;
        try {
            current = application();
        } catch (TokenAcquisitionException e) {
            throw failure(e.getMessage());
        }
        try {
            com.microsoft.aad.msal4j.IAuthenticationResult result =
                    current.acquireToken(parameters).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            forceRefresh = false;
            return outcome.counted(result.accessToken());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("interrupted");
        } catch (TimeoutException e) {
            throw failure("no answer from " + credentials.authorityUrl() + " within " + timeout);
        } catch (ExecutionException | CompletionException e) {
            throw failure(TokenOutcome.reason(e));
        }
    }

    @Override
    public java.util.Optional<java.time.Instant> credentialExpires() {
        return credentials.signIn().expires();
    }

    @Override
    public long tokensIssued() {
        return outcome.issued();
    }

    @Override
    public void invalidate() {
        LOG.info("Dropping the cached access token of tenant {}; the next call fetches a new one", credentials.tenantId());
        forceRefresh = true;
    }

    private TokenAcquisitionException failure(String reason) {
        return new TokenAcquisitionException("Could not get an access token for tenant " + credentials.tenantId()
                + " (client " + credentials.clientId() + "): " + credentials.signIn().scrub(reason));
    }
}
