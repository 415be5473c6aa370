package io.defenderalertroutes.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How Microsoft Graph shows a Defender for Endpoint alert: the {@code microsoft.graph.security.alert} shape of
 * Microsoft's List alerts_v2 example, in its property order and two-space layout, with MDE's PascalCase enum values
 * mapped to Graph's camelCase members.
 *
 * <p>Graph's enums are evolvable: members added after {@code unknownFutureValue} reach only clients that send
 * {@code Prefer: include-unknown-enum-members}; everyone else gets {@code unknownFutureValue}. An MDE value with no
 * Graph member (status {@code Escalated}, severity {@code Critical}) is treated as such a newer member: served as
 * {@code unknownFutureValue}, or with the header as the MDE value with its first letter lower-cased.
 */
final class GraphAlertText {

    static final String UNKNOWN_FUTURE_VALUE = "unknownFutureValue";
    static final String MDE_SERVICE_SOURCE = "microsoftDefenderForEndpoint";
    static final String ODATA_TYPE = "#microsoft.graph.security.alert";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectWriter PRETTY = new ObjectMapper().writer(prettyPrinter());

    private static final GraphEnum STATUS = new GraphEnum(Map.of(),
            Set.of("unknown", "new", "inProgress", "resolved"), null);
    private static final GraphEnum SEVERITY = new GraphEnum(Map.of("UnSpecified", "unknown"),
            Set.of("unknown", "informational", "low", "medium", "high"), null);
    private static final GraphEnum CLASSIFICATION = new GraphEnum(Map.of(),
            Set.of("unknown", "falsePositive", "truePositive", "informationalExpectedActivity"), "unknown");
    private static final GraphEnum DETERMINATION = new GraphEnum(Map.of("NotAvailable", "unknown"),
            Set.of("unknown", "apt", "malware", "securityPersonnel", "securityTesting", "unwantedSoftware", "other",
                    "multiStagedAttack", "compromisedAccount", "phishing", "maliciousUserActivity", "notMalicious",
                    "notEnoughDataToValidate", "confirmedUserActivity", "lineOfBusinessApplication"), "unknown");
    private static final GraphEnum DETECTION_SOURCE = new GraphEnum(Map.of(
            "WindowsDefenderAtp", "microsoftDefenderForEndpoint", "WindowsDefenderAv", "antivirus",
            "WindowsDefenderSmartScreen", "smartScreen", "CustomerTI", "customTi", "MTP", "microsoft365Defender",
            "ThreatExperts", "microsoftThreatExperts"),
            Set.of("unknown", "microsoftDefenderForEndpoint", "antivirus", "smartScreen", "customTi",
                    "microsoftDefenderForOffice365", "automatedInvestigation", "microsoftThreatExperts",
                    "customDetection", "microsoftDefenderForIdentity", "cloudAppSecurity", "microsoft365Defender",
                    "azureAdIdentityProtection", "manual", "microsoftDataLossPrevention", "appGovernancePolicy",
                    "appGovernanceDetection"), "unknown");
    private static final Map<String, String> EVIDENCE_TYPES = Map.of("User", "userEvidence",
            "Process", "processEvidence", "File", "fileEvidence", "Ip", "ipEvidence", "Url", "urlEvidence");

    private GraphAlertText() {
    }

    /** The Graph text of an MDE alert, for clients that do or do not send the unknown-enum-members preference. */
    static String fromMde(JsonNode mde, String tenantId, boolean includeUnknownEnumMembers) {
        return pretty(fromMdeTree(mde, tenantId, includeUnknownEnumMembers));
    }

