package io.defenderalertroutes.auth;

import java.nio.file.Path;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.IClientCredential;

/**
 * A client secret, given as a value or in a file. A file is read again when it changes (a Kubernetes Secret
 * updated in place), and the new secret is used from the next token request on.
 */
public final class SecretSignIn implements SignIn {

    private final Path file;
    private final String key;
    private volatile ClientSecret secret;
    private volatile FileVersion read;

    private SecretSignIn(ClientSecret secret, Path file, String key) {
        this.secret = secret;
        this.file = file;
        this.key = key;
    }

    public static SecretSignIn of(ClientSecret secret) {
        return new SecretSignIn(secret, null, null);
    }

    /**
     * @param key the setting that named the file, for errors
     * @throws IllegalArgumentException naming the problem when the file cannot be read or is empty
     */
    public static SecretSignIn fromFile(Path file, String key) {
        SecretSignIn signIn = new SecretSignIn(null, file, key);
        signIn.reload();
        return signIn;
    }

    private synchronized void reload() {
        FileVersion now = FileVersion.of(file);
        if (now.equals(read) && secret != null) {
            return;
        }
        secret = new ClientSecret(SecretFiles.read(file, "file " + file));
        read = now;
    }

    @Override
    public IClientCredential credential() {
        return ClientCredentialFactory.createFromSecret(secret.reveal());
    }

    @Override
    public Object version() {
        if (file == null) {
            return 0;
        }
        try {
            reload();
        } catch (IllegalArgumentException e) {
            throw new TokenAcquisitionException(key + ": " + e.getMessage());
        }
        return read;
    }

    @Override
    public String scrub(String text) {
        ClientSecret current = secret;
        return current == null ? text : current.scrub(text);
    }

    @Override
    public String describe() {
        return file == null ? "client secret" : "client secret from " + file;
    }
}
