package io.defenderalertroutes.auth;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.IClientCredential;

/**
 * A certificate credential: msal4j signs a client assertion with the private key, naming the certificate by its
 * thumbprint (and sending the chain with {@code send-x5c}, for subject-name/issuer authentication). The file is read
 * again when it changes, as cert-manager renews it; a renewal that cannot be read keeps the last good certificate
 * until it expires, and says why at each token request.
 */
public final class CertificateSignIn implements SignIn {

    private final Path file;
    private final String key;
    private final Supplier<char[]> password;
    private final boolean sendX5c;
    private final Clock clock;
    private volatile CertificateFile current;
    private volatile FileVersion read;
    private volatile String unreadable;

    /**
     * @param key      the setting that named the file, for errors
     * @param password the PKCS#12 password as it is now (a file of its own rotates with it), or null for PEM
     * @throws IllegalArgumentException naming the problem when the file is not a usable certificate
     */
    public CertificateSignIn(Path file, String key, Supplier<char[]> password, boolean sendX5c, Clock clock) {
        this.file = file;
        this.key = key;
        this.password = password;
        this.sendX5c = sendX5c;
        this.clock = clock;
        this.read = FileVersion.of(file);
        this.current = CertificateFile.read(file, password == null ? null : password.get());
        Instant expired = current.certificate().getNotAfter().toInstant();
        if (!expired.isAfter(clock.instant())) {
            throw new IllegalArgumentException("the certificate " + subject(current) + " in " + file + " expired at " + expired);
        }
    }

    private static String subject(CertificateFile file) {
        return file.certificate().getSubjectX500Principal().getName();
    }

    /** Reads the file again when it changed since the last read. */
    private synchronized void refresh() {
        FileVersion now = FileVersion.of(file);
        if (!now.equals(read)) {
            try {
                current = CertificateFile.read(file, password == null ? null : password.get());
                unreadable = null;
            } catch (IllegalArgumentException e) {
                // half-written while being renewed, or a bad renewal: the last good one serves until it expires
                unreadable = e.getMessage();
            }
            read = now;
        }
    }

    @Override
    public synchronized Object version() {
        refresh();
        Instant expires = current.certificate().getNotAfter().toInstant();
        if (!expires.isAfter(clock.instant())) {
            throw new TokenAcquisitionException(key + ": the certificate " + subject(current) + " expired at " + expires
                    + (unreadable != null ? "; its renewal cannot be used: " + unreadable : "; renew it (the file is read "
                            + "again when it changes, without a restart)"));
        }
        return current;
    }

    @Override
    public IClientCredential credential() {
        CertificateFile file = current;
        return ClientCredentialFactory.createFromCertificateChain(file.key(), file.chain());
    }

    @Override
    public boolean sendX5c() {
        return sendX5c;
    }

    @Override
    public Optional<Instant> expires() {
        refresh();
        return Optional.of(current.certificate().getNotAfter().toInstant());
    }

    @Override
    public String describe() {
        CertificateFile file = current;
        return "certificate " + subject(file) + " (expires " + file.certificate().getNotAfter().toInstant() + ") from "
                + this.file;
    }
}
