package io.defenderalertroutes.sinks.ocsf;

import static io.defenderalertroutes.sinks.ocsf.OcsfValues.JSON;
import static io.defenderalertroutes.sinks.ocsf.OcsfValues.putText;
import static io.defenderalertroutes.sinks.ocsf.OcsfValues.putTime;
import static io.defenderalertroutes.sinks.ocsf.OcsfValues.text;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Evidence in the flat shape Defender for Endpoint's alerts ({@code $expand=evidence}) and a Defender XDR incident's
 * alerts ({@code entities}) share, and a Defender XDR alert's devices, as OCSF {@code evidences[]}, observed as it goes.
 */
final class EndpointEvidence {

    /** The evidence fields the flat shape places; the others stay with their evidence in {@code evidences[].data}. */
    private static final Set<String> MAPPED = Set.of("sha1", "sha256", "fileName", "filePath", "processId",
            "processCommandLine", "processCreationTime", "parentProcessId", "parentProcessCreationTime",
            "parentProcessFileName", "parentProcessFilePath", "url", "accountName", "domainName", "userSid",
            "aadUserId");

    private final Observables observables;

    EndpointEvidence(Observables observables) {
        this.observables = observables;
    }

    /**
     * One evidence of {@code /api/alerts?$expand=evidence}, or one entity of a Defender XDR incident's alert: its
     * file, process, user and URL as OCSF objects, whatever else it says (its entityType, times, IP address, registry
     * value, UPN) in {@code data}, which OCSF keeps for evidence its objects have no place for. An IP address has no
     * attribute of its own in 1.3.0 evidences, and Defender does not say whether it was the source or the
     * destination, so it is not guessed into an endpoint.
     */
    ObjectNode of(JsonNode evidence) {
        ObjectNode out = JSON.createObjectNode();
        String type = text(evidence, "entityType");
        boolean isProcess = "Process".equalsIgnoreCase(type);
        ObjectNode file = OcsfValues.file(text(evidence, "fileName"), text(evidence, "filePath"), text(evidence, "sha1"),
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
            ObjectNode parentFile = OcsfValues.file(text(evidence, "parentProcessFileName"), text(evidence, "parentProcessFilePath"),
                    null, null);
            if (parentFile != null) {
                parent.set("file", parentFile);
            }
            if (parent.has("pid")) {
                process.set("parent_process", parent);
            }
            if (process.has("pid")) {
                out.set("process", process);
                observables.observe("evidences.process.name", Observables.PROCESS_NAME, text(process, "name"));
                observables.observe("evidences.process.cmd_line", Observables.COMMAND_LINE, text(process, "cmd_line"));
                observables.hashes("evidences.process.file.hashes.value", file);
            } else {
                isProcess = false;
            }
        }
        if (!isProcess && file != null) {
            out.set("file", file);
            observables.observe("evidences.file.name", Observables.FILE_NAME, text(file, "name"));
            observables.hashes("evidences.file.hashes.value", file);
        }
        if (text(evidence, "url") != null) {
            out.putObject("url").put("url_string", text(evidence, "url"));
            observables.observe("evidences.url.url_string", Observables.URL_STRING, text(evidence, "url"));
        }
        ObjectNode user = JSON.createObjectNode();
        putText(user, "name", text(evidence, "accountName"));
        putText(user, "domain", text(evidence, "domainName"));
        // OCSF's own examples: uid is the Windows SID, uid_alt the directory's GUID for the same user
        putText(user, "uid", text(evidence, "userSid"));
        putText(user, "uid_alt", text(evidence, "aadUserId"));
        if (user.has("name") || user.has("uid")) {
            out.set("user", user);
            observables.observe("evidences.user.name", Observables.USER_NAME, text(user, "name"));
        }
        ObjectNode data = JSON.createObjectNode();
        evidence.fields().forEachRemaining(field -> {
            boolean placed = MAPPED.contains(field.getKey()) && placed(field.getKey(), out);
            if (!placed && !field.getValue().isNull()) {
                data.set(field.getKey(), field.getValue());
            }
        });
        if (!data.isEmpty()) {
            out.set("data", data);
            observables.observe("evidences.data.ipAddress", Observables.IP_ADDRESS, text(data, "ipAddress"));
            observables.observe("evidences.data.userPrincipalName", Observables.USER_NAME, text(data, "userPrincipalName"));
        }
        return out;
    }

    /**
     * One device of a Defender XDR incident's alert: its id and host name as OCSF's device, the rest (OS, health,
     * risk, RBAC group, its directory id) in {@code data}, as served. Microsoft's field list names the id
     * {@code deviceId}, its example response {@code mdatpDeviceId}: either is taken, and the other stays in data.
     */
    ObjectNode device(JsonNode device) {
        ObjectNode out = JSON.createObjectNode();
        String id = text(device, "mdatpDeviceId") != null ? "mdatpDeviceId" : "deviceId";
        ObjectNode placed = OcsfValues.device(text(device, id), text(device, "deviceDnsName"));
        if (placed != null) {
            out.set("device", placed);
            observables.observe("evidences.device.hostname", Observables.HOSTNAME, text(placed, "hostname"));
        }
        ObjectNode data = OcsfValues.unplaced(device, out.has("device") ? Set.of(id, "deviceDnsName") : Set.of());
        if (data != null) {
            out.set("data", data);
        }
        return out;
    }

    /** Whether the mapping found a place for an evidence field: a process or user it could not form keeps its fields. */
    private static boolean placed(String field, ObjectNode out) {
        return switch (field) {
            case "accountName", "domainName", "userSid", "aadUserId" -> out.has("user");
            case "url" -> out.has("url");
            case "processId", "processCommandLine" -> out.has("process");
            // a time that is none has no place in created_time
            case "processCreationTime" -> out.path("process").has("created_time");
            case "parentProcessCreationTime" -> out.path("process").path("parent_process").has("created_time");
            case "parentProcessId", "parentProcessFileName", "parentProcessFilePath" ->
                    out.path("process").has("parent_process");
            // sha1, sha256, fileName, filePath: a file needs a name, so without one they stay in data
            default -> out.has("file") || out.path("process").has("file");
        };
    }
}
