package io.defenderalertroutes.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.defenderalertroutes.app.Application;
import io.defenderalertroutes.defender.Timestamps;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.emulator.DefenderEmulator;
import io.defenderalertroutes.testsupport.AlertFiles;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Emulated;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** defender.tls.trust-store decides what token requests and API calls trust; verification is never off. */
class TrustStoreTest {

    @TempDir
    Path dir;

    private Path storeWith(Certificate... certificates) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < certificates.length; i++) {
            store.setCertificateEntry("trusted-" + i, certificates[i]);
        }
        Path file = Files.createTempFile(dir, "trust", ".p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, "pw".toCharArray());
        }
        return file;
    }

    private Certificate emulatorCertificate() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(DefenderEmulator.trustStoreFile())) {
            store.load(in, DefenderEmulator.TRUST_STORE_PASSWORD.toCharArray());
        }
        return store.getCertificate(store.aliases().nextElement());
    }

    @Test
    void aTrustStoreOfItsOwnIsUsedForTokensAndCalls() throws Exception {
        try (DefenderEmulator emulator = Emulated.tenant()) {
            emulator.putAlert(Bundle.TENANT_ID, AlertJson.alert("tls-1", Timestamps.format(Instant.now().minus(Duration.ofHours(1))),
                    "New", "High", "Malware"));
            Map<String, String> settings = Bundle.tenantOn(emulator.baseUrl(), dir);

            // a store that trusts nothing: the emulator is refused, though the JVM's own store trusts it
            settings.put("defender.tls.trust-store", storeWith().toString());
            settings.put("defender.tls.trust-store-password", "pw");
            try (Bundle bundle = Bundle.start(settings)) {
                bundle.pollNow();
            }
            assertTrue(AlertFiles.list(dir.resolve("alerts")).isEmpty());
            assertEquals(0, emulator.tokenRequests(Bundle.TENANT_ID), "the token request never got past TLS");

            settings.put("defender.tls.trust-store", storeWith(emulatorCertificate()).toString());
            try (Bundle bundle = Bundle.start(settings)) {
                bundle.pollNow();
            }
            assertEquals(List.of("tls-1"), AlertFiles.alertIds(dir.resolve("alerts")));
        }
    }

    @Test
    void anUnreadableTrustStoreStopsStartUp() {
        Map<String, String> settings = Bundle.tenantOn("https://localhost:1", dir);
        settings.put("defender.tls.trust-store", dir.resolve("missing.p12").toString());
        Exception failure = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> Bundle.start(settings).close());
        assertTrue(Application.configurationMistake(failure).getMessage()
                .startsWith("Invalid configuration: defender.tls.trust-store: cannot load"));
    }
}
