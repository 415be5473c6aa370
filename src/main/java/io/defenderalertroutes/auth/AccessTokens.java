package io.defenderalertroutes.auth;

/** Hands out a currently valid bearer token for one tenant. */
public interface AccessTokens {

    String accessToken();

    /** Forget the cached token, e.g. after the API answered 401, so that the next call fetches a new one. */
    void invalidate();

    /** When the credential signed in with expires: a certificate's end of validity; empty for other credentials. */
    default java.util.Optional<java.time.Instant> credentialExpires() {
        return java.util.Optional.empty();
    }

    /** How many tokens were fetched from the sign-in endpoint rather than served from a cache. */
    default long tokensIssued() {
        return 0;
    }
}
