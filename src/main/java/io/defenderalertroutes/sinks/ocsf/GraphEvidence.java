package io.defenderalertroutes.sinks.ocsf;

import static io.defenderalertroutes.sinks.ocsf.OcsfValues.JSON;
import static io.defenderalertroutes.sinks.ocsf.OcsfValues.putText;
import static io.defenderalertroutes.sinks.ocsf.OcsfValues.putTime;
import static io.defenderalertroutes.sinks.ocsf.OcsfValues.text;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Graph's alerts_v2 evidence (alone or in a Graph incident), typed by {@code @odata.type} with sub-objects, as OCSF
 * {@code evidences[]}, observed as it goes.
 */
final class GraphEvidence {

    private final Observables observables;

    GraphEvidence(Observables observables) {
        this.observables = observables;
    }

    /**
     * One evidence of a Graph alert, by its {@code @odata.type}: file, process (with its image files and account),
     * user, device and URL evidence as OCSF objects; an IP address, as for Defender for Endpoint, and every kind or
     * field without an OCSF place in {@code data}, as served (a sub-object keeps there what was not placed of it).
     */
    ObjectNode of(JsonNode evidence) {
        ObjectNode out = JSON.createObjectNode();
        String odataType = text(evidence, "@odata.type");
        String kind = odataType == null ? "" : odataType.substring(odataType.lastIndexOf('.') + 1);
        Map<String, Set<String>> placed = new HashMap<>();
        switch (kind) {
            case "fileEvidence" -> {
                ObjectNode file = graphFile(evidence.path("fileDetails"), placed, "fileDetails");
                if (file != null) {
                    out.set("file", file);
                    observables.observe("evidences.file.name", Observables.FILE_NAME, text(file, "name"));
                    observables.hashes("evidences.file.hashes.value", file);
                }
            }
            case "processEvidence" -> {
                if (evidence.hasNonNull("processId")) {
                    ObjectNode process = out.putObject("process");
                    process.put("pid", evidence.get("processId").asInt());
                    putText(process, "cmd_line", text(evidence, "processCommandLine"));
                    putTime(process, "created_time", text(evidence, "processCreationDateTime"));
                    placed.put("", new HashSet<>(Set.of("processId", "processCommandLine")));
                    if (process.has("created_time")) {
                        placed.get("").add("processCreationDateTime");
                    }
                    ObjectNode file = graphFile(evidence.path("imageFile"), placed, "imageFile");
                    if (file != null) {
                        process.put("name", text(file, "name"));
                        process.set("file", file);
                    }
                    if (evidence.hasNonNull("parentProcessId")) {
                        ObjectNode parent = process.putObject("parent_process");
                        parent.put("pid", evidence.get("parentProcessId").asInt());
                        putTime(parent, "created_time", text(evidence, "parentProcessCreationDateTime"));
                        placed.get("").add("parentProcessId");
                        if (parent.has("created_time")) {
                            placed.get("").add("parentProcessCreationDateTime");
                        }
                        ObjectNode parentFile = graphFile(evidence.path("parentProcessImageFile"), placed,
                                "parentProcessImageFile");
                        if (parentFile != null) {
                            parent.put("name", text(parentFile, "name"));
                            parent.set("file", parentFile);
                        }
                    }
                    ObjectNode user = graphUser(evidence.path("userAccount"), placed);
                    if (user != null) {
                        process.set("user", user);
                        observables.observe("evidences.process.user.name", Observables.USER_NAME, text(user, "name"));
                    }
                    observables.observe("evidences.process.name", Observables.PROCESS_NAME, text(process, "name"));
                    observables.observe("evidences.process.cmd_line", Observables.COMMAND_LINE, text(process, "cmd_line"));
                    observables.hashes("evidences.process.file.hashes.value", file);
                }
            }
            case "userEvidence" -> {
                ObjectNode user = graphUser(evidence.path("userAccount"), placed);
                if (user != null) {
                    out.set("user", user);
                    observables.observe("evidences.user.name", Observables.USER_NAME, text(user, "name"));
                }
            }
            case "deviceEvidence" -> {
                ObjectNode device = OcsfValues.device(text(evidence, "mdeDeviceId"), text(evidence, "deviceDnsName"));
                if (device != null) {
                    out.set("device", device);
                    placed.put("", Set.of("mdeDeviceId", "deviceDnsName"));
                    observables.observe("evidences.device.hostname", Observables.HOSTNAME, text(device, "hostname"));
                }
            }
            case "urlEvidence" -> {
                if (text(evidence, "url") != null) {
                    out.putObject("url").put("url_string", text(evidence, "url"));
                    placed.put("", Set.of("url"));
                    observables.observe("evidences.url.url_string", Observables.URL_STRING, text(evidence, "url"));
                }
            }
            default -> {
                // kept whole in data below
            }
        }
        ObjectNode data = JSON.createObjectNode();
        evidence.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            if (value.isNull() || placed.getOrDefault("", Set.of()).contains(field.getKey())) {
                return;
            }
            Set<String> placedOfIt = placed.get(field.getKey());
            if (placedOfIt == null) {
                data.set(field.getKey(), value);
                return;
            }
            ObjectNode rest = JSON.createObjectNode();
            value.fields().forEachRemaining(sub -> {
                if (!sub.getValue().isNull() && !placedOfIt.contains(sub.getKey())) {
                    rest.set(sub.getKey(), sub.getValue());
                }
            });
            if (!rest.isEmpty()) {
                data.set(field.getKey(), rest);
            }
        });
        if (!data.isEmpty()) {
            out.set("data", data);
            observables.observe("evidences.data.ipAddress", Observables.IP_ADDRESS, text(data, "ipAddress"));
            observables.observe("evidences.data.userAccount.userPrincipalName", Observables.USER_NAME,
                    text(data.path("userAccount"), "userPrincipalName"));
        }
        return out;
    }

    /** Graph's fileDetails (or a process's image file); {@code placed} learns which of its fields the file took. */
    private static ObjectNode graphFile(JsonNode details, Map<String, Set<String>> placed, String field) {
        if (!details.isObject()) {
            return null;
        }
        ObjectNode file = OcsfValues.file(text(details, "fileName"), text(details, "filePath"), text(details, "md5"),
                text(details, "sha1"), text(details, "sha256"));
        if (file == null) {
            return null;
        }
        if (details.hasNonNull("fileSize")) {
            file.put("size", details.get("fileSize").asLong());
        }
        placed.put(field, Set.of("fileName", "filePath", "md5", "sha1", "sha256", "fileSize"));
        return file;
    }

    /** Graph's userAccount: as for Defender for Endpoint, the SID is uid and the Entra id uid_alt. */
    private static ObjectNode graphUser(JsonNode account, Map<String, Set<String>> placed) {
        if (!account.isObject() || (!account.hasNonNull("accountName") && !account.hasNonNull("userSid"))) {
            return null;
        }
        ObjectNode user = JSON.createObjectNode();
        putText(user, "name", text(account, "accountName"));
        putText(user, "domain", text(account, "domainName"));
        putText(user, "uid", text(account, "userSid"));
        putText(user, "uid_alt", text(account, "azureAdUserId"));
        putText(user, "full_name", text(account, "displayName"));
        placed.put("userAccount", Set.of("accountName", "domainName", "userSid", "azureAdUserId", "displayName"));
        return user;
    }
}