    static ObjectNode fromMdeTree(JsonNode mde, String tenantId, boolean unknownMembers) {
        String id = mde.path("id").asText();
        String tenantGuid = textOr(mde.get("aadTenantId"), tenantId);
        String incidentId = incidentId(mde.get("incidentId"));
        ObjectNode alert = NODES.objectNode();
        alert.put("@odata.type", ODATA_TYPE);
        alert.put("id", id);
        alert.put("providerAlertId", id);
        alert.put("incidentId", incidentId);
        alert.put("status", STATUS.member(mde.get("status"), unknownMembers));
        alert.put("severity", SEVERITY.member(mde.get("severity"), unknownMembers));
        alert.put("classification", CLASSIFICATION.member(mde.get("classification"), unknownMembers));
        alert.put("determination", DETERMINATION.member(mde.get("determination"), unknownMembers));
        alert.put("serviceSource", MDE_SERVICE_SOURCE);
        alert.put("detectionSource", DETECTION_SOURCE.member(mde.get("detectionSource"), unknownMembers));
        alert.set("detectorId", copy(mde.get("detectorId")));
        alert.put("tenantId", tenantGuid);
        alert.set("title", copy(mde.get("title")));
        alert.set("description", copy(mde.get("description")));
        alert.set("recommendedActions", copy(mde.get("recommendedActions")));
        alert.set("category", copy(mde.get("category")));
        alert.set("assignedTo", copy(mde.get("assignedTo")));
        alert.put("alertWebUrl", "https://security.microsoft.com/alerts/" + id + "?tid=" + tenantGuid);
        alert.put("incidentWebUrl", incidentId == null ? null
                : "https://security.microsoft.com/incidents/" + incidentId + "?tid=" + tenantGuid);
        alert.putNull("actorDisplayName");
        alert.set("threatDisplayName", copy(mde.get("threatName")));
        alert.set("threatFamilyName", copy(mde.get("threatFamilyName")));
        JsonNode techniques = mde.get("mitreTechniques");
        alert.set("mitreTechniques", techniques != null && techniques.isArray() ? techniques.deepCopy()
                : NODES.arrayNode());
        alert.set("createdDateTime", copy(mde.get("alertCreationTime")));
        alert.set("lastUpdateDateTime", copy(mde.get("lastUpdateTime")));
        alert.set("resolvedDateTime", copy(mde.get("resolvedTime")));
        alert.set("firstActivityDateTime", copy(mde.get("firstEventTime")));
        alert.set("lastActivityDateTime", copy(mde.get("lastEventTime")));
        alert.set("comments", comments(mde.get("comments")));
        alert.set("evidence", evidence(mde.get("evidence")));
        return alert;
    }

    /** Two-space indent and {@code "key": value}, as in Microsoft's Graph examples. */
    static String pretty(JsonNode tree) {
        try {
            return PRETTY.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a JSON tree", e);
        }
    }

    /** "Escalated" becomes "escalated": how a newer Graph member is spelt for clients that ask for them. */
    static String lowerFirst(String text) {
        return text.isEmpty() ? text : text.substring(0, 1).toLowerCase(Locale.ROOT) + text.substring(1);
    }

    private static ArrayNode comments(JsonNode mdeComments) {
        ArrayNode comments = NODES.arrayNode();
        if (mdeComments == null || !mdeComments.isArray()) {
            return comments;
        }
        for (JsonNode comment : mdeComments) {
            if (!comment.isObject()) {
                comments.add(comment.deepCopy());
                continue;
            }
            ObjectNode graph = comments.addObject();
            graph.set("comment", copy(comment.get("comment")));
            graph.set("createdByDisplayName", copy(comment.get("createdBy")));
            graph.set("createdDateTime", copy(comment.get("createdTime")));
        }
        return comments;
    }

    private static ArrayNode evidence(JsonNode mdeEvidence) {
        ArrayNode evidence = NODES.arrayNode();
        if (mdeEvidence == null || !mdeEvidence.isArray()) {
            return evidence;
        }
        for (JsonNode entry : mdeEvidence) {
            if (entry.isObject()) {
                evidence.add(evidenceEntry(entry));
            }
        }
        return evidence;
    }

