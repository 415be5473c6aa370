package io.defenderalertroutes.observe;

import io.defenderalertroutes.auth.TrustSettings;
import io.defenderalertroutes.config.Settings;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.component.mail.MailConfiguration;

/**
 * Failure notices by e-mail ({@code defender.notify.email.*}, {@code defender.notify.smtp.*}), through camel-mail.
 * The SMTP username and password go to the mail component's own configuration, never into an endpoint URI or a
 * Camel property lookup, so that no log or error can show them; STARTTLS is required unless turned off, and the
 * server's certificate verified against the JVM's trust store or {@code defender.tls.trust-store}.
 */
public final class NoticeMailSettings {

    private NoticeMailSettings() {
    }

    private static boolean loopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }

    /** The digest route's bean where e-mail is off: the route is loaded either way, and nothing is ever sent to it. */
    public static NoticeMailComposer unused() {
        return new NoticeMailComposer("unused:25", "unused@localhost", List.of());
    }

    /** True when e-mail notices are on; their bean is bound, the smtp component set up. */
    public static boolean configure(CamelContext context, Settings settings, TrustSettings trust) throws Exception {
        List<String> to = settings.list("defender.notify.email.to", "");
        // checked whether or not e-mail is on: the digest route reads it either way
        settings.duration("defender.notify.email.digest", java.time.Duration.ofSeconds(1), java.time.Duration.ofHours(1));
        if (to.isEmpty()) {
            for (String key : List.of("defender.notify.smtp.host", "defender.notify.smtp.username")) {
                if (settings.optional(key).isPresent()) {
                    throw settings.problem(key, "is set but defender.notify.email.to is not: no notice would be mailed");
                }
            }
            return false;
        }
        for (String address : to) {
            if (!address.matches("[^@\\s]+@[^@\\s]+")) {
                throw settings.problem("defender.notify.email.to", "'" + address + "' is not an e-mail address");
            }
        }
        String host = settings.optional("defender.notify.smtp.host").orElseThrow(() -> settings.problem(
                "defender.notify.smtp.host", "is required with defender.notify.email.to: the SMTP server's host name"));
        int port = settings.integer("defender.notify.smtp.port", 1, 65535);
        Optional<String> username = settings.optional("defender.notify.smtp.username");
        Optional<String> password = settings.sensitive("defender.notify.smtp.password");
        if (username.isPresent() != password.isPresent()) {
            throw settings.problem(username.isPresent() ? "defender.notify.smtp.password" : "defender.notify.smtp.username",
                    "is required when the other of the SMTP username and password is set (the password as the "
                            + "environment variable DEFENDER_NOTIFY_SMTP_PASSWORD)");
        }
        boolean startTls = settings.bool("defender.notify.smtp.starttls");
        if (!startTls && username.isPresent() && !loopback(host)) {
            throw settings.problem("defender.notify.smtp.starttls", "is false, so the SMTP login would cross the network "
                    + "in clear text to " + host + "; keep STARTTLS on, or relay through a server on this host");
        }
        // an endpoint of the bundle's own, configured here: the smtp component and the application's own smtp:
        // endpoints keep their settings, and the login is in no URI
        String server = host + ":" + port + "?connectionTimeout=30000";
        MailConfiguration mail = context.getEndpoint("smtp://" + server, org.apache.camel.component.mail.MailEndpoint.class)
                .getConfiguration();
        Properties javaMail = new Properties();
        javaMail.put("mail.smtp.starttls.enable", Boolean.toString(startTls));
        javaMail.put("mail.smtp.starttls.required", Boolean.toString(startTls));
        javaMail.put("mail.smtp.ssl.checkserveridentity", "true");
        if (trust.sslContext() != null) {
            javaMail.put("mail.smtp.ssl.socketFactory", trust.sslContext().getSocketFactory());
        }
        if (username.isPresent()) {
            javaMail.put("mail.smtp.auth", "true");
            mail.setUsername(username.get());
            mail.setPassword(password.get());
        }
        mail.setAdditionalJavaMailProperties(javaMail);
        context.getRegistry().bind("defenderNoticeMail", new NoticeMailComposer(server, settings.string("defender.notify.email.from"), to));
        context.getManagementStrategy().addEventNotifier(new DigestAtStop());
        return true;
    }

    /**
     * Sends the digest collected so far when the context begins to stop, while every route still runs: the stop
     * then waits for it like any exchange in flight. (The aggregator's own completion at stop runs on a thread of its
     * own and once lost the race with the route's error handler stopping.)
     */
    private static final class DigestAtStop extends org.apache.camel.support.EventNotifierSupport {

        DigestAtStop() {
            setIgnoreExchangeEvents(true);
            setIgnoreRouteEvents(true);
            setIgnoreServiceEvents(true);
            setIgnoreStepEvents(true);
        }

        @Override
        public boolean isEnabled(org.apache.camel.spi.CamelEvent event) {
            return event instanceof org.apache.camel.spi.CamelEvent.CamelContextStoppingEvent;
        }

        @Override
        public void notify(org.apache.camel.spi.CamelEvent event) {
            org.apache.camel.CamelContext context = ((org.apache.camel.spi.CamelEvent.CamelContextStoppingEvent) event).getContext();
            try (org.apache.camel.ProducerTemplate producer = context.createProducerTemplate()) {
                // the signal completes the digest's group; it is not a notice itself
                producer.sendBodyAndHeader("direct:defender-notify-email", null,
                        org.apache.camel.Exchange.AGGREGATION_COMPLETE_ALL_GROUPS, true);
            } catch (java.io.IOException | RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(NoticeMailSettings.class).warn("The notices collected for the digest could "
                        + "not be sent at the stop: {}", e.toString());
            }
        }
    }
}
