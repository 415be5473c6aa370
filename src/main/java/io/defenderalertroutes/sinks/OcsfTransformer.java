package io.defenderalertroutes.sinks;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.defenderalertroutes.defender.AlertHeaders;
import org.apache.camel.Message;
import org.apache.camel.spi.DataType;
import org.apache.camel.spi.DataTypeTransformer;
import org.apache.camel.spi.Transformer;

/**
 * A Defender for Endpoint alert ({@code /api/alerts}) as an OCSF 1.3.0 Detection Finding (class 2004), the mapping
 * of docs/formats.md. A field without an OCSF counterpart goes to {@code unmapped} under its own name rather than
 * being dropped, and a severity or status OCSF has no value for becomes Other (99) with Microsoft's word kept. The
 * Graph alert ({@code /security/alerts_v2}) maps the same way under its own names, as Microsoft Defender XDR's.
 * Incidents are the next step of issue 29: until then an incident is refused, at start-up for a sink's format
 * ({@code TenantParts}) and here for a route of the user's.
 */
@DataTypeTransformer(name = "defender:ocsf",
        description = "Maps a Microsoft Defender for Endpoint or Graph alert (raw JSON body, Defender-* headers) to an OCSF 1.3.0 Detection Finding")
public final class OcsfTransformer extends Transformer {

    public static final String OCSF_VERSION = "1.3.0";
    static final int CATEGORY_UID = 2;
    static final int CLASS_UID = 2004;
    /** The alert APIs this transformer maps, as the Defender-Source header names them. */
    static final String SOURCE = "defender-api";
    static final String GRAPH = "graph";
    static final Set<String> SOURCES = Set.of(SOURCE, GRAPH);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Integer> SEVERITIES = Map.of("unspecified", 0, "unknown", 0, "informational", 1, "low", 2,
            "medium", 3, "high", 4);
    private static final Map<String, Integer> STATUSES = Map.of("unknown", 0, "new", 1, "inprogress", 2, "resolved", 4);
    private static final Map<Integer, String> STATUS_NAMES = Map.of(0, "Unknown", 1, "New", 2, "In Progress",
            4, "Resolved", 99, "Other");
    private static final Map<Integer, String> SEVERITY_NAMES = Map.of(0, "Unknown", 1, "Informational", 2, "Low",
            3, "Medium", 4, "High", 99, "Other");
    /** The alert's fields the mapping places; every other one goes to unmapped. */
    static final Set<String> MAPPED = Set.of("id", "incidentId", "severity", "status", "detectionSource",
            "detectorId", "category", "title", "description", "alertCreationTime", "firstEventTime", "lastEventTime",
            "lastUpdateTime", "machineId", "computerDnsName", "aadTenantId", "mitreTechniques", "evidence");
    /** The Graph alert's (alerts_v2) fields the mapping places. */
    static final Set<String> GRAPH_MAPPED = Set.of("id", "incidentId", "severity", "status", "detectionSource",
            "detectorId", "category", "title", "description", "createdDateTime", "firstActivityDateTime",
            "lastActivityDateTime", "lastUpdateDateTime", "tenantId", "mitreTechniques", "evidence");

    /** Where each API keeps what both say: the two alert shapes differ in names, not in meaning. */
    private record Shape(String product, String created, String first, String last, String updated, String tenant,
            Set<String> mapped) {
    }

