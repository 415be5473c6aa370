package io.defenderalertroutes.auth;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.ManagedIdentityApplication;
import com.microsoft.aad.msal4j.ManagedIdentityId;
import com.microsoft.aad.msal4j.ManagedIdentityParameters;

/**
 * Tokens of an Azure managed identity (system-assigned, or user-assigned by client ID) through msal4j's
 * {@link ManagedIdentityApplication}, which finds the identity endpoint of the Azure service the bundle runs on
 * from its environment. An identity lives in one tenant and reaches only that one: a token that names another
 * tenant than the configured one is refused with that reason.
 */
public final class ManagedIdentityTokens implements AccessTokens {

    private static final Pattern TENANT_CLAIM = Pattern.compile("\"tid\"\\s*:\\s*\"([^\"]+)\"");

    private final String tenantId;
    private final String clientId;
    private final String resource;
    private final Duration timeout;
    private final ManagedIdentityApplication application;
    private final TokenOutcome outcome = new TokenOutcome();
    private volatile boolean forceRefresh;

    /**
     * @param clientId the user-assigned identity's client ID, or null for the system-assigned one
     * @param scope    the API's scope ({@code .../.default}); the identity endpoint takes its resource
     */
    public ManagedIdentityTokens(String tenantId, String clientId, String scope, Duration timeout,
            javax.net.ssl.SSLContext tls) {
        this.tenantId = tenantId;
        this.clientId = clientId;
        this.resource = scope.replaceAll("/\\.default$", "");
        this.timeout = timeout;
        ManagedIdentityApplication.Builder builder = ManagedIdentityApplication.builder(clientId == null
                ? ManagedIdentityId.systemAssigned() : ManagedIdentityId.userAssignedClientId(clientId));
        if (tls != null) {
            builder.sslSocketFactory(tls.getSocketFactory());
        }
        this.application = builder.build();
    }

    @Override
    public String accessToken() {
        String token;
        try {
            IAuthenticationResult result = application.acquireTokenForManagedIdentity(
                    ManagedIdentityParameters.builder(resource).forceRefresh(forceRefresh).build())
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            forceRefresh = false;
            token = result.accessToken();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("interrupted");
        } catch (TimeoutException e) {
            throw failure("no answer from the managed identity endpoint within " + timeout);
        } catch (Exception e) {
            // msal4j declares Exception; an ExecutionException carries Entra's or the endpoint's answer
            throw failure(TokenOutcome.reason(e));
        }
        checkTenant(token);
        return outcome.counted(token);
    }

    /** Where the token says which tenant issued it (a JWT's tid claim), it must be the configured one. */
    private void checkTenant(String token) {
        java.util.Optional<String> issuer = tenantOf(token);
        if (issuer.isPresent() && !issuer.get().equalsIgnoreCase(tenantId)) {
            throw failure("the managed identity lives in tenant " + issuer.get() + ", not " + tenantId + ": an identity "
                    + "reaches only its own tenant; sign in to " + tenantId + " with a certificate or workload identity");
        }
    }

    /** The tenant a JWT access token names in its tid claim; empty for a token that is not a JWT or names none. */
    static java.util.Optional<String> tenantOf(String token) {
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return java.util.Optional.empty();
        }
        try {
            Matcher tid = TENANT_CLAIM.matcher(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            return tid.find() ? java.util.Optional.of(tid.group(1)) : java.util.Optional.empty();
        } catch (IllegalArgumentException notJwt) {
            return java.util.Optional.empty();
        }
    }

    @Override
    public void invalidate() {
        forceRefresh = true;
    }

    @Override
    public long tokensIssued() {
        return outcome.issued();
    }

    private TokenAcquisitionException failure(String reason) {
        return new TokenAcquisitionException("Could not get an access token for tenant " + tenantId + " (managed identity "
                + (clientId == null ? "system-assigned" : clientId) + "): " + reason);
    }
}
