package io.defenderalertroutes.testsupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateExpiredException;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CertificatesTest {

    @TempDir
    Path dir;

    @Test
    void makesAValidRsaCertificateItsKeyAndAReadableKeyStore() throws Exception {
        Certificates.Issued issued = Certificates.create(dir, "routes-test", 30, 0);

        issued.certificate().checkValidity();
        assertEquals("CN=routes-test", issued.certificate().getSubjectX500Principal().getName());
        assertEquals(2048, ((RSAPublicKey) issued.certificate().getPublicKey()).getModulus().bitLength());
        assertEquals("RSA", issued.privateKey().getAlgorithm());
        Instant notAfter = issued.certificate().getNotAfter().toInstant();
        assertTrue(Duration.between(Instant.now(), notAfter).toDays() >= 29, "valid for about 30 days: " + notAfter);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(issued.keyStore())) {
            store.load(in, issued.password().toCharArray());
        }
        assertEquals(1, store.size());
    }

    @Test
    void aStartInThePastMakesAnExpiredCertificate() {
        Certificates.Issued expired = Certificates.create(dir, "expired", 5, 10);

        assertThrows(CertificateExpiredException.class, () -> expired.certificate().checkValidity());
    }

    @Test
    void writesPemKeyThenCertificateInLinesOf64() throws Exception {
        Certificates.Issued issued = Certificates.create(dir, "pem", 30, 0);

        List<String> both = Files.readAllLines(issued.writePem(dir.resolve("both.pem")));
        List<String> key = Files.readAllLines(issued.writePemKeyOnly(dir.resolve("key.pem")));
        List<String> cert = Files.readAllLines(issued.writePemCertificateOnly(dir.resolve("cert.pem")));

        assertEquals("-----BEGIN PRIVATE KEY-----", both.get(0));
        assertTrue(both.indexOf("-----BEGIN CERTIFICATE-----") > both.indexOf("-----END PRIVATE KEY-----"));
        assertTrue(both.stream().allMatch(line -> line.length() <= 64), "64-character lines");
        assertTrue(key.contains("-----END PRIVATE KEY-----") && !key.contains("-----BEGIN CERTIFICATE-----"));
        assertTrue(cert.contains("-----BEGIN CERTIFICATE-----") && !cert.contains("-----BEGIN PRIVATE KEY-----"));
    }
}