    private static final Shape ENDPOINT = new Shape("Microsoft Defender for Endpoint", "alertCreationTime",
            "firstEventTime", "lastEventTime", "lastUpdateTime", "aadTenantId", MAPPED);
    // Graph's alerts_v2 gathers every Defender product's alerts: the product is XDR, serviceSource says which one
    private static final Shape XDR = new Shape("Microsoft Defender XDR", "createdDateTime", "firstActivityDateTime",
            "lastActivityDateTime", "lastUpdateDateTime", "tenantId", GRAPH_MAPPED);
    /** The evidence fields the mapping places; the others stay with their evidence in {@code evidences[].data}. */
    static final Set<String> EVIDENCE_MAPPED = Set.of("sha1", "sha256", "fileName", "filePath", "processId",
            "processCommandLine", "processCreationTime", "parentProcessId", "parentProcessCreationTime",
            "parentProcessFileName", "parentProcessFilePath", "url", "accountName", "domainName", "userSid",
            "aadUserId");
    // OCSF 1.3.0 numbers observable types in its dictionary (types' and attributes' "observable"), not in observable.json
    private static final int HOSTNAME = 1;
    private static final int IP_ADDRESS = 2;
    private static final int USER_NAME = 4;
    private static final int URL_STRING = 6;
    private static final int FILE_NAME = 7;
    private static final int HASH = 8;
    private static final int PROCESS_NAME = 9;
    private static final int COMMAND_LINE = 13;
    private static final Map<Integer, String> OBSERVABLE_TYPES = Map.of(HOSTNAME, "Hostname", IP_ADDRESS,
            "IP Address", USER_NAME, "User Name", URL_STRING, "URL String", FILE_NAME, "File Name", HASH, "Hash",
            PROCESS_NAME, "Process Name", COMMAND_LINE, "Command Line");

    @Override
    public void transform(Message message, DataType from, DataType to) throws Exception {
        String source = message.getHeader(AlertHeaders.SOURCE, String.class);
        if (!SOURCES.contains(source)) {
            throw new IllegalArgumentException("defender:ocsf maps alerts (Defender-Source " + SOURCE + " or "
                    + GRAPH + ") so far, not " + source);
        }
        String raw = message.getBody(String.class);
        JsonNode alert = JSON.readTree(raw);
        if (!alert.isObject()) {
            throw new IllegalArgumentException("defender:ocsf maps an alert's JSON object; the body is not one");
        }
        ObjectNode finding = finding(alert, message);
        if (message.getExchange().getProperty(SinkFormats.KEEP_RAW, false, Boolean.class)) {
            finding.put("raw_data", raw);
        }
        message.setBody(JSON.writeValueAsString(finding));
        message.setHeader("Content-Type", "application/json");
    }

    static ObjectNode finding(JsonNode alert, Message message) {
        Shape shape = GRAPH.equals(message.getHeader(AlertHeaders.SOURCE, String.class)) ? XDR : ENDPOINT;
        ObjectNode event = JSON.createObjectNode();
        int activity = activity(alert, message);
        event.put("activity_id", activity);
        event.put("activity_name", switch (activity) {
            case 1 -> "Create";
            case 2 -> "Update";
            default -> "Close";
        });
        event.put("category_uid", CATEGORY_UID);
        event.put("category_name", "Findings");
        event.put("class_uid", CLASS_UID);
        event.put("class_name", "Detection Finding");
        event.put("type_uid", CLASS_UID * 100L + activity);
        event.put("type_name", "Detection Finding: " + event.get("activity_name").asText());

        String severity = text(alert, "severity");
        int severityId = severity == null ? 0 : SEVERITIES.getOrDefault(severity.toLowerCase(Locale.ROOT), 99);
        event.put("severity_id", severityId);
        event.put("severity", severityId == 99 ? severity : SEVERITY_NAMES.get(severityId));
        String status = text(alert, "status");
        int statusId = status == null ? 0 : STATUSES.getOrDefault(status.toLowerCase(Locale.ROOT), 99);
        event.put("status_id", statusId);
        event.put("status", statusId == 99 ? status : STATUS_NAMES.get(statusId));

        Long updated = epochMillis(text(alert, shape.updated()));
        event.put("time", updated != null ? updated : System.currentTimeMillis());
        if (text(alert, "title") != null) {
            event.put("message", text(alert, "title"));
        }
        event.set("metadata", metadata(alert, message, shape));
        event.set("finding_info", findingInfo(alert, shape));
        ObjectNode device = device(alert);
        if (device != null) {
            event.set("device", device);
        }
        ArrayNode attacks = attacks(alert);
        if (!attacks.isEmpty()) {
            // the security_control profile, as Detection Finding asks of a security control: attacks here and in
            // finding_info, and what the control did, which an alert does not say
            event.set("attacks", attacks);
            ((ObjectNode) event.get("finding_info")).set("attacks", attacks.deepCopy());
            event.put("action_id", 0);
            event.put("action", "Unknown");
        }
        ArrayNode observables = JSON.createArrayNode();
        if (device != null && device.hasNonNull("hostname")) {
            observable(observables, "device.hostname", HOSTNAME, device.get("hostname").asText());
        }
        ArrayNode evidences = JSON.createArrayNode();
        for (JsonNode evidence : alert.path("evidence")) {
            if (evidence.isObject()) {
                evidences.add(shape == XDR ? graphEvidence(evidence, observables) : evidence(evidence, observables));
            }
        }
        if (!evidences.isEmpty()) {
            event.set("evidences", evidences);
        }
        if (!observables.isEmpty()) {
            event.set("observables", observables);
        }
        ObjectNode unmapped = JSON.createObjectNode();
        alert.fields().forEachRemaining(field -> {
            if (!shape.mapped().contains(field.getKey()) && !field.getValue().isNull()) {
                unmapped.set(field.getKey(), field.getValue());
            }
        });
        if (!unmapped.isEmpty()) {
            event.set("unmapped", unmapped);
        }
        return event;
    }

