package io.defenderalertroutes.observe;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.emulator.DefenderEmulator;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.EmulatedTenant;
import io.defenderalertroutes.testsupport.LogCapture;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.subethamail.smtp.auth.EasyAuthenticationHandlerFactory;
import org.subethamail.smtp.server.SMTPServer;

/**
 * Failure notices by e-mail, against a real SMTP server (SubEthaSMTP) that accepts mail only after STARTTLS and
 * authentication: each notice's tenant, reason and fix are in the text, many tenants failing at once give one mail,
 * and the SMTP password appears in no log line.
 */
class EmailNoticesTest {

    private static final String SMTP_USER = "notices@contoso.example";
    private static final String SMTP_PASSWORD = "smtp-Pa55word-never-logged";
    private static final String OTHER = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
    private static final String THIRD = "7a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6e";

    @RegisterExtension
    final EmulatedTenant tenant = new EmulatedTenant();

    private final List<MimeMessage> received = new CopyOnWriteArrayList<>();
    private final List<String> logins = new CopyOnWriteArrayList<>();
    private SMTPServer smtp;

    @BeforeEach
    void smtpServer() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        smtp = SMTPServer.port(port).hostName("localhost")
                .startTlsSocketFactory(DefenderEmulator.serverSslContext()).requireTLS().requireAuth()
                .authenticationHandlerFactory(new EasyAuthenticationHandlerFactory((user, password, context) -> {
                    logins.add(user);
                    if (!SMTP_USER.equals(user) || !SMTP_PASSWORD.equals(password)) {
                        throw new org.subethamail.smtp.auth.LoginFailedException();
                    }
                }))
                .messageHandler((context, from, to, data) -> {
                    try {
                        received.add(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(data)));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).build();
        smtp.start();
        var settings = tenant.settings();
        settings.put("defender.notify.email.to", "soc@contoso.example,oncall@contoso.example");
        settings.put("defender.notify.email.from", "defender@contoso.example");
        settings.put("defender.notify.email.digest", "PT2S");
        settings.put("defender.notify.smtp.host", "localhost");
        settings.put("defender.notify.smtp.port", Integer.toString(port));
        settings.put("defender.notify.smtp.username", SMTP_USER);
        settings.put("defender.notify.smtp.password", SMTP_PASSWORD);
        settings.put("defender.health.failed-polls", "1");
    }

    @AfterEach
    void stopSmtp() {
        smtp.stop();
    }

