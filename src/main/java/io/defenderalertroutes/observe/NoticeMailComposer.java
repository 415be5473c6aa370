package io.defenderalertroutes.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Turns the failure notices of one digest interval into one e-mail a person can act on: the subject says how many
 * tenants and what, the text gives each notice's tenant, reason and what to do about it. The SMTP credentials are
 * not here: they are the mail component's.
 */
public final class NoticeMailComposer {

    /** The exchange property naming the bundle's SMTP endpoint, for the route's {@code toD}. */
    public static final String SERVER = "DefenderSmtpServer";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> EVENTS = Map.of(
            "tenant-failing", "polls keep failing",
            "tenant-recovered", "recovered",
            "credential-expiring", "its sign-in certificate expires soon",
            "restarts-exhausted", "could not be restarted");

    private final String server;
    private final String from;
    private final List<String> to;

    /** @param server the endpoint of the bundle's SMTP server, {@code host:port?options}, after {@code smtp://} */
    public NoticeMailComposer(String server, String from, List<String> to) {
        this.server = server;
        this.from = from;
        this.to = List.copyOf(to);
    }

    /** Body: the notices of the interval (their JSON texts), as the digest collected them. */
    public void compose(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        List<?> bodies = message.getBody(List.class);
        List<JsonNode> notices = new ArrayList<>();
        for (Object body : bodies) {
            notices.add(JSON.readTree(String.valueOf(body)));
        }
        TreeSet<String> tenants = new TreeSet<>();
        TreeSet<String> events = new TreeSet<>();
        StringBuilder text = new StringBuilder();
        for (JsonNode notice : notices) {
            String tenant = notice.path("tenant").asText("(no tenant)");
            String event = notice.path("event").asText();
            tenants.add(tenant);
            events.add(EVENTS.getOrDefault(event, event));
            text.append(notice.path("time").asText()).append("  tenant ").append(tenant).append(": ")
                    .append(EVENTS.getOrDefault(event, event));
            if (notice.has("failedPolls")) {
                text.append(" (").append(notice.get("failedPolls").asInt()).append(" polls in a row)");
            }
            if (notice.has("route")) {
                text.append(" (route ").append(notice.get("route").asText()).append(")");
            }
            text.append('\n');
            if (notice.hasNonNull("reason")) {
                text.append("    reason: ").append(notice.get("reason").asText()).append('\n');
            }
            text.append("    fix: ").append(fix(event, notice.path("reason").asText(""))).append("\n\n");
        }
        String subject = notices.size() == 1
                ? "[defender-alert-routes] tenant " + tenants.first() + ": " + events.first()
                : "[defender-alert-routes] " + notices.size() + " notices, " + tenants.size() + " tenants: "
                        + String.join(", ", events);
        message.removeHeaders("*");
        message.setHeader("Subject", subject);
        message.setHeader("From", from);
        message.setHeader("To", String.join(",", to));
        message.setHeader("Content-Type", "text/plain; charset=UTF-8");
        message.setBody(text.toString());
        exchange.setProperty(SERVER, server);
    }

    /** An HTTP status as the reasons write it ("statusCode: 403", "HTTP 403"), not any digits that happen to match. */
    private static boolean status(String reason, int code) {
        return reason.matches("(?s).*(statuscode: |http )" + code + "\\b.*");
    }

    /** What to do about a notice, read from its event and reason. */
    static String fix(String event, String reason) {
        String r = reason.toLowerCase(Locale.ROOT);
        if (event.equals("tenant-recovered")) {
            return "nothing: its polls go through again";
        }
        if (event.equals("credential-expiring")) {
            return "renew the certificate, upload the new one to the app registration and put it where "
                    + "defender.auth.certificate.path points: it is read again without a restart";
        }
        if (event.equals("restarts-exhausted")) {
            return "the route could not start; check what it depends on (the Kafka dedup store's brokers), then "
                    + "restart the bundle";
        }
        if (status(r, 403)) {
            return "grant the app registration the permission named in the reason, with admin consent";
        }
        // the certificate and workload-identity codes first: they come as invalid_client too
        if (r.contains("aadsts700027")) {
            return "upload the certificate (its public part) to the app registration's certificates, or sign in with the "
                    + "one uploaded there (defender.auth.certificate.path)";
        }
        if (r.contains("aadsts700024")) {
            return "check this machine's clock: the sign-in's assertion is outside its valid time range";
        }
        if (r.contains("aadsts700211") || r.contains("aadsts700212") || r.contains("aadsts700213")) {
            return "check the app registration's federated credential: its issuer, subject and audience "
                    + "(api://AzureADTokenExchange) must match the token in defender.auth.federated-token-file";
        }
        // the bundle's own words for an expired certificate (Entra's expired-secret message names certificates too)
        if (r.contains("the certificate ") && r.contains(" expired at ")) {
            return "renew the certificate and upload the new one to the app registration; the bundle reads the renewed "
                    + "file without a restart";
        }
        if (r.contains("aadsts7000215") || r.contains("aadsts7000222") || r.contains("invalid_client") || status(r, 401)) {
            return "check the tenant's client secret (and that it has not expired) and client ID";
        }
        if (r.contains("aadsts90002") || r.contains("aadsts900023")) {
            return "check the tenant ID";
        }
        if (status(r, 429) || r.contains("throttl")) {
            return "lower the tenant's call budget (defender.api.calls-per-minute) or poll it less often";
        }
        if (r.contains("connect") || r.contains("unknownhost") || r.contains("timed out") || r.contains("timeout")) {
            return "check the network path to Microsoft: DNS, proxy, firewall";
        }
        return "see the bundle's log and readiness (/observe/health/ready) for the tenant";
    }
}