    /** Close when Microsoft resolved it; otherwise Create for the first delivery, Update for a later version. */
    private static int activity(JsonNode alert, Message message) {
        if ("resolved".equalsIgnoreCase(text(alert, "status"))) {
            return 3;
        }
        return "update".equals(message.getHeader(AlertHeaders.CHANGE, String.class)) ? 2 : 1;
    }

    private static ObjectNode metadata(JsonNode alert, Message message, Shape shape) {
        ObjectNode metadata = JSON.createObjectNode();
        metadata.put("version", OCSF_VERSION);
        ObjectNode product = metadata.putObject("product");
        product.put("vendor_name", "Microsoft");
        product.put("name", shape.product());
        if (text(alert, "detectionSource") != null) {
            product.putObject("feature").put("name", text(alert, "detectionSource"));
        }
        String key = message.getHeader(AlertHeaders.IDEMPOTENCY_KEY, String.class);
        if (key != null) {
            metadata.put("uid", key);
        }
        if (text(alert, shape.tenant()) != null) {
            metadata.put("tenant_uid", text(alert, shape.tenant()));
        }
        if (text(alert, shape.updated()) != null) {
            metadata.put("original_time", text(alert, shape.updated()));
        }
        ArrayNode profiles = metadata.putArray("profiles");
        if (alert.hasNonNull("machineId") || alert.hasNonNull("computerDnsName")) {
            profiles.add("host");
        }
        if (alert.path("mitreTechniques").size() > 0) {
            profiles.add("security_control");
        }
        if (profiles.isEmpty()) {
            metadata.remove("profiles");
        }
        return metadata;
    }

    private static ObjectNode findingInfo(JsonNode alert, Shape shape) {
        ObjectNode info = JSON.createObjectNode();
        info.put("uid", text(alert, "id"));
        info.put("title", text(alert, "title") != null ? text(alert, "title") : text(alert, "id"));
        putText(info, "desc", text(alert, "description"));
        putTime(info, "created_time", text(alert, shape.created()));
        putTime(info, "first_seen_time", text(alert, shape.first()));
        putTime(info, "last_seen_time", text(alert, shape.last()));
        putTime(info, "modified_time", text(alert, shape.updated()));
        if (text(alert, "category") != null) {
            info.putArray("types").add(text(alert, "category"));
        }
        if (text(alert, "detectorId") != null) {
            ObjectNode analytic = info.putObject("analytic");
            analytic.put("uid", text(alert, "detectorId"));
            // Defender does not say how its detector works
            analytic.put("type_id", 0);
            analytic.put("type", "Unknown");
        }
        if (text(alert, "incidentId") != null) {
            ObjectNode incident = info.putArray("related_events").addObject();
            incident.put("uid", text(alert, "incidentId"));
            incident.put("type", "Microsoft Defender incident");
        }
        return info;
    }

