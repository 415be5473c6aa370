package io.defenderalertroutes.actions;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The response actions a request may ask for, each as Microsoft's Defender for Endpoint API takes it: the call, the
 * application permission it needs, what its target is, the body fields Microsoft requires (with their allowed values
 * where it documents them) and any limit of its own on top of the tenant's budget.
 */
public enum ActionKind {

    UPDATE_ALERT("update-alert", "PATCH", "/api/alerts/{target}", Target.ALERT, "Alert.ReadWrite.All", List.of(),
            Map.of("status", Set.of("New", "InProgress", "Resolved"),
                    "classification", Set.of("TruePositive", "InformationalExpectedActivity", "FalsePositive"))),
    BATCH_UPDATE_ALERTS("batch-update-alerts", "POST", "/api/alerts/batchUpdate", Target.NONE, "Alert.ReadWrite.All",
            List.of("alertIds"), Map.of("status", Set.of("New", "InProgress", "Resolved"),
                    "classification", Set.of("TruePositive", "InformationalExpectedActivity", "FalsePositive")),
            10, 500),
    ISOLATE_MACHINE("isolate-machine", "POST", "/api/machines/{target}/isolate", Target.MACHINE, "Machine.Isolate",
            List.of("Comment", "IsolationType"), Map.of("IsolationType", Set.of("Full", "Selective", "UnManagedDevice"))),
    UNISOLATE_MACHINE("unisolate-machine", "POST", "/api/machines/{target}/unisolate", Target.MACHINE, "Machine.Isolate",
            List.of("Comment"), Map.of()),
    RUN_AV_SCAN("run-av-scan", "POST", "/api/machines/{target}/runAntiVirusScan", Target.MACHINE, "Machine.Scan",
            List.of("Comment"), Map.of("ScanType", Set.of("Quick", "Full"))),
    RESTRICT_APP_EXECUTION("restrict-app-execution", "POST", "/api/machines/{target}/restrictCodeExecution",
            Target.MACHINE, "Machine.RestrictExecution", List.of("Comment"), Map.of()),
    UNRESTRICT_APP_EXECUTION("unrestrict-app-execution", "POST", "/api/machines/{target}/unrestrictCodeExecution",
            Target.MACHINE, "Machine.RestrictExecution", List.of("Comment"), Map.of()),
    COLLECT_INVESTIGATION_PACKAGE("collect-investigation-package", "POST",
            "/api/machines/{target}/collectInvestigationPackage", Target.MACHINE, "Machine.CollectForensics",
            List.of("Comment"), Map.of()),
    STOP_AND_QUARANTINE_FILE("stop-and-quarantine-file", "POST", "/api/machines/{target}/StopAndQuarantineFile",
            Target.MACHINE, "Machine.StopAndQuarantine", List.of("Comment", "Sha1"), Map.of()),
    ADD_MACHINE_TAG("add-machine-tag", "POST", "/api/machines/{target}/tags", Target.TAG, "Machine.ReadWrite.All",
            List.of("Value"), Map.of()),
    REMOVE_MACHINE_TAG("remove-machine-tag", "POST", "/api/machines/{target}/tags", Target.TAG,
            "Machine.ReadWrite.All", List.of("Value"), Map.of()),
    ADD_INDICATOR("add-indicator", "POST", "/api/indicators", Target.NONE, "Ti.ReadWrite.All",
            List.of("indicatorValue", "indicatorType", "action", "title", "description"),
            Map.of("indicatorType", Set.of("FileSha1", "FileMd5", "FileSha256", "CertificateThumbprint", "IpAddress",
                    "DomainName", "Url"), "action", Set.of("Alert", "Warn", "Block", "Audit", "BlockAndRemediate",
                    "AlertAndBlock", "Allowed"))),
    IMPORT_INDICATORS("import-indicators", "POST", "/api/indicators/import", Target.NONE, "Ti.ReadWrite.All",
            List.of("Indicators"), Map.of(), 30, Integer.MAX_VALUE),
    DELETE_INDICATOR("delete-indicator", "DELETE", "/api/indicators/{target}", Target.INDICATOR, "Ti.ReadWrite.All",
            List.of(), Map.of());

    /** What the request's {@code target} names. */
    public enum Target {
        NONE, ALERT, MACHINE, TAG, INDICATOR
    }

    /** The most indicators one import may carry. */
    public static final int MAX_IMPORT = 500;

    private final String key;
    private final String method;
    private final String path;
    private final Target target;
    private final String permission;
    private final List<String> required;
    private final Map<String, Set<String>> allowedValues;
    private final int callsPerMinute;
    private final int callsPerHour;

    ActionKind(String key, String method, String path, Target target, String permission, List<String> required,
            Map<String, Set<String>> allowedValues) {
        this(key, method, path, target, permission, required, allowedValues, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    ActionKind(String key, String method, String path, Target target, String permission, List<String> required,
            Map<String, Set<String>> allowedValues, int callsPerMinute, int callsPerHour) {
        this.key = key;
        this.method = method;
        this.path = path;
        this.target = target;
        this.permission = permission;
        this.required = required;
        this.allowedValues = allowedValues;
        this.callsPerMinute = callsPerMinute;
        this.callsPerHour = callsPerHour;
    }

    public static Optional<ActionKind> byKey(String key) {
        return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
    }

    public static List<String> keys() {
        return Arrays.stream(values()).map(ActionKind::key).toList();
    }

    public String key() {
        return key;
    }

    public String method() {
        return method;
    }

    /** The path of the call, the target (URL-encoded by the caller) put in. */
    public String path(String encodedTarget) {
        return path.replace("{target}", encodedTarget == null ? "" : encodedTarget);
    }

    public Target target() {
        return target;
    }

    public String permission() {
        return permission;
    }

    public List<String> required() {
        return required;
    }

    public Map<String, Set<String>> allowedValues() {
        return allowedValues;
    }

    /** Its own limit on top of the tenant's budget; the largest int when it has none. */
    public int callsPerMinute() {
        return callsPerMinute;
    }

    public int callsPerHour() {
        return callsPerHour;
    }

    /** A machine action: answers 201 with a MachineAction, which is followed until it ends. */
    public boolean machineAction() {
        return target == Target.MACHINE;
    }

    /** The endpoint whose own limit this action counts against (the tags verbs share one). */
    public String endpoint() {
        return method + " " + path;
    }
}