    private static ObjectNode evidenceEntry(JsonNode mde) {
        String type = mde.path("entityType").asText("");
        ObjectNode graph = NODES.objectNode();
        graph.put("@odata.type", "#microsoft.graph.security." + EVIDENCE_TYPES.getOrDefault(type, "alertEvidence"));
        graph.set("createdDateTime", copy(mde.get("evidenceCreationTime")));
        graph.put("verdict", "unknown");
        graph.put("remediationStatus", "none");
        graph.putNull("remediationStatusDetails");
        switch (type) {
            case "User":
                graph.set("userAccount", userAccount(mde));
                break;
            case "Process":
                graph.set("processId", copy(mde.get("processId")));
                graph.set("parentProcessId", copy(mde.get("parentProcessId")));
                graph.set("processCommandLine", copy(mde.get("processCommandLine")));
                graph.set("processCreationDateTime", copy(mde.get("processCreationTime")));
                graph.set("parentProcessCreationDateTime", copy(mde.get("parentProcessCreationTime")));
                graph.put("detectionStatus", detectionStatus(mde));
                graph.set("imageFile", fileDetails(mde.get("sha1"), mde.get("sha256"), mde.get("fileName"),
                        mde.get("filePath")));
                graph.set("parentProcessImageFile", fileDetails(null, null, mde.get("parentProcessFileName"),
                        mde.get("parentProcessFilePath")));
                graph.set("userAccount", mde.hasNonNull("accountName") ? userAccount(mde) : NODES.nullNode());
                break;
            case "File":
                graph.put("detectionStatus", detectionStatus(mde));
                graph.set("fileDetails", fileDetails(mde.get("sha1"), mde.get("sha256"), mde.get("fileName"),
                        mde.get("filePath")));
                break;
            case "Ip":
                graph.set("ipAddress", copy(mde.get("ipAddress")));
                break;
            case "Url":
                graph.set("url", copy(mde.get("url")));
                break;
            default:
                break;
        }
        graph.putArray("roles");
        graph.putArray("detailedRoles");
        graph.putArray("tags");
        return graph;
    }

    private static String detectionStatus(JsonNode mde) {
        JsonNode status = mde.get("detectionStatus");
        return status == null || status.isNull() ? null : lowerFirst(status.asText());
    }

    private static ObjectNode fileDetails(JsonNode sha1, JsonNode sha256, JsonNode fileName, JsonNode filePath) {
        ObjectNode file = NODES.objectNode();
        file.set("sha1", copy(sha1));
        file.set("sha256", copy(sha256));
        file.set("fileName", copy(fileName));
        file.set("filePath", copy(filePath));
        file.putNull("fileSize");
        file.putNull("filePublisher");
        file.putNull("signer");
        file.putNull("issuer");
        return file;
    }

    private static ObjectNode userAccount(JsonNode mde) {
        ObjectNode account = NODES.objectNode();
        account.set("accountName", copy(mde.get("accountName")));
        account.set("domainName", copy(mde.get("domainName")));
        account.set("userSid", copy(mde.get("userSid")));
        account.set("azureAdUserId", copy(mde.get("aadUserId")));
        account.set("userPrincipalName", copy(mde.get("userPrincipalName")));
        account.putNull("displayName");
        return account;
    }

    private static String incidentId(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isNumber() && node.canConvertToLong() && node.asDouble() == Math.rint(node.asDouble())) {
            return Long.toString(node.asLong());
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }

    private static String textOr(JsonNode node, String otherwise) {
        return node == null || node.isNull() || !node.isValueNode() ? otherwise : node.asText();
    }

    private static JsonNode copy(JsonNode node) {
        return node == null ? NODES.nullNode() : node.deepCopy();
    }

    private static DefaultPrettyPrinter prettyPrinter() {
        DefaultIndenter twoSpaces = new DefaultIndenter("  ", "\n");
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator("");
        return new DefaultPrettyPrinter(separators)
                .withObjectIndenter(twoSpaces)
                .withArrayIndenter(twoSpaces);
    }

    /**
     * One Graph enum: explicit MDE-to-Graph names, the members a client gets without asking (those before
     * {@code unknownFutureValue}), and what a missing MDE value becomes.
     */
    private record GraphEnum(Map<String, String> explicit, Set<String> members, String whenMissing) {

        String member(JsonNode mdeValue, boolean includeUnknownEnumMembers) {
            if (mdeValue == null || mdeValue.isNull()) {
                return whenMissing;
            }
            String text = mdeValue.isValueNode() ? mdeValue.asText() : mdeValue.toString();
            String graph = explicit.getOrDefault(text, lowerFirst(text));
            if (members.contains(graph) || graph.equals(UNKNOWN_FUTURE_VALUE)) {
                return graph;
            }
            return includeUnknownEnumMembers ? graph : UNKNOWN_FUTURE_VALUE;
        }
    }
}
