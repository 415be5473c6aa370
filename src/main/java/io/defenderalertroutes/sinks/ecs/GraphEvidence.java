package io.defenderalertroutes.sinks.ecs;

import static io.defenderalertroutes.sinks.ecs.EcsValues.text;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Evidence of a Graph alert ({@code alerts_v2}, also inside a Graph incident), by its {@code @odata.type}, with the
 * same rule as {@link FlatEvidence}: the first evidence of a kind fills the one-valued ECS fields (a fileEvidence
 * {@code file.*}, a processEvidence {@code process.*}, a userEvidence {@code user.*}, a deviceEvidence
 * {@code host.*}, a urlEvidence {@code url.*}), every hash, IP address, user and host name goes to
 * {@code related.*}, and each kind adds its {@code event.category} as Elastic's Microsoft 365 Defender integration
 * sets it.
 */
final class GraphEvidence {

    /** Elastic's m365_defender alert pipeline: the category each kind of evidence stands for. */
    private static final Map<String, String> CATEGORIES = Map.ofEntries(
            Map.entry("analyzedMessageEvidence", "email"), Map.entry("mailboxEvidence", "email"),
            Map.entry("mailClusterEvidence", "email"), Map.entry("deviceEvidence", "host"),
            Map.entry("fileEvidence", "file"), Map.entry("ipEvidence", "network"),
            Map.entry("processEvidence", "process"), Map.entry("registryValueEvidence", "registry"),
            Map.entry("registryKeyEvidence", "registry"), Map.entry("userEvidence", "iam"),
            Map.entry("securityGroupEvidence", "iam"));

    private GraphEvidence() {
    }

    static void map(EcsDocument doc, JsonNode evidences) {
        for (JsonNode evidence : evidences) {
            if (evidence.isObject()) {
                one(doc, evidence);
            }
        }
    }

    private static void one(EcsDocument doc, JsonNode evidence) {
        String odataType = String.valueOf(text(evidence, "@odata.type"));
        String kind = odataType.substring(odataType.lastIndexOf('.') + 1);
        String category = CATEGORIES.get(kind);
        if (category != null) {
            doc.add("event.category", category);
            doc.add("event.type", category.equals("registry") ? "access" : "info");
        }
        switch (kind) {
            case "fileEvidence" -> file(doc, evidence.path("fileDetails"));
            case "processEvidence" -> process(doc, evidence);
            case "userEvidence" -> user(doc, evidence.path("userAccount"));
            case "deviceEvidence" -> device(doc, evidence);
            case "urlEvidence" -> EcsValues.url(doc, text(evidence, "url"));
            case "ipEvidence" -> ip(doc, text(evidence, "ipAddress"));
            default -> {
                // kept in the namespace only
            }
        }
    }

    private static void file(EcsDocument doc, JsonNode details) {
        hashes(doc, details);
        String name = text(details, "fileName");
        if (name == null || doc.has("file")) {
            return;
        }
        doc.put("file.name", name)
                .put("file.directory", text(details, "filePath"))
                .put("file.path", EcsValues.path(text(details, "filePath"), name))
                .put("file.hash.md5", text(details, "md5"))
                .put("file.hash.sha1", text(details, "sha1"))
                .put("file.hash.sha256", text(details, "sha256"));
        if (details.path("fileSize").canConvertToLong()) {
            doc.put("file.size", details.get("fileSize").asLong());
        }
    }

    private static void process(EcsDocument doc, JsonNode evidence) {
        JsonNode image = evidence.path("imageFile");
        JsonNode parentImage = evidence.path("parentProcessImageFile");
        hashes(doc, image);
        hashes(doc, parentImage);
        JsonNode account = evidence.path("userAccount");
        doc.add("related.user", text(account, "accountName"));
        doc.add("related.user", text(account, "userPrincipalName"));
        if (doc.has("process") || !evidence.path("processId").canConvertToLong()) {
            return;
        }
        doc.put("process.pid", evidence.get("processId").asLong())
                .put("process.command_line", text(evidence, "processCommandLine"))
                .put("process.start", EcsValues.date(text(evidence, "processCreationDateTime")))
                .put("process.name", text(image, "fileName"))
                .put("process.executable", EcsValues.path(text(image, "filePath"), text(image, "fileName")))
                .put("process.hash.md5", text(image, "md5"))
                .put("process.hash.sha1", text(image, "sha1"))
                .put("process.hash.sha256", text(image, "sha256"))
                .put("process.user.name", text(account, "accountName"))
                .put("process.user.id", text(account, "userSid"));
        if (evidence.path("parentProcessId").canConvertToLong()) {
            doc.put("process.parent.pid", evidence.get("parentProcessId").asLong())
                    .put("process.parent.start", EcsValues.date(text(evidence, "parentProcessCreationDateTime")))
                    .put("process.parent.name", text(parentImage, "fileName"))
                    .put("process.parent.executable", EcsValues.path(text(parentImage, "filePath"),
                            text(parentImage, "fileName")));
        }
    }

    private static void user(EcsDocument doc, JsonNode account) {
        doc.add("related.user", text(account, "accountName"));
        doc.add("related.user", text(account, "userPrincipalName"));
        if (doc.has("user") || (text(account, "accountName") == null && text(account, "userSid") == null)) {
            return;
        }
        doc.put("user.name", text(account, "accountName"))
                .put("user.domain", text(account, "domainName"))
                .put("user.id", text(account, "userSid"))
                .put("user.full_name", text(account, "displayName"));
    }

    private static void device(EcsDocument doc, JsonNode evidence) {
        for (JsonNode address : evidence.path("ipInterfaces")) {
            ip(doc, address.asText());
        }
        for (JsonNode user : evidence.path("loggedOnUsers")) {
            doc.add("related.user", text(user, "accountName"));
        }
        if (!EcsValues.host(doc, text(evidence, "deviceDnsName"), text(evidence, "mdeDeviceId"))) {
            return;
        }
        for (JsonNode address : evidence.path("ipInterfaces")) {
            if (EcsValues.ip(address.asText())) {
                doc.add("host.ip", address.asText());
            }
        }
    }

    private static void ip(EcsDocument doc, String address) {
        if (EcsValues.ip(address)) {
            doc.add("related.ip", address);
        }
    }

    private static void hashes(EcsDocument doc, JsonNode details) {
        doc.add("related.hash", text(details, "md5"));
        doc.add("related.hash", text(details, "sha1"));
        doc.add("related.hash", text(details, "sha256"));
    }
}
