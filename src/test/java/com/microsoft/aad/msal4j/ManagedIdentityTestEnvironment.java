package com.microsoft.aad.msal4j;

import java.util.Map;

/**
 * Lets a test hand msal4j's managed identity code its environment variables: msal4j reads them through
 * {@code ManagedIdentityApplication.setEnvironmentVariables}, a package-private hook its own tests use, and a JVM
 * cannot change its real environment. Lives in msal4j's package for that reason only; tests only.
 *
 * <p>Both the variables and msal4j's token cache for managed identities are static, shared by every
 * {@code ManagedIdentityApplication} in the JVM, so tests that use this must not run side by side in one JVM.
 */
public final class ManagedIdentityTestEnvironment implements AutoCloseable {

    private ManagedIdentityTestEnvironment() {
    }

    /**
     * From now until {@link #close()}, msal4j sees exactly these variables (any other reads as unset) and starts
     * with an empty managed identity token cache, as a new process would.
     */
    public static ManagedIdentityTestEnvironment use(Map<String, String> variables) {
        Map<String, String> copy = Map.copyOf(variables);
        clearTokenCache();
        ManagedIdentityApplication.setEnvironmentVariables(copy::get);
        return new ManagedIdentityTestEnvironment();
    }

    /**
     * Empties the token cache all managed identity applications of the JVM share; it is keyed by identity and
     * resource, not by endpoint, so a token from an earlier test's emulator would otherwise be served again.
     */
    public static void clearTokenCache() {
        ManagedIdentityApplication.getSharedTokenCache().accessTokens.clear();
    }

    /** Back to the process's real environment, with an empty cache. */
    @Override
    public void close() {
        ManagedIdentityApplication.setEnvironmentVariables(null);
        clearTokenCache();
    }
}
