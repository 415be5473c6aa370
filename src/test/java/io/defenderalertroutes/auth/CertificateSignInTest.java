package io.defenderalertroutes.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import io.defenderalertroutes.testsupport.Certificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A certificate file as cert-manager keeps it: a renewal half-written or unreadable leaves the last good certificate
 * in use, a good one is taken at the next request, and one left to expire fails every token request naming the key.
 */
class CertificateSignInTest {

    @TempDir
    Path dir;

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        private volatile Instant now = Instant.now();

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aBadRenewalKeepsTheLastGoodCertificateAndAnExpiredOneFailsNamingTheKey() throws Exception {
        Certificates.Issued first = Certificates.create(dir, "first", 20, 0);
        Certificates.Issued second = Certificates.create(dir, "second", 60, 0);
        Path pem = first.writePem(dir.resolve("tls.pem"));
        MovableClock clock = new MovableClock();
        CertificateSignIn signIn = new CertificateSignIn(pem, "defender.auth.certificate.path", null, null, false, clock);
        Object firstVersion = signIn.version();
        assertEquals(first.certificate().getNotAfter().toInstant(), signIn.expires().orElseThrow());

        // half-written: the last good certificate serves on
        Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\nMIIE");
        signIn.version();
        assertEquals(first.certificate().getNotAfter().toInstant(), signIn.expires().orElseThrow());

        // left like that past the first one's end: every token request fails, saying why
        clock.now = first.certificate().getNotAfter().toInstant().plus(Duration.ofMinutes(1));
        TokenAcquisitionException expired = assertThrows(TokenAcquisitionException.class, signIn::version);
        assertTrue(expired.getMessage().startsWith("defender.auth.certificate.path: the certificate CN=first expired at "),
                expired.getMessage());
        assertTrue(expired.getMessage().contains("its renewal cannot be used: ") && expired.getMessage().contains("holds no"),
                expired.getMessage());

        // the renewal lands whole: taken at the next request, no restart
        second.writePem(dir.resolve("next.pem"));
        Files.move(dir.resolve("next.pem"), pem, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Object renewed = signIn.version();
        assertTrue(!renewed.equals(firstVersion), "a new version, so the token application is built afresh");
        assertEquals(second.certificate().getNotAfter().toInstant(), signIn.expires().orElseThrow());
        assertTrue(signIn.describe().startsWith("certificate CN=second"), signIn.describe());
    }

    @Test
    void aKeystoreRenewedBeforeItsPasswordIsTakenOnceThePasswordFollows() throws Exception {
        Certificates.Issued first = Certificates.create(dir, "p12-first", 60, 0);
        Certificates.Issued second = Certificates.create(dir, "p12-second", 90, 0);
        Path keystore = dir.resolve("tls.p12");
        Files.copy(first.keyStore(), keystore);
        Path password = Files.writeString(dir.resolve("password"), first.password());
        CertificateSignIn signIn = new CertificateSignIn(keystore, "defender.auth.certificate.path", null, password, false,
                Clock.systemUTC());
        // the keystore's Secret updates first: its password is not there yet, the first certificate serves on
        Files.copy(second.keyStore(), keystore, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        signIn.version();
        assertTrue(signIn.describe().startsWith("certificate CN=p12-first"), signIn.describe());
        // then the password's: the renewal is taken
        Files.writeString(password, second.password());
        signIn.version();
        assertTrue(signIn.describe().startsWith("certificate CN=p12-second"), signIn.describe());
    }

    @Test
    void anOldCertificatePutBackKeepsTheValidOneAndKeysOfOtherKindsAreToldApart() throws Exception {
        Certificates.Issued valid = Certificates.create(dir, "valid", 60, 0);
        Certificates.Issued old = Certificates.create(dir, "old", 30, 60);
        Path pem = valid.writePem(dir.resolve("tls.pem"));
        CertificateSignIn signIn = new CertificateSignIn(pem, "defender.auth.certificate.path", null, null, false, Clock.systemUTC());
        old.writePem(dir.resolve("old.pem"));
        Files.move(dir.resolve("old.pem"), pem, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        signIn.version();
        assertTrue(signIn.describe().startsWith("certificate CN=valid"), "an expired renewal is not taken: " + signIn.describe());

        Path ec = Files.writeString(dir.resolve("ec.pem"), "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIA==\n-----END EC PRIVATE KEY-----\n");
        IllegalArgumentException notRsa = assertThrows(IllegalArgumentException.class,
                () -> new CertificateSignIn(ec, "k", null, null, false, Clock.systemUTC()));
        assertTrue(notRsa.getMessage().contains("not RSA"), notRsa.getMessage());
        Path legacy = Files.writeString(dir.resolve("legacy.pem"), "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
                + "DEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        IllegalArgumentException encrypted = assertThrows(IllegalArgumentException.class,
                () -> new CertificateSignIn(legacy, "k", null, null, false, Clock.systemUTC()));
        assertTrue(encrypted.getMessage().contains("encrypted PEM key"), encrypted.getMessage());
    }
}
