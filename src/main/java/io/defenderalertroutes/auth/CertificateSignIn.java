package io.defenderalertroutes.auth;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

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
    private final char[] password;
    private final Path passwordFile;
    private final boolean sendX5c;
    private final Clock clock;
    private volatile CertificateFile current;
    private volatile List<FileVersion> read;
    private volatile String unreadable;

    /**
     * @param key          the setting that named the file, for errors
     * @param password     the PKCS#12 password given as a value, or null
     * @param passwordFile the file holding it instead (renewed with the keystore, maybe a moment apart), or null
     * @throws IllegalArgumentException naming the problem when the file is not a usable certificate
     */
    public CertificateSignIn(Path file, String key, char[] password, Path passwordFile, boolean sendX5c, Clock clock) {
        this.file = file;
        this.key = key;
        this.password = password;
        this.passwordFile = passwordFile;
        this.sendX5c = sendX5c;
        this.clock = clock;
        this.read = versions();
        this.current = CertificateFile.read(file, password());
        Instant expired = current.certificate().getNotAfter().toInstant();
        if (!expired.isAfter(clock.instant())) {
            throw new IllegalArgumentException("the certificate " + subject(current) + " in " + file + " expired at " + expired);
        }
    }

    /** The keystore's and its password file's versions: either changing is a renewal to read. */
    private List<FileVersion> versions() {
        return passwordFile == null ? List.of(FileVersion.of(file)) : List.of(FileVersion.of(file), FileVersion.of(passwordFile));
    }

    private char[] password() {
        if (passwordFile == null) {
            return password == null ? null : password.clone();
        }
        return SecretFiles.read(passwordFile, "the password file " + passwordFile).toCharArray();
    }

    private static String subject(CertificateFile file) {
        return file.certificate().getSubjectX500Principal().getName();
    }

    /**
     * Reads the files again when either changed since the last read. Whatever goes wrong with a renewal (half
     * written, a password not there yet, already expired), the last good certificate serves until it expires.
     */
    private synchronized void refresh() {
        List<FileVersion> now = versions();
        if (now.equals(read)) {
            return;
        }
        read = now;
        try {
            CertificateFile renewed = CertificateFile.read(file, password());
            Instant expires = renewed.certificate().getNotAfter().toInstant();
            if (!expires.isAfter(clock.instant())) {
                throw new IllegalArgumentException("its certificate " + subject(renewed) + " expired at " + expires);
            }
            current = renewed;
            unreadable = null;
        } catch (RuntimeException e) {
            unreadable = e.getMessage();
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
