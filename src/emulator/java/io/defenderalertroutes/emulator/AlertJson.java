package io.defenderalertroutes.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Realistic MDE alert text for tests, benchmarks and seeding: every documented property in the order and layout
 * of Microsoft's own example (four-space indent, {@code "key": value}). The details not given are derived from
 * the id, so the same arguments always give the same text.
 */
public final class AlertJson {

    /** Microsoft's documented category list; real data holds other strings too. */
    public static final List<String> CATEGORIES = List.of("General", "CommandAndControl", "Collection",
            "CredentialAccess", "DefenseEvasion", "Discovery", "Exfiltration", "Exploit", "Execution",
            "InitialAccess", "LateralMovement", "Malware", "Persistence", "PrivilegeEscalation", "Ransomware",
            "SuspiciousActivity");

    private static final List<String> SEVERITIES = List.of("Informational", "Low", "Medium", "High");
    private static final List<String> EVIDENCE_TYPES = List.of("User", "Process", "File", "Ip", "Url");
    private static final List<String> DETECTION_SOURCES = List.of("WindowsDefenderAtp", "WindowsDefenderAv",
            "CustomerTI", "AutomatedInvestigation", "SmartScreen");
    private static final List<String> EVIDENCE_FIELDS = List.of("entityType", "evidenceCreationTime", "sha1",
            "sha256", "fileName", "filePath", "processId", "processCommandLine", "processCreationTime",
            "parentProcessId", "parentProcessCreationTime", "parentProcessFileName", "parentProcessFilePath",
            "ipAddress", "url", "registryKey", "registryHive", "registryValueType", "registryValue", "accountName",
            "domainName", "userSid", "aadUserId", "userPrincipalName", "detectionStatus");
    static final String TENANT_GUID = "8a1b2c3d-4e5f-4a6b-9c7d-0e1f2a3b4c5d";
    // .NET ticks (100 ns since 0001-01-01) at the Unix epoch; MDE alert ids carry the creation time in ticks.
    private static final long TICKS_AT_EPOCH = 621_355_968_000_000_000L;
    private static final DateTimeFormatter SEVEN_DIGITS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSS").withZone(ZoneOffset.UTC);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectWriter PRETTY = MAPPER.writer(prettyPrinter());
    private static final Map<String, String> GRAPH_DETECTION_SOURCES = Map.of(
            "microsoftDefenderForCloudApps", "cloudAppSecurity",
            "dataLossPrevention", "microsoftDataLossPrevention",
            "microsoftAppGovernance", "appGovernanceDetection");

    private AlertJson() {
    }

    /** An alert without evidence ({@code "evidence": []}). {@code lastUpdateTime} is written exactly as given. */
    public static String alert(String id, String lastUpdateTime, String status, String severity, String category) {
        return alert(id, lastUpdateTime, status, severity, category, List.of());
    }

    /**
     * An alert with one evidence entry per entity type given ({@code User}, {@code Process}, {@code File},
     * {@code Ip}, {@code Url}; any other type gets only its type and time).
     */
    public static String alert(String id, String lastUpdateTime, String status, String severity, String category,
                               List<String> evidenceEntityTypes) {
        Instant lastUpdate = Instant.parse(lastUpdateTime);
        Random details = new Random(seedOf(id));
        Instant created = lastUpdate.minus(ticksUpTo(details, 1_000, 60_000));
        return build(id, lastUpdateTime, created, status, severity, category, evidenceEntityTypes, details);
    }

