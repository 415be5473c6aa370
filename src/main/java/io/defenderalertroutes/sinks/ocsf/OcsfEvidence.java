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
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One finding's evidence as OCSF {@code evidences[]}, gathering as it goes the {@code observables[]} a search in a
 * lake finds them by. Defender for Endpoint's evidence and the entities of a Defender XDR incident's alert share one
 * flat shape; Graph's evidence is typed by {@code @odata.type} with sub-objects.
 */
final class OcsfEvidence {

    /** The evidence fields the flat shape places; the others stay with their evidence in {@code evidences[].data}. */
    static final Set<String> ENDPOINT_MAPPED = Set.of("sha1", "sha256", "fileName", "filePath", "processId",
            "processCommandLine", "processCreationTime", "parentProcessId", "parentProcessCreationTime",
            "parentProcessFileName", "parentProcessFilePath", "url", "accountName", "domainName", "userSid",
            "aadUserId");
    // OCSF 1.3.0 numbers observable types in its dictionary (types' and attributes' "observable"), not in observable.json
    static final int HOSTNAME = 1;
    static final int IP_ADDRESS = 2;
    static final int USER_NAME = 4;
    static final int URL_STRING = 6;
    static final int FILE_NAME = 7;
    static final int HASH = 8;
    static final int PROCESS_NAME = 9;
    static final int COMMAND_LINE = 13;
    private static final Map<Integer, String> OBSERVABLE_TYPES = Map.of(HOSTNAME, "Hostname", IP_ADDRESS,
            "IP Address", USER_NAME, "User Name", URL_STRING, "URL String", FILE_NAME, "File Name", HASH, "Hash",
            PROCESS_NAME, "Process Name", COMMAND_LINE, "Command Line");
    /** A Defender XDR device's fields placed in {@code evidences[].device}. */
    private static final Set<String> DEVICE_MAPPED = Set.of("deviceId", "deviceDnsName");

    private final ArrayNode observables = JSON.createArrayNode();

    /** What was observed so far, one per name and value. */
    ArrayNode observables() {
        return observables;
    }

    /**
     * One evidence of {@code /api/alerts?$expand=evidence}, or one entity of a Defender XDR incident's alert: its
     * file, process, user and URL as OCSF objects, whatever else it says (its entityType, times, IP address, registry
     * value, UPN) in {@code data}, which OCSF keeps for evidence its objects have no place for. An IP address has no attribute of its own in 1.3.0 evidences, and
     * Defender does not say whether it was the source or the destination, so it is not guessed into an endpoint.
     */
    ObjectNode endpoint(JsonNode evidence) {
        ObjectNode out = JSON.createObjectNode();
        String type = text(evidence, "entityType");
        boolean isProcess = "Process".equalsIgnoreCase(type);
        ObjectNode file = file(text(evidence, "fileName"), text(evidence, "filePath"), text(evidence, "sha1"),
                text(evidence, "sha256"));
        if (isProcess) {
            ObjectNode process = JSON.createObjectNode();
            putText(process, "name", text(evidence, "fileName"));
            if (evidence.hasNonNull("processId")) {
                process.put("pid", evidence.get("processId").asInt());
            }
            putText(process, "cmd_line", text(evidence, "processCommandLine"));
            putTime(process, "created_time", text(evidence, "processCreationTime"));
            if (file != null) {
                process.set("file", file);
            }
            ObjectNode parent = JSON.createObjectNode();
            if (evidence.hasNonNull("parentProcessId")) {
                parent.put("pid", evidence.get("parentProcessId").asInt());
            }
            putTime(parent, "created_time", text(evidence, "parentProcessCreationTime"));
            putText(parent, "name", text(evidence, "parentProcessFileName"));
            ObjectNode parentFile = file(text(evidence, "parentProcessFileName"), text(evidence, "parentProcessFilePath"),
                    null, null);
            if (parentFile != null) {
                parent.set("file", parentFile);
            }
            if (parent.has("pid")) {
                process.set("parent_process", parent);
            }
            if (process.has("pid")) {
                out.set("process", process);
                observe("evidences.process.name", PROCESS_NAME, text(process, "name"));
                observe("evidences.process.cmd_line", COMMAND_LINE, text(process, "cmd_line"));
                observeHashes("evidences.process.file.hashes.value", file);
            } else {
                isProcess = false;
            }
        }
        if (!isProcess && file != null) {
            out.set("file", file);
            observe("evidences.file.name", FILE_NAME, text(file, "name"));
            observeHashes("evidences.file.hashes.value", file);
        }
        if (text(evidence, "url") != null) {
            out.putObject("url").put("url_string", text(evidence, "url"));
            observe("evidences.url.url_string", URL_STRING, text(evidence, "url"));
        }
        ObjectNode user = JSON.createObjectNode();
        putText(user, "name", text(evidence, "accountName"));
        putText(user, "domain", text(evidence, "domainName"));
        // OCSF's own examples: uid is the Windows SID, uid_alt the directory's GUID for the same user
        putText(user, "uid", text(evidence, "userSid"));
        putText(user, "uid_alt", text(evidence, "aadUserId"));
        if (user.has("name") || user.has("uid")) {
            out.set("user", user);
            observe("evidences.user.name", USER_NAME, text(user, "name"));
        }
        ObjectNode data = JSON.createObjectNode();
        evidence.fields().forEachRemaining(field -> {
            boolean placed = ENDPOINT_MAPPED.contains(field.getKey()) && placed(field.getKey(), out);
            if (!placed && !field.getValue().isNull()) {
                data.set(field.getKey(), field.getValue());
            }
        });
        if (!data.isEmpty()) {
            out.set("data", data);
            observe("evidences.data.ipAddress", IP_ADDRESS, text(data, "ipAddress"));
            observe("evidences.data.userPrincipalName", USER_NAME, text(data, "userPrincipalName"));
        }
        return out;
    }