    @Test
    void aFailingTenantIsMailedWithItsReasonAndFixThenItsRecovery() throws Exception {
        tenant.emulator().putAlert(Bundle.TENANT_ID, AlertJson.alert("m1", Emulated.ago(Duration.ofHours(1)), "New", "High", "Malware"));
        String forbidden = "{\"error\":{\"code\":\"Forbidden\",\"message\":\"Missing application roles.\"}}";
        List<String> log;
        try (LogCapture capture = new LogCapture()) {
            try (Bundle bundle = tenant.start()) {
                tenant.emulator().enqueueFault(Bundle.TENANT_ID, 403, forbidden, Map.of());
                bundle.pollNow();
                await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 1);
                bundle.pollNow();
                await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 2);
            }
            log = capture.lines();
        }
        assertTrue(log.size() > 100, "TRACE logging was captured: " + log.size());
        for (String line : log) {
            assertFalse(line.contains(SMTP_PASSWORD), () -> "the SMTP password in a log line: " + line);
        }
        MimeMessage failing = received.get(0);
        assertEquals("[defender-alert-routes] tenant contoso: polls keep failing", failing.getSubject());
        assertEquals("defender@contoso.example", failing.getFrom()[0].toString());
        assertEquals(2, failing.getAllRecipients().length);
        String text = String.valueOf(failing.getContent());
        assertTrue(text.contains("tenant contoso: polls keep failing (1 polls in a row)"), text);
        assertTrue(text.contains("reason: ") && text.contains("403"), text);
        assertTrue(text.contains("fix: grant the app registration the permission named in the reason"), text);
        assertEquals("[defender-alert-routes] tenant contoso: recovered", received.get(1).getSubject());
        assertTrue(logins.stream().allMatch(SMTP_USER::equals) && !logins.isEmpty(), "it authenticated: " + logins);
    }

    @Test
    void manyTenantsFailingAtOnceGiveOneMail() throws Exception {
        tenant.asTenants("contoso", java.util.Map.of("fabrikam", OTHER, "northwind", THIRD));
        var settings = tenant.settings();
        // a secret rotated everywhere at once: every tenant's sign-in fails
        settings.put("defender.client-secret", "an-expired-secret");
        settings.put("defender.notify.email.digest", "PT5S");
        try (Bundle bundle = tenant.start()) {
            for (String name : List.of("contoso", "fabrikam", "northwind")) {
                io.defenderalertroutes.schedule.PollTimers.pollNow(bundle.context(), name, Duration.ofSeconds(30));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> !received.isEmpty());
            await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(8)).until(() -> received.size() == 1);
        }
        MimeMessage digest = received.get(0);
        assertEquals("[defender-alert-routes] 3 notices, 3 tenants: polls keep failing", digest.getSubject());
        String text = String.valueOf(digest.getContent());
        for (String name : List.of("contoso", "fabrikam", "northwind")) {
            assertTrue(text.contains("tenant " + name + ": polls keep failing"), text);
        }
        assertTrue(text.contains("fix: check the tenant's client secret"), text);
        assertFalse(text.contains("an-expired-secret"), "no secret in the mail");
    }

    @Test
    void aStopInsideTheDigestIntervalSendsWhatWasCollected() throws Exception {
        tenant.settings().put("defender.notify.email.digest", "PT10M");
        String forbidden = "{\"error\":{\"code\":\"Forbidden\",\"message\":\"Missing application roles.\"}}";
        try (Bundle bundle = tenant.start()) {
            tenant.emulator().enqueueFault(Bundle.TENANT_ID, 403, forbidden, Map.of());
            bundle.pollNow();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 1);
        assertEquals("[defender-alert-routes] tenant contoso: polls keep failing", received.get(0).getSubject());
    }

    @Test
    void aCertificateNearItsEndIsMailedOnceWithTheFix() throws Exception {
        var soon = io.defenderalertroutes.testsupport.Certificates.create(tenant.dir(), "defender-soon", 5, 0);
        tenant.emulator().registerCertificate(Bundle.TENANT_ID, Bundle.CLIENT_ID, soon.certificate());
        var settings = tenant.settings();
        settings.remove("defender.client-secret");
        settings.put("defender.auth.method", "certificate");
        settings.put("defender.auth.certificate.path", soon.writePem(tenant.dir().resolve("soon.pem")).toString());
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
            bundle.pollNow();
            await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 1);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
        }
        MimeMessage mail = received.get(0);
        assertEquals("[defender-alert-routes] tenant contoso: its sign-in certificate expires soon", mail.getSubject());
        String text = String.valueOf(mail.getContent());
        assertTrue(text.contains("expires at " + soon.certificate().getNotAfter().toInstant().toString().substring(0, 16)), text);
        assertTrue(text.contains("fix: renew the certificate"), text);
    }

    @Test
    void aLoginThatWouldTravelInClearTextOrSettingsWithoutRecipientsAreRefused() {
        tenant.settings().put("defender.notify.smtp.starttls", "false");
        tenant.settings().put("defender.notify.smtp.host", "smtp.contoso.example");
        Exception clear = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> tenant.start().close());
        assertTrue(io.defenderalertroutes.app.Application.configurationMistake(clear).getMessage().startsWith(
                "Invalid configuration: defender.notify.smtp.starttls: is false, so the SMTP login would cross the network"),
                io.defenderalertroutes.app.Application.configurationMistake(clear).getMessage());
        tenant.settings().put("defender.notify.smtp.starttls", "true");
        tenant.settings().remove("defender.notify.email.to");
        Exception noRecipients = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> tenant.start().close());
        assertEquals("Invalid configuration: defender.notify.smtp.host: is set but defender.notify.email.to is not: "
                + "no notice would be mailed", io.defenderalertroutes.app.Application.configurationMistake(noRecipients).getMessage());
    }

    @Test
    void fixHintsReadStatusesNotStrayDigits() {
        assertEquals("check the network path to Microsoft: DNS, proxy, firewall", NoticeMailComposer.fix("tenant-failing",
                "HttpHostConnectException: Connect to https://api.example:443 failed at 2026-11-29T14:01:40.1234017Z"));
        assertTrue(NoticeMailComposer.fix("tenant-failing", "HTTP operation failed invoking https://x/api/alerts with statusCode: 403")
                .startsWith("grant the app registration"));
        assertTrue(NoticeMailComposer.fix("tenant-failing", "TokenAcquisitionException: AADSTS7000215: Invalid client secret provided.")
                .startsWith("check the tenant's client secret"));
        assertTrue(NoticeMailComposer.fix("tenant-failing", "HTTP 401 invalid_client: AADSTS700027: The certificate with "
                + "identifier used to sign the client assertion is not registered on application.")
                .startsWith("upload the certificate"));
        assertTrue(NoticeMailComposer.fix("tenant-failing", "HTTP 401 invalid_client: AADSTS700213: No matching federated "
                + "identity record found for presented assertion subject").startsWith("check the app registration's federated credential"));
        assertTrue(NoticeMailComposer.fix("tenant-failing", "HTTP 400 invalid_client: AADSTS700024: Client assertion is "
                + "not within its valid time range.").startsWith("check this machine's clock"));
    }
}
