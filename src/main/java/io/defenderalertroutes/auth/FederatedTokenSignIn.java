package io.defenderalertroutes.auth;

import java.nio.file.Path;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.IClientCredential;

/**
 * Workload identity: a token another issuer gave this workload (on AKS, the service account token the kubelet
 * projects into the pod and rewrites about hourly), exchanged with Entra ID as a client assertion. msal4j asks for
 * the assertion at every token request, and the file is read each time, so a rewritten token is used at once. Many
 * tenants may share one file: each app registration trusts the same issuer and subject.
 */
public final class FederatedTokenSignIn implements SignIn {

    private final Path file;
    private final String key;
    private volatile String lastToken;

    /**
     * @param key the setting that named the file, for errors
     * @throws IllegalArgumentException naming the problem when the file cannot be read or is empty
     */
    public FederatedTokenSignIn(Path file, String key) {
        this.file = file;
        this.key = key;
        read();
    }

    private String read() {
        String token = SecretFiles.read(file, "file " + file);
        lastToken = token;
        return token;
    }

    @Override
    public IClientCredential credential() {
        return ClientCredentialFactory.createFromCallback(() -> {
            try {
                return read();
            } catch (IllegalArgumentException e) {
                throw new TokenAcquisitionException(key + ": " + e.getMessage());
            }
        });
    }

    @Override
    public String scrub(String text) {
        String token = lastToken;
        return text == null || token == null ? text : text.replace(token, "****");
    }

    @Override
    public String describe() {
        return "workload identity, federated token from " + file;
    }
}
