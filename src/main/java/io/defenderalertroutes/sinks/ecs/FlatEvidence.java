package io.defenderalertroutes.sinks.ecs;

import static io.defenderalertroutes.sinks.ecs.EcsValues.text;

import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Evidence in Defender for Endpoint's flat shape: {@code /api/alerts?$expand=evidence} items and the entities of an
 * alert in a Defender XDR incident ({@code /api/incidents}), which use the same names ({@code entityType},
 * {@code fileName}, {@code processId}, {@code accountName}...). An alert has many; an ECS field such as
 * {@code file.name} holds one. The rule: the first evidence of each kind, in Microsoft's order, fills its
 * one-valued ECS fields (the first File evidence {@code file.*}, the first Process evidence {@code process.*}, the
 * first user {@code user.*}, the first URL {@code url.*}); every hash, IP address and user name of every evidence goes
 * to {@code related.*}. The evidence itself stays whole in the integration's namespace.
 */
final class FlatEvidence {

    private FlatEvidence() {
    }

    static void map(EcsDocument doc, JsonNode evidences) {
        for (JsonNode evidence : evidences) {
            if (evidence.isObject()) {
                one(doc, evidence);
            }
        }
    }

    private static void one(EcsDocument doc, JsonNode evidence) {
        String type = String.valueOf(text(evidence, "entityType")).toLowerCase(Locale.ROOT);
        if (type.equals("file") && !doc.has("file") && text(evidence, "fileName") != null) {
            file(doc, evidence);
        }
        if (type.equals("process")) {
            doc.add("event.category", "process");
            if (!doc.has("process") && evidence.path("processId").canConvertToLong()) {
                process(doc, evidence);
            }
        }
        if (text(evidence, "accountName") != null || text(evidence, "userSid") != null) {
            if (type.equals("user")) {
                doc.add("event.type", "access");
            }
            user(doc, evidence);
        }
        doc.add("related.hash", text(evidence, "sha1"));
        doc.add("related.hash", text(evidence, "sha256"));
        String ip = text(evidence, "ipAddress");
        if (EcsValues.ip(ip)) {
            doc.add("related.ip", ip);
        }
        EcsValues.url(doc, text(evidence, "url"));
    }

    private static void file(EcsDocument doc, JsonNode evidence) {
        String name = text(evidence, "fileName");
        doc.put("file.name", name)
                .put("file.directory", text(evidence, "filePath"))
                .put("file.path", EcsValues.path(text(evidence, "filePath"), name))
                .put("file.hash.sha1", text(evidence, "sha1"))
                .put("file.hash.sha256", text(evidence, "sha256"));
    }

    private static void process(EcsDocument doc, JsonNode evidence) {
        doc.put("process.pid", evidence.get("processId").asLong())
                .put("process.command_line", text(evidence, "processCommandLine"))
                .put("process.start", EcsValues.date(text(evidence, "processCreationTime")))
                .put("process.name", text(evidence, "fileName"))
                .put("process.executable", EcsValues.path(text(evidence, "filePath"), text(evidence, "fileName")))
                .put("process.hash.sha1", text(evidence, "sha1"))
                .put("process.hash.sha256", text(evidence, "sha256"));
        if (evidence.path("parentProcessId").canConvertToLong()) {
            doc.put("process.parent.pid", evidence.get("parentProcessId").asLong())
                    .put("process.parent.start", EcsValues.date(text(evidence, "parentProcessCreationTime")))
                    .put("process.parent.name", text(evidence, "parentProcessFileName"))
                    .put("process.parent.executable", EcsValues.path(text(evidence, "parentProcessFilePath"),
                            text(evidence, "parentProcessFileName")));
        }
    }

    /**
     * The first user fills {@code user.*}; a later evidence of the same user (by name) adds the SID it lacked, as
     * Elastic's integration takes the name from the alert's relatedUser and the id from the evidence.
     */
    private static void user(EcsDocument doc, JsonNode evidence) {
        String name = text(evidence, "accountName");
        if (!doc.has("user")) {
            doc.put("user.name", name).put("user.domain", text(evidence, "domainName"));
        }
        JsonNode known = doc.get("user.name");
        if (!doc.has("user.id") && (known == null || known.asText().equalsIgnoreCase(String.valueOf(name)))) {
            doc.put("user.id", text(evidence, "userSid"));
        }
        doc.add("related.user", name);
        doc.add("related.user", text(evidence, "userPrincipalName"));
    }
}
