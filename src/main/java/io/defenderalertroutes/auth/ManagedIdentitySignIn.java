package io.defenderalertroutes.auth;

import java.time.Duration;

import com.microsoft.aad.msal4j.IClientCredential;

/**
 * An Azure managed identity: no credential in the bundle at all; the Azure service it runs on vouches for it.
 * System-assigned without a client ID, user-assigned with the identity's client ID ({@code defender.client-id}).
 */
public final class ManagedIdentitySignIn implements SignIn {

    @Override
    public IClientCredential credential() {
        throw new IllegalStateException("a managed identity signs in without a client credential");
    }

    @Override
    public AccessTokens tokens(TenantCredentials credentials, Duration timeout, javax.net.ssl.SSLContext tls) {
        return new ManagedIdentityTokens(credentials.tenantId(), credentials.clientId(), credentials.scope(), timeout, tls);
    }

    @Override
    public String describe() {
        return "managed identity";
    }
}
