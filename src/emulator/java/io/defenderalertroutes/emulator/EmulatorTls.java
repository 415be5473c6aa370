package io.defenderalertroutes.emulator;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/**
 * The emulator's fixed, self-signed localhost certificate (see {@code emulator/README.md}). It is public test
 * material: a client trusts it only through the separate trust store, never through the JDK's default one.
 */
final class EmulatorTls {

    static final String PASSWORD = "emulator-only";

    private static final String KEY_STORE_RESOURCE = "/emulator/emulator-tls.p12";
    private static final String TRUST_STORE_RESOURCE = "/emulator/emulator-trust.p12";

    private static Path trustStoreFile;

    private EmulatorTls() {
    }

    static SSLContext serverContext() {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load(KEY_STORE_RESOURCE), PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot set up the emulator's TLS key", e);
        }
    }

    static SSLContext clientContext() {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load(TRUST_STORE_RESOURCE));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot set up trust in the emulator's certificate", e);
        }
    }

    /** A file, because {@code javax.net.ssl.trustStore} and most HTTP clients take a path, not a resource. */
    static synchronized Path trustStoreFile() {
        if (trustStoreFile == null || !Files.exists(trustStoreFile)) {
            try (InputStream in = resource(TRUST_STORE_RESOURCE)) {
                Path file = Files.createTempFile("emulator-trust-", ".p12");
                file.toFile().deleteOnExit();
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                trustStoreFile = file;
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot copy the emulator trust store to a file", e);
            }
        }
        return trustStoreFile;
    }

    private static KeyStore load(String resource) throws GeneralSecurityException {
        try (InputStream in = resource(resource)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + resource, e);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = EmulatorTls.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException("Missing resource " + name);
        }
        return in;
    }
}
