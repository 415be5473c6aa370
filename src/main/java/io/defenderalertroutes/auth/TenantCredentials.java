package io.defenderalertroutes.auth;

/** What Entra ID needs to issue a token for one tenant's app registration, and where to ask. */
public record TenantCredentials(String tenantId, String clientId, SignIn signIn, String authorityUrl,
        String scope) {

    @Override
    public String toString() {
        return "TenantCredentials[tenantId=" + tenantId + ", clientId=" + clientId + ", signIn=" + signIn.describe() + ", authorityUrl="
                + authorityUrl + ", scope=" + scope + "]";
    }
}
