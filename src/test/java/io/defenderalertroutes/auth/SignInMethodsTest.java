package io.defenderalertroutes.auth;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.defenderalertroutes.app.Application;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.emulator.FederatedIssuer;
import io.defenderalertroutes.testsupport.AlertFiles;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Certificates;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.EmulatedTenant;
import io.defenderalertroutes.testsupport.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Signing in without a client secret, against the emulator's Entra ID, which checks client assertions as Entra does:
 * a certificate (PEM or PKCS#12) and a workload identity's federated token each sign in and poll, a renewed
 * certificate and a rewritten token file are used without a restart, and the key, the password and the token appear
 * in no log line.
 */
class SignInMethodsTest {

    private static final String SUBJECT = "system:serviceaccount:security:defender-alert-routes";

    @RegisterExtension
    final EmulatedTenant tenant = new EmulatedTenant();

    private void alert(String id) {
        tenant.emulator().putAlert(Bundle.TENANT_ID, AlertJson.alert(id, Emulated.ago(Duration.ofMinutes(5)), "New", "High", "Malware"));
    }

    private List<String> delivered() throws Exception {
        return AlertFiles.alertIds(tenant.dir().resolve("alerts/contoso"));
    }

    private Map<String, String> signInWith(String method) {
        Map<String, String> settings = tenant.settings();
        settings.remove("defender.client-secret");
        settings.put("defender.auth.method", method);
        return settings;
    }

    /**
     * No file the run wrote (state, checkpoints, dedup keys, alerts, dead letters) holds any of {@code material}; the
     * credential files the test itself put in the directory are left out.
     */
    private void assertNothingWrittenHolds(java.util.Set<Path> inputs, String... material) throws Exception {
        try (var files = Files.walk(tenant.dir())) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> !inputs.contains(f))
                    .filter(f -> !f.getFileName().toString().matches(".*\\.(pem|p12)|p12-password|azure-identity-token"))
                    .toList()) {
                String text = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
                for (String secret : material) {
                    assertFalse(text.contains(secret), () -> "credential material in " + tenant.dir().relativize(file));
                }
            }
        }
    }

    private String startUpError() {
        Exception e = assertThrows(Exception.class, () -> tenant.start().close());
        return Application.configurationMistake(e).getMessage();
    }

    @Test
    void aCertificateSignsInAndARenewedOneIsUsedWithoutARestart() throws Exception {
        Certificates.Issued first = Certificates.create(tenant.dir(), "defender-first", 365, 0);
        Certificates.Issued renewed = Certificates.create(tenant.dir(), "defender-renewed", 365, 0);
        tenant.emulator().registerCertificate(Bundle.TENANT_ID, Bundle.CLIENT_ID, first.certificate());
        Path pem = first.writePem(tenant.dir().resolve("defender.pem"));
        signInWith("certificate").put("defender.auth.certificate.path", pem.toString());
        alert("c1");
        List<String> log;
        try (LogCapture capture = new LogCapture()) {
            try (Bundle bundle = tenant.start()) {
                bundle.pollNow();
                assertEquals(List.of("c1"), delivered());
                assertEquals(1, tenant.emulator().assertionsAccepted(Bundle.TENANT_ID), "signed in with an assertion");

                // cert-manager renews the certificate: the app now trusts the new one only, and the file holds it
                tenant.emulator().registerCertificate(Bundle.TENANT_ID, Bundle.CLIENT_ID, renewed.certificate());
                tenant.emulator().removeCertificate(Bundle.TENANT_ID, Bundle.CLIENT_ID, first.certificate());
                Path next = renewed.writePem(tenant.dir().resolve("renewed.pem"));
                Files.move(next, pem, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                alert("c2");
                bundle.pollNow();
                assertEquals(List.of("c1", "c2"), delivered());
                assertEquals(2, tenant.emulator().assertionsAccepted(Bundle.TENANT_ID),
                        "the renewed certificate asked for a token of its own at once");
            }
            log = capture.lines();
        }
        String key = Base64.getEncoder().encodeToString(first.privateKey().getEncoded()).substring(0, 40);
        for (String line : log) {
            assertFalse(line.contains(key), () -> "the private key in a log line: " + line);
            assertFalse(line.contains("eyJ") && line.contains("client_assertion"), () -> "an assertion in a log line: " + line);
        }
        assertTrue(log.stream().anyMatch(l -> l.contains("signs in with certificate CN=defender-first")), "the start-up line names it");
        assertNothingWrittenHolds(java.util.Set.of(pem), key);
        assertTrue(Files.exists(tenant.dir().resolve("state/contoso.checkpoint")), "the run wrote its state");
    }

    @Test
    void aPkcs12FileWithItsPasswordSignsIn() throws Exception {
        Certificates.Issued issued = Certificates.create(tenant.dir(), "defender-p12", 365, 0);
        tenant.emulator().registerCertificate(Bundle.TENANT_ID, Bundle.CLIENT_ID, issued.certificate());
        Path passwordFile = Files.writeString(tenant.dir().resolve("p12-password"), issued.password() + "\n");
        Map<String, String> settings = signInWith("certificate");
        settings.put("defender.auth.certificate.path", issued.keyStore().toString());
        settings.put("defender.auth.certificate.password-file", passwordFile.toString());
        alert("p1");
        List<String> log;
        try (LogCapture capture = new LogCapture()) {
            try (Bundle bundle = tenant.start()) {
                bundle.pollNow();
            }
            log = capture.lines();
        }
        assertEquals(List.of("p1"), delivered());
        for (String line : log) {
            assertFalse(line.contains(issued.password()), () -> "the password in a log line: " + line);
        }
        assertNothingWrittenHolds(java.util.Set.of(issued.keyStore(), passwordFile), issued.password());
    }

    @Test
    void aWorkloadIdentitySignsInWithATokenFileReadAtEveryRequest() throws Exception {
        FederatedIssuer issuer = new FederatedIssuer();
        tenant.emulator().registerFederatedCredential(Bundle.TENANT_ID, Bundle.CLIENT_ID, issuer.issuer(), SUBJECT,
                issuer.publicKey());
        // tokens of Microsoft's side that live a second: every poll asks for one
        tenant.emulator().setTokenLifetime(Duration.ofSeconds(1));
        String first = issuer.mint(SUBJECT, Duration.ofSeconds(3));
        Path tokenFile = Files.writeString(tenant.dir().resolve("azure-identity-token"), first);
        signInWith("workload-identity").put("defender.auth.federated-token-file", tokenFile.toString());
        alert("w1");
        List<String> log;
        try (LogCapture capture = new LogCapture()) {
            try (Bundle bundle = tenant.start()) {
                bundle.pollNow();
                assertEquals(List.of("w1"), delivered());
                // the first token expires; the kubelet has written the next one
                await().atMost(Duration.ofSeconds(10)).until(() -> issuerTokenExpired(first));
                Files.writeString(tokenFile, issuer.mint(SUBJECT, Duration.ofHours(1)));
                alert("w2");
                bundle.pollNow();
                assertEquals(List.of("w1", "w2"), delivered());
                assertTrue(tenant.emulator().assertionsAccepted(Bundle.TENANT_ID) >= 2, "a token per poll");
            }
            log = capture.lines();
        }
        String signature = first.substring(first.lastIndexOf('.') + 1, first.lastIndexOf('.') + 30);
        for (String line : log) {
            assertFalse(line.contains(signature), () -> "the federated token in a log line: " + line);
        }
        assertNothingWrittenHolds(java.util.Set.of(tokenFile), signature);
    }

    private static boolean issuerTokenExpired(String token) {
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), java.nio.charset.StandardCharsets.UTF_8);
        long exp = Long.parseLong(payload.replaceAll(".*\"exp\":(\\d+).*", "$1"));
        return java.time.Instant.now().getEpochSecond() > exp;
    }

    @Test
    void startUpRefusesWhatCannotSignInInOneLine() throws Exception {
        Certificates.Issued issued = Certificates.create(tenant.dir(), "defender-errors", 365, 0);
        Certificates.Issued other = Certificates.create(tenant.dir(), "defender-other", 365, 0);
        Certificates.Issued expired = Certificates.create(tenant.dir(), "defender-expired", 30, 60);
        Map<String, String> settings = signInWith("certificate");

        settings.put("defender.auth.certificate.path", tenant.dir().resolve("missing.pem").toString());
        assertTrue(startUpError().startsWith("Invalid configuration: defender.auth.certificate.path: cannot read "), startUpError());

        settings.put("defender.auth.certificate.path", issued.writePemCertificateOnly(tenant.dir().resolve("cert-only.pem")).toString());
        assertTrue(startUpError().contains("defender.auth.certificate.path: ") && startUpError().contains("holds no private key"), startUpError());

        settings.put("defender.auth.certificate.path", issued.writePemKeyOnly(tenant.dir().resolve("key-only.pem")).toString());
        assertTrue(startUpError().contains("holds no certificate"), startUpError());

        Path mismatched = tenant.dir().resolve("mismatched.pem");
        Files.writeString(mismatched, Files.readString(issued.writePemKeyOnly(tenant.dir().resolve("k.pem")))
                + Files.readString(other.writePemCertificateOnly(tenant.dir().resolve("c.pem"))));
        settings.put("defender.auth.certificate.path", mismatched.toString());
        assertTrue(startUpError().contains("does not belong to its certificate CN=defender-other"), startUpError());

        settings.put("defender.auth.certificate.path", expired.writePem(tenant.dir().resolve("expired.pem")).toString());
        assertTrue(startUpError().contains("the certificate CN=defender-expired") && startUpError().contains("expired at"), startUpError());

        settings.put("defender.auth.certificate.path", issued.keyStore().toString());
        settings.put("defender.auth.certificate.password", "not-the-password");
        assertTrue(startUpError().startsWith("Invalid configuration: defender.auth.certificate.password: the password does not open"),
                startUpError());
        settings.remove("defender.auth.certificate.password");

        settings.put("defender.auth.certificate.path", issued.writePem(tenant.dir().resolve("good.pem")).toString());
        settings.put("defender.client-secret", "a-secret-beside-a-certificate");
        assertEquals("Invalid configuration: defender.client-secret: belongs to defender.auth.method=client-secret, but "
                + "this tenant signs in with certificate; remove it, or set defender.auth.method=client-secret", startUpError());
        settings.remove("defender.client-secret");

        settings.put("defender.auth.method", "kerberos");
        assertEquals("Invalid configuration: defender.auth.method: unknown method 'kerberos'; expected client-secret, "
                + "certificate, workload-identity or managed-identity", startUpError());

        settings.put("defender.auth.method", "workload-identity");
        settings.remove("defender.auth.certificate.path");
        settings.put("defender.auth.federated-token-file", tenant.dir().resolve("no-token").toString());
        assertTrue(startUpError().startsWith("Invalid configuration: defender.auth.federated-token-file: cannot read "), startUpError());
    }

    @Test
    void aCertificateNearItsEndShowsOnTheStatusPageInMetricsAndIsLoggedOnce() throws Exception {
        Certificates.Issued soon = Certificates.create(tenant.dir(), "defender-soon", 10, 0);
        tenant.emulator().registerCertificate(Bundle.TENANT_ID, Bundle.CLIENT_ID, soon.certificate());
        Map<String, String> settings = signInWith("certificate");
        settings.put("defender.auth.certificate.path", soon.writePem(tenant.dir().resolve("soon.pem")).toString());
        settings.put("camel.management.host", "127.0.0.1");
        io.defenderalertroutes.testsupport.Management management = io.defenderalertroutes.testsupport.Management.on(settings);
        alert("s1");
        List<String> log;
        try (LogCapture capture = new LogCapture()) {
            try (Bundle bundle = tenant.start()) {
                bundle.pollNow();
                bundle.pollNow();
                com.fasterxml.jackson.databind.JsonNode row = new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(management.get("/observe/status.json").body()).path("rows").get(0);
                assertEquals(soon.certificate().getNotAfter().toInstant().toString().substring(0, 19),
                        row.path("certificateExpires").asText().substring(0, 19), row.toString());
                double seconds = io.defenderalertroutes.testsupport.Management.sample(management.metrics(),
                        "defender_credential_expiry_seconds", "tenant=\"contoso\"").orElseThrow();
                assertTrue(seconds > Duration.ofDays(9).toSeconds() && seconds <= Duration.ofDays(10).toSeconds(),
                        "seconds until it expires: " + seconds);
            }
            log = capture.lines();
        }
        assertEquals(1, log.stream().filter(l -> l.contains("the certificate it signs in with expires at")).count(),
                "warned once, not at every poll");
        assertEquals(List.of("s1"), delivered());
    }

    @Test
    void aManagedIdentitySignsInSystemAssignedOrUserAssignedAndPolls() throws Exception {
        String userAssigned = "5b6c7d8e-0000-4000-8000-00000000a11d";
        tenant.emulator().registerManagedIdentity(Bundle.TENANT_ID, "4a5b6c7d-0000-4000-8000-0000005y5tem");
        tenant.emulator().registerManagedIdentity(Bundle.TENANT_ID, userAssigned);
        Map<String, String> settings = signInWith("managed-identity");
        settings.remove("defender.client-id");
        // what App Service puts in the process's environment; msal4j reads it through its own hook here
        try (var azure = com.microsoft.aad.msal4j.ManagedIdentityTestEnvironment.use(Map.of(
                "IDENTITY_ENDPOINT", tenant.emulator().managedIdentityEndpoint(),
                "IDENTITY_HEADER", tenant.emulator().managedIdentityHeader()))) {
            alert("m1");
            try (Bundle bundle = tenant.start()) {
                bundle.pollNow();
            }
            assertEquals(List.of("m1"), delivered());
            assertEquals(1, tenant.emulator().managedIdentityTokens(Bundle.TENANT_ID), "the system-assigned identity's token");

            com.microsoft.aad.msal4j.ManagedIdentityTestEnvironment.clearTokenCache();
            settings.put("defender.client-id", userAssigned);
            alert("m2");
            try (Bundle bundle = tenant.start()) {
                bundle.pollNow();
            }
            assertEquals(List.of("m1", "m2"), delivered());
            assertEquals(2, tenant.emulator().managedIdentityTokens(Bundle.TENANT_ID), "the user-assigned identity's token");
        }
    }

    @Test
    void theTenantAManagedIdentityTokenNamesIsRead() {
        String claims = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"aud\":\"https://api.securitycenter.microsoft.com\",\"tid\":\"11111111-2222-4333-8444-555555555555\"}"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(java.util.Optional.of("11111111-2222-4333-8444-555555555555"),
                ManagedIdentityTokens.tenantOf("eyJhbGciOiJSUzI1NiJ9." + claims + ".c2lnbmF0dXJl"));
        assertEquals(java.util.Optional.empty(), ManagedIdentityTokens.tenantOf("an-opaque-token"));
    }

    @Test
    void aSecretFileRotatedOnDiskIsUsedWithoutARestart() throws Exception {
        Path secretFile = Files.writeString(tenant.dir().resolve("client-secret"), Bundle.CLIENT_SECRET + "\n");
        Map<String, String> settings = tenant.settings();
        settings.remove("defender.client-secret");
        settings.put("defender.client-secret-file", secretFile.toString());
        alert("r1");
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
            assertEquals(List.of("r1"), delivered());
            // the secret is rotated on the app registration and in the mounted Secret; old tokens are gone
            String rotated = "rotated~Secret-0f-the-next-quarter";
            tenant.emulator().registerClient(Bundle.TENANT_ID, Bundle.CLIENT_ID, rotated);
            tenant.emulator().revokeTokens(Bundle.TENANT_ID);
            Path next = Files.writeString(tenant.dir().resolve("client-secret.next"), rotated + "\n");
            Files.move(next, secretFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            alert("r2");
            bundle.pollNow();
            assertEquals(List.of("r1", "r2"), delivered(), "the next token request used the rotated secret");
        }
    }
}