    /**
     * A Microsoft Graph {@code alert} in the shape and two-space layout of Microsoft's List alerts_v2 example, for
     * {@link DefenderEmulator#putGraphAlert}. Status and severity are Graph's camelCase values ({@code new},
     * {@code inProgress}, {@code resolved}; {@code low}...) and are written as given, as are
     * {@code lastUpdateDateTime}, {@code category} and {@code serviceSource} (e.g. {@code
     * microsoftDefenderForOffice365}). The other details derive from the id, so the same arguments give the same text.
     */
    public static String graphAlert(String id, String lastUpdateDateTime, String status, String severity,
                                    String category, String serviceSource) {
        String mdeStatus = "resolved".equals(status) ? "Resolved" : "inProgress".equals(status) ? "InProgress" : "New";
        ObjectNode graph;
        try {
            graph = GraphAlertText.fromMdeTree(MAPPER.readTree(alert(id, lastUpdateDateTime, mdeStatus, "Low",
                    category)), TENANT_GUID, true);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot read a generated alert", e);
        }
        graph.put("status", status);
        graph.put("severity", severity);
        graph.put("serviceSource", serviceSource);
        if (!GraphAlertText.MDE_SERVICE_SOURCE.equals(serviceSource)) {
            // Other products keep their own alert id; Graph's id is its own.
            graph.put("providerAlertId", UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8)).toString());
            graph.put("detectionSource", GRAPH_DETECTION_SOURCES.getOrDefault(serviceSource, serviceSource));
            graph.put("description", "A " + category + " alert generated by the Defender emulator for tests, in the "
                    + "shape of a real " + serviceSource + " alert in Microsoft Graph. It describes nothing that happened.");
        }
        return GraphAlertText.pretty(graph);
    }

    /** A random but plausible alert last updated at the given instant, with zero to three evidence entries. */
    public static String randomAlert(Random random, Instant lastUpdate) {
        Instant created = lastUpdate.minus(ticksUpTo(random, 0, 2 * 60 * 60 * 1000));
        String id = "da" + ticks(created) + "_" + random.nextInt();
        int roll = random.nextInt(4);
        String status = roll < 2 ? "New" : roll == 2 ? "InProgress" : "Resolved";
        List<String> evidence = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            evidence.add(EVIDENCE_TYPES.get(random.nextInt(EVIDENCE_TYPES.size())));
        }
        return build(id, timestamp(lastUpdate), created, status, SEVERITIES.get(random.nextInt(SEVERITIES.size())),
                CATEGORIES.get(random.nextInt(CATEGORIES.size())), evidence, new Random(random.nextLong()));
    }

    /** MDE's spelling of an instant: UTC, up to 7 fractional digits, trailing zeros dropped (at least one kept). */
    public static String timestamp(Instant instant) {
        String digits = SEVEN_DIGITS.format(instant);
        int end = digits.length();
        while (digits.charAt(end - 1) == '0' && digits.charAt(end - 2) != '.') {
            end--;
        }
        return digits.substring(0, end) + "Z";
    }

    private static String build(String id, String lastUpdateTime, Instant created, String status, String severity,
                                String category, List<String> evidenceTypes, Random details) {
        Instant lastEvent = created.minus(ticksUpTo(details, 1_000, 120_000));
        Instant firstEvent = lastEvent.minus(ticksUpTo(details, 0, 600_000));
        boolean resolved = "Resolved".equalsIgnoreCase(status);
        boolean malware = "Malware".equals(category) || "Ransomware".equals(category);
        String title = titleFor(category);
        String user = "user" + (100 + details.nextInt(900));
        String host = "ws" + (1000 + details.nextInt(9000)) + ".contoso.com";

        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("id", id);
        alert.put("incidentId", 1_000_000L + details.nextInt(9_000_000));
        alert.put("investigationId", details.nextBoolean() ? 700_000L + details.nextInt(100_000) : null);
        alert.put("assignedTo", "New".equalsIgnoreCase(status) ? null : "secop" + details.nextInt(1000) + "@contoso.com");
        alert.put("severity", severity);
        alert.put("status", status);
        alert.put("classification", resolved ? "TruePositive" : null);
        alert.put("determination", resolved ? (malware ? "Malware" : "Other") : null);
        alert.put("investigationState", resolved ? "SuccessfullyRemediated" : "Queued");
        alert.put("detectionSource", DETECTION_SOURCES.get(details.nextInt(DETECTION_SOURCES.size())));
        alert.put("detectorId", UUID.nameUUIDFromBytes(title.getBytes(StandardCharsets.UTF_8)).toString());
        alert.put("category", category);
        alert.put("threatFamilyName", malware ? "Meterpreter" : null);
        alert.put("title", title);
        alert.put("description", "A " + category + " alert generated by the Defender emulator for tests. It has the "
                + "shape of a real Defender for Endpoint alert and describes nothing that happened.");
        alert.put("alertCreationTime", timestamp(created));
        alert.put("firstEventTime", timestamp(firstEvent));
        alert.put("lastEventTime", timestamp(lastEvent));
        alert.put("lastUpdateTime", lastUpdateTime);
        alert.put("resolvedTime", resolved ? lastUpdateTime : null);
        alert.put("machineId", hex(details, 40));
        alert.put("computerDnsName", host);
        alert.put("rbacGroupName", details.nextBoolean() ? "Workstations" : "Servers");
        alert.put("aadTenantId", TENANT_GUID);
        alert.put("threatName", malware ? "Trojan:Win32/Meterpreter.A" : null);
        alert.put("mitreTechniques", List.of("T1059", "T1218.011"));
        alert.put("relatedUser", userMap("userName", user));
        alert.put("loggedOnUsers", List.of(userMap("accountName", user)));
        alert.put("comments", List.of());
        List<Map<String, Object>> evidence = new ArrayList<>();
        for (String type : evidenceTypes) {
            evidence.add(evidence(type, created, user, host, details));
        }
        alert.put("evidence", evidence);
        try {
            return PRETTY.writeValueAsString(alert);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a map of plain values", e);
        }
    }

    private static Map<String, Object> evidence(String type, Instant created, String user, String host,
                                                Random details) {
        Map<String, Object> entry = new LinkedHashMap<>();
        EVIDENCE_FIELDS.forEach(field -> entry.put(field, null));
        entry.put("entityType", type);
        entry.put("evidenceCreationTime", timestamp(created.plus(ticksUpTo(details, 0, 1_000))));
        Instant processStart = created.minusSeconds(150);
        switch (type) {
            case "User":
                entry.put("accountName", user);
                entry.put("domainName", "CONTOSO");
                entry.put("userSid", "S-1-5-21-1004336348-1177238915-682003330-" + (1000 + details.nextInt(9000)));
                entry.put("aadUserId", new UUID(details.nextLong(), details.nextLong()).toString());
                entry.put("userPrincipalName", user + "@contoso.com");
                break;
            case "Process":
                putFile(entry, details, "rundll32.exe", "C:\\Windows\\SysWOW64");
                entry.put("processId", 1000 + details.nextInt(9000));
                entry.put("processCommandLine", "rundll32.exe  c:\\temp\\suspicious.dll,RepeatAfterMe");
                entry.put("processCreationTime", timestamp(processStart));
                entry.put("parentProcessId", 1000 + details.nextInt(9000));
                entry.put("parentProcessCreationTime", timestamp(processStart.minusMillis(57)));
                entry.put("parentProcessFileName", "explorer.exe");
                entry.put("parentProcessFilePath", "C:\\Windows");
                entry.put("detectionStatus", "Detected");
                break;
            case "File":
                putFile(entry, details, "suspicious.dll", "c:\\temp");
                entry.put("detectionStatus", "Detected");
                break;
            case "Ip":
                entry.put("ipAddress", "203.0.113." + (1 + details.nextInt(254)));
                break;
            case "Url":
                entry.put("url", "http://" + host.replace(".contoso.com", "") + ".example.net/payload");
                break;
            default:
                break;
        }
        return entry;
    }

    private static void putFile(Map<String, Object> entry, Random details, String name, String path) {
        entry.put("sha1", hex(details, 40));
        entry.put("sha256", hex(details, 64));
        entry.put("fileName", name);
        entry.put("filePath", path);
    }

    private static Map<String, Object> userMap(String nameKey, String user) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(nameKey, user);
        map.put("domainName", "CONTOSO");
        return map;
    }

    private static String titleFor(String category) {
        switch (category) {
            case "Malware":
                return "Suspicious 'Meterpreter' behavior was detected";
            case "Ransomware":
                return "Ransomware behavior detected in the file system";
            case "Execution":
                return "Low-reputation arbitrary code executed by signed executable";
            case "CredentialAccess":
                return "Suspicious access to LSASS service";
            case "CommandAndControl":
                return "Connection to a custom network indicator";
            default:
                return "Suspicious " + category + " activity";
        }
    }

    /** A random span of whole 100 ns ticks, as MDE's own timestamps have, between the bounds in milliseconds. */
    private static Duration ticksUpTo(Random random, int minMillis, int maxMillis) {
        long ticks = (minMillis + (long) random.nextInt(maxMillis - minMillis)) * 10_000L + random.nextInt(10_000);
        return Duration.ofNanos(ticks * 100);
    }

    private static long ticks(Instant instant) {
        return TICKS_AT_EPOCH + instant.getEpochSecond() * 10_000_000L + instant.getNano() / 100;
    }

    private static long seedOf(String id) {
        long seed = 1125899906842597L;
        for (int i = 0; i < id.length(); i++) {
            seed = 31 * seed + id.charAt(i);
        }
        return seed;
    }

    private static String hex(Random random, int length) {
        StringBuilder hex = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            hex.append(Character.forDigit(random.nextInt(16), 16));
        }
        return hex.toString();
    }

    private static DefaultPrettyPrinter prettyPrinter() {
        DefaultIndenter fourSpaces = new DefaultIndenter("    ", "\n");
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator("");
        return new DefaultPrettyPrinter(separators)
                .withObjectIndenter(fourSpaces)
                .withArrayIndenter(fourSpaces);
    }
}