    /**
     * One evidence of a Graph alert, by its {@code @odata.type}: file, process (with its image files and account),
     * user, device and URL evidence as OCSF objects; an IP address, as for Defender for Endpoint, and every kind or
     * field without an OCSF place in {@code data}, as served (a sub-object keeps there what was not placed of it).
     */
    ObjectNode graph(JsonNode evidence) {
        ObjectNode out = JSON.createObjectNode();
        String odataType = text(evidence, "@odata.type");
        String kind = odataType == null ? "" : odataType.substring(odataType.lastIndexOf('.') + 1);
        Map<String, Set<String>> placed = new HashMap<>();
        switch (kind) {
            case "fileEvidence" -> {
                ObjectNode file = graphFile(evidence.path("fileDetails"), placed, "fileDetails");
                if (file != null) {
                    out.set("file", file);
                    observe("evidences.file.name", FILE_NAME, text(file, "name"));
                    observeHashes("evidences.file.hashes.value", file);
                }
            }
            case "processEvidence" -> {
                if (evidence.hasNonNull("processId")) {
                    ObjectNode process = out.putObject("process");
                    process.put("pid", evidence.get("processId").asInt());
                    putText(process, "cmd_line", text(evidence, "processCommandLine"));
                    putTime(process, "created_time", text(evidence, "processCreationDateTime"));
                    placed.put("", new HashSet<>(Set.of("processId", "processCommandLine", "processCreationDateTime")));
                    ObjectNode file = graphFile(evidence.path("imageFile"), placed, "imageFile");
                    if (file != null) {
                        process.put("name", text(file, "name"));
                        process.set("file", file);
                    }
                    if (evidence.hasNonNull("parentProcessId")) {
                        ObjectNode parent = process.putObject("parent_process");
                        parent.put("pid", evidence.get("parentProcessId").asInt());
                        putTime(parent, "created_time", text(evidence, "parentProcessCreationDateTime"));
                        placed.get("").addAll(Set.of("parentProcessId", "parentProcessCreationDateTime"));
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
                        observe("evidences.process.user.name", USER_NAME, text(user, "name"));
                    }
                    observe("evidences.process.name", PROCESS_NAME, text(process, "name"));
                    observe("evidences.process.cmd_line", COMMAND_LINE, text(process, "cmd_line"));
                    observeHashes("evidences.process.file.hashes.value", file);
                }
            }
            case "userEvidence" -> {
                ObjectNode user = graphUser(evidence.path("userAccount"), placed);
                if (user != null) {
                    out.set("user", user);
                    observe("evidences.user.name", USER_NAME, text(user, "name"));
                }
            }
            case "deviceEvidence" -> {
                if (evidence.hasNonNull("mdeDeviceId") || evidence.hasNonNull("deviceDnsName")) {
                    ObjectNode device = out.putObject("device");
                    putText(device, "uid", text(evidence, "mdeDeviceId"));
                    putText(device, "hostname", text(evidence, "deviceDnsName"));
                    device.put("type_id", 0);
                    device.put("type", "Unknown");
                    placed.put("", Set.of("mdeDeviceId", "deviceDnsName"));
                    observe("evidences.device.hostname", HOSTNAME, text(device, "hostname"));
                }
            }
            case "urlEvidence" -> {
                if (text(evidence, "url") != null) {
                    out.putObject("url").put("url_string", text(evidence, "url"));
                    placed.put("", Set.of("url"));
                    observe("evidences.url.url_string", URL_STRING, text(evidence, "url"));
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
            observe("evidences.data.ipAddress", IP_ADDRESS, text(data, "ipAddress"));
            observe("evidences.data.userAccount.userPrincipalName", USER_NAME,
                    text(data.path("userAccount"), "userPrincipalName"));
        }
        return out;
    }

    /** Graph's fileDetails (or a process's image file); {@code placed} learns which of its fields the file took. */
    private static ObjectNode graphFile(JsonNode details, Map<String, Set<String>> placed, String field) {
        if (!details.isObject()) {
            return null;
        }
        ObjectNode file = file(text(details, "fileName"), text(details, "filePath"), text(details, "sha1"),
                text(details, "sha256"));
        if (file == null) {
            return null;
        }
        if (details.hasNonNull("fileSize")) {
            file.put("size", details.get("fileSize").asLong());
        }
        placed.put(field, Set.of("fileName", "filePath", "sha1", "sha256", "fileSize"));
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

    /** Whether the mapping found a place for an evidence field: a process or user it could not form keeps its fields. */
    private static boolean placed(String field, ObjectNode out) {
        return switch (field) {
            case "accountName", "domainName", "userSid", "aadUserId" -> out.has("user");
            case "url" -> out.has("url");
            case "processId", "processCommandLine", "processCreationTime" -> out.has("process");
            case "parentProcessId", "parentProcessCreationTime", "parentProcessFileName", "parentProcessFilePath" ->
                    out.path("process").has("parent_process");
            default -> out.has("file") || out.has("process");
        };
    }

    /** Defender's filePath is the folder; OCSF's path is the whole path and parent_folder the folder. */
    private static ObjectNode file(String name, String folder, String sha1, String sha256) {
        if (name == null) {
            return null;
        }
        ObjectNode file = JSON.createObjectNode();
        file.put("name", name);
        file.put("type_id", 1);
        file.put("type", "Regular File");
        if (folder != null) {
            file.put("parent_folder", folder);
            String separator = folder.contains("\\") || !folder.contains("/") ? "\\" : "/";
            file.put("path", folder.endsWith(separator) ? folder + name : folder + separator + name);
        }
        ArrayNode hashes = JSON.createArrayNode();
        if (sha1 != null) {
            hashes.addObject().put("algorithm_id", 2).put("algorithm", "SHA-1").put("value", sha1);
        }
        if (sha256 != null) {
            hashes.addObject().put("algorithm_id", 3).put("algorithm", "SHA-256").put("value", sha256);
        }
        if (!hashes.isEmpty()) {
            file.set("hashes", hashes);
        }
        return file;
    }

    private void observeHashes(String name, ObjectNode file) {
        if (file != null) {
            for (JsonNode hash : file.path("hashes")) {
                observe(name, HASH, hash.get("value").asText());
            }
        }
    }

    /** One observable per name and value, however many evidences repeat it. */
    void observe(String name, int typeId, String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        for (JsonNode known : observables) {
            if (known.get("name").asText().equals(name) && known.get("value").asText().equals(value)) {
                return;
            }
        }
        observables.addObject().put("name", name).put("type_id", typeId).put("type", OBSERVABLE_TYPES.get(typeId))
                .put("value", value);
    }


    /**
     * One device of a Defender XDR incident's alert: its id and host name as OCSF's device, the rest (OS, health,
     * risk, tags, its directory id) in {@code data}, as served.
     */
    ObjectNode xdrDevice(JsonNode device) {
        ObjectNode out = JSON.createObjectNode();
        if (device.hasNonNull("deviceId") || device.hasNonNull("deviceDnsName")) {
            ObjectNode placed = out.putObject("device");
            putText(placed, "uid", text(device, "deviceId"));
            putText(placed, "hostname", text(device, "deviceDnsName"));
            placed.put("type_id", 0);
            placed.put("type", "Unknown");
            observe("evidences.device.hostname", HOSTNAME, text(placed, "hostname"));
        }
        ObjectNode data = OcsfValues.unplaced(device, out.has("device") ? DEVICE_MAPPED : Set.of());
        if (data != null) {
            out.set("data", data);
        }
        return out;
    }
}
