package io.defenderalertroutes.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed RSA certificates for certificate sign-in tests, made by the JDK's own {@code keytool} so that no
 * library is needed for the job and the validity window can start in the past (an expired certificate, or one
 * that expires in N days).
 */
public final class Certificates {

    private static final String ALIAS = "app";

    private Certificates() {
    }

    /** A certificate, its private key and the PKCS#12 file holding both. */
    public record Issued(Path keyStore, String password, PrivateKey privateKey, X509Certificate certificate) {

        /** Key then certificate, as Azure tooling writes a combined PEM file. */
        public Path writePem(Path file) {
            return write(file, pem("PRIVATE KEY", privateKey.getEncoded()) + pem("CERTIFICATE", encoded()));
        }

        public Path writePemKeyOnly(Path file) {
            return write(file, pem("PRIVATE KEY", privateKey.getEncoded()));
        }

        public Path writePemCertificateOnly(Path file) {
            return write(file, pem("CERTIFICATE", encoded()));
        }

        private byte[] encoded() {
            try {
                return certificate.getEncoded();
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }

        private static Path write(Path file, String text) {
            try {
                return Files.writeString(file, text, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * @param validityDays how long the certificate is valid, counted from its start
     * @param startDaysAgo how many days before now it starts (0: now); more than {@code validityDays} makes it
     *                     already expired
     */
    public static Issued create(Path dir, String commonName, int validityDays, int startDaysAgo) {
        if (validityDays < 1 || startDaysAgo < 0) {
            throw new IllegalArgumentException("validity must be at least a day and the start not in the future");
        }
        String password = UUID.randomUUID().toString();
        Path keyStore = dir.resolve(commonName.replaceAll("[^A-Za-z0-9._-]", "_") + "-"
                + UUID.randomUUID().toString().substring(0, 8) + ".p12");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", ALIAS, "-keyalg", "RSA", "-keysize", "2048", "-sigalg", "SHA256withRSA",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", password, "-keypass", password,
                "-dname", "CN=" + commonName, "-validity", Integer.toString(validityDays)));
        if (startDaysAgo > 0) {
            command.add("-startdate");
            command.add("-" + startDaysAgo + "d");
        }
        run(command, dir);
        return load(keyStore, password);
    }

    private static void run(List<String> command, Path dir) {
        try {
            Path log = Files.createTempFile(dir, "keytool", ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool did not finish within 60 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed (" + process.exitValue() + "): "
                        + Files.readString(log));
            }
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Issued load(Path keyStore, String password) {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            PrivateKey key = (PrivateKey) store.getKey(ALIAS, password.toCharArray());
            X509Certificate certificate = (X509Certificate) store.getCertificate(ALIAS);
            return new Issued(keyStore, password, key, certificate);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot read " + keyStore, e);
        }
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