    private static ObjectNode device(JsonNode alert) {
        if (!alert.hasNonNull("machineId") && !alert.hasNonNull("computerDnsName")) {
            return null;
        }
        ObjectNode device = JSON.createObjectNode();
        putText(device, "uid", text(alert, "machineId"));
        putText(device, "hostname", text(alert, "computerDnsName"));
        device.put("type_id", 0);
        device.put("type", "Unknown");
        return device;
    }

    /**
     * One evidence of {@code /api/alerts?$expand=evidence}: its file, process, user and URL as OCSF objects, whatever
     * else it says (its entityType, times, IP address, registry value, UPN) in {@code data}, which OCSF keeps for
     * evidence its objects have no place for. An IP address has no attribute of its own in 1.3.0 evidences, and
     * Defender does not say whether it was the source or the destination, so it is not guessed into an endpoint.
     */
    private static ObjectNode evidence(JsonNode evidence, ArrayNode observables) {
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
                observable(observables, "evidences.process.name", PROCESS_NAME, text(process, "name"));
                observable(observables, "evidences.process.cmd_line", COMMAND_LINE, text(process, "cmd_line"));
                hashObservables(observables, "evidences.process.file.hashes.value", file);
            } else {
                isProcess = false;
            }
        }
        if (!isProcess && file != null) {
            out.set("file", file);
            observable(observables, "evidences.file.name", FILE_NAME, text(file, "name"));
            hashObservables(observables, "evidences.file.hashes.value", file);
        }
        if (text(evidence, "url") != null) {
            out.putObject("url").put("url_string", text(evidence, "url"));
            observable(observables, "evidences.url.url_string", URL_STRING, text(evidence, "url"));
        }
        ObjectNode user = JSON.createObjectNode();
        putText(user, "name", text(evidence, "accountName"));
        putText(user, "domain", text(evidence, "domainName"));
        // OCSF's own examples: uid is the Windows SID, uid_alt the directory's GUID for the same user
        putText(user, "uid", text(evidence, "userSid"));
        putText(user, "uid_alt", text(evidence, "aadUserId"));
        if (user.has("name") || user.has("uid")) {
            out.set("user", user);
            observable(observables, "evidences.user.name", USER_NAME, text(user, "name"));
        }
        ObjectNode data = JSON.createObjectNode();
        evidence.fields().forEachRemaining(field -> {
            boolean placed = EVIDENCE_MAPPED.contains(field.getKey()) && placed(field.getKey(), out);
            if (!placed && !field.getValue().isNull()) {
                data.set(field.getKey(), field.getValue());
            }
        });
        if (!data.isEmpty()) {
            out.set("data", data);
            observable(observables, "evidences.data.ipAddress", IP_ADDRESS, text(data, "ipAddress"));
            observable(observables, "evidences.data.userPrincipalName", USER_NAME, text(data, "userPrincipalName"));
        }
        return out;
    }

    /**
     * One evidence of a Graph alert, by its {@code @odata.type}: file, process (with its image files and account),
     * user, device and URL evidence as OCSF objects; an IP address, as for Defender for Endpoint, and every kind or
     * field without an OCSF place in {@code data}, as served (a sub-object keeps there what was not placed of it).
     */
    private static ObjectNode graphEvidence(JsonNode evidence, ArrayNode observables) {
        ObjectNode out = JSON.createObjectNode();
        String odataType = text(evidence, "@odata.type");
        String kind = odataType == null ? "" : odataType.substring(odataType.lastIndexOf('.') + 1);
        Map<String, Set<String>> placed = new java.util.HashMap<>();
        switch (kind) {
            case "fileEvidence" -> {
                ObjectNode file = graphFile(evidence.path("fileDetails"), placed, "fileDetails");
                if (file != null) {
                    out.set("file", file);
                    observable(observables, "evidences.file.name", FILE_NAME, text(file, "name"));
                    hashObservables(observables, "evidences.file.hashes.value", file);
                }
            }
            case "processEvidence" -> {
                if (evidence.hasNonNull("processId")) {
                    ObjectNode process = out.putObject("process");
                    process.put("pid", evidence.get("processId").asInt());
                    putText(process, "cmd_line", text(evidence, "processCommandLine"));
                    putTime(process, "created_time", text(evidence, "processCreationDateTime"));
                    placed.put("", new java.util.HashSet<>(Set.of("processId", "processCommandLine", "processCreationDateTime")));
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
                        observable(observables, "evidences.process.user.name", USER_NAME, text(user, "name"));
                    }
                    observable(observables, "evidences.process.name", PROCESS_NAME, text(process, "name"));
                    observable(observables, "evidences.process.cmd_line", COMMAND_LINE, text(process, "cmd_line"));
                    hashObservables(observables, "evidences.process.file.hashes.value", file);
                }
            }
            case "userEvidence" -> {
                ObjectNode user = graphUser(evidence.path("userAccount"), placed);
                if (user != null) {
                    out.set("user", user);
                    observable(observables, "evidences.user.name", USER_NAME, text(user, "name"));
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
                    observable(observables, "evidences.device.hostname", HOSTNAME, text(device, "hostname"));
                }
            }
            case "urlEvidence" -> {
                if (text(evidence, "url") != null) {
                    out.putObject("url").put("url_string", text(evidence, "url"));
                    placed.put("", Set.of("url"));
                    observable(observables, "evidences.url.url_string", URL_STRING, text(evidence, "url"));
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
            observable(observables, "evidences.data.ipAddress", IP_ADDRESS, text(data, "ipAddress"));
            observable(observables, "evidences.data.userAccount.userPrincipalName", USER_NAME,
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

    private static void hashObservables(ArrayNode observables, String name, ObjectNode file) {
        if (file != null) {
            for (JsonNode hash : file.path("hashes")) {
                observable(observables, name, HASH, hash.get("value").asText());
            }
        }
    }

    /** One observable per name and value, however many evidences repeat it. */
    private static void observable(ArrayNode observables, String name, int typeId, String value) {
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

    /** MITRE techniques such as T1059.001: a sub-technique keeps its own id and names its technique. */
    private static ArrayNode attacks(JsonNode alert) {
        ArrayNode attacks = JSON.createArrayNode();
        for (JsonNode technique : alert.path("mitreTechniques")) {
            String uid = technique.asText();
            if (uid.isBlank()) {
                continue;
            }
            ObjectNode attack = attacks.addObject();
            int dot = uid.indexOf('.');
            attack.putObject("technique").put("uid", dot < 0 ? uid : uid.substring(0, dot));
            if (dot >= 0) {
                attack.putObject("sub_technique").put("uid", uid);
            }
        }
        return attacks;
    }

    private static String text(JsonNode alert, String field) {
        JsonNode value = alert.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static void putText(ObjectNode node, String name, String value) {
        if (value != null) {
            node.put(name, value);
        }
    }

    private static void putTime(ObjectNode node, String name, String value) {
        Long millis = epochMillis(value);
        if (millis != null) {
            node.put(name, millis);
        }
    }

    /** Defender's times: UTC, with or without the Z, 0 to 7 fractional digits. */
    static Long epochMillis(String written) {
        if (written == null || written.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(written).toEpochMilli();
        } catch (DateTimeParseException withoutZone) {
            try {
                return LocalDateTime.parse(written).toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (DateTimeParseException notATime) {
                return null;
            }
        }
    }
}
