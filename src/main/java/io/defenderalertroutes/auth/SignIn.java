package io.defenderalertroutes.auth;

import java.time.Instant;
import java.util.Optional;

import com.microsoft.aad.msal4j.IClientCredential;

/**
 * How one tenant's app registration proves itself to Entra ID: a client secret, a certificate or a federated token
 * (workload identity). Material kept in a file is read again when the file changes on disk, so that the kubelet's or
 * cert-manager's rotation takes effect at the next token request without a restart.
 */
public interface SignIn {

    /** msal4j's credential as the material stands now. */
    IClientCredential credential();

    /**
     * What identifies the material now: when it differs from the last one, the sign-in was rotated and the
     * token application is built afresh around {@link #credential()}. Constant for material that cannot change.
     */
    default Object version() {
        return 0;
    }

    /** Replaces any credential material in a text that is about to leave our hands. */
    default String scrub(String text) {
        return text;
    }

    /** The method, for logs and the status page: never the material itself. */
    String describe();

    /** When the certificate signed in with expires, for a certificate. */
    default Optional<Instant> expires() {
        return Optional.empty();
    }

    /** The tokens this sign-in gets for the tenant: a confidential client's, unless it is a managed identity. */
    default AccessTokens tokens(TenantCredentials credentials, java.time.Duration timeout, javax.net.ssl.SSLContext tls) {
        return new MsalAccessTokens(credentials, timeout, tls);
    }

    /** Whether msal4j should send the certificate chain (x5c) with each sign-in. */
    default boolean sendX5c() {
        return false;
    }
}
