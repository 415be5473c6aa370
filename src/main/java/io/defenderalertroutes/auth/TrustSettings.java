package io.defenderalertroutes.auth;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

/**
 * Which certificates outbound HTTPS to Microsoft trusts. Verification is always on; what can change is the
 * trust store: the JVM's (which honours {@code javax.net.ssl.trustStore}) or a file of its own, for a TLS
 * inspecting proxy or a private emulator. The same store serves token requests (msal4j) and API calls (Camel).
 */
public final class TrustSettings {

    private final Path trustStore;
    private final String password;
    private final String type;

    /** @param trustStore a trust store file, or null for the JVM's */
    public TrustSettings(Path trustStore, String password, String type) {
        this.trustStore = trustStore;
        this.password = password;
        this.type = type;
    }

    public boolean custom() {
        return trustStore != null;
    }

    /** For msal4j; null means the JVM's default. */
    public SSLContext sslContext() throws GeneralSecurityException, IOException {
        if (trustStore == null) {
            return null;
        }
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(trustStore)) {
            store.load(in, password == null ? null : password.toCharArray());
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    /** For Camel's HTTP endpoints; with no trust store of its own, the JVM's defaults. */
    public SSLContextParameters camelParameters() {
        SSLContextParameters parameters = new SSLContextParameters();
        if (trustStore != null) {
            KeyStoreParameters store = new KeyStoreParameters();
            store.setResource("file:" + trustStore.toAbsolutePath());
            store.setPassword(password);
            store.setType(type);
            TrustManagersParameters trust = new TrustManagersParameters();
            trust.setKeyStore(store);
            parameters.setTrustManagers(trust);
        }
        return parameters;
    }
}
