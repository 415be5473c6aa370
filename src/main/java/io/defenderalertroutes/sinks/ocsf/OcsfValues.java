package io.defenderalertroutes.sinks.ocsf;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.defenderalertroutes.sinks.time.DefenderTimes;

/** What every OCSF mapping of the bundle needs: reading Microsoft's JSON, and writing OCSF's values and enums. */
public final class OcsfValues {

    public static final String OCSF_VERSION = "1.3.0";
    public static final int FINDINGS_CATEGORY = 2;
    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<Integer, String> ACTIVITY_NAMES = Map.of(1, "Create", 2, "Update", 3, "Close");
    /** Microsoft documents no critical, but a word OCSF has a value for is that value, not Other (Elastic's m365 maps it too). */
    static final Map<String, Integer> SEVERITIES = Map.of("unspecified", 0, "unknown", 0, "informational", 1,
            "low", 2, "medium", 3, "high", 4, "critical", 5);
    static final Map<Integer, String> SEVERITY_NAMES = Map.of(0, "Unknown", 1, "Informational", 2, "Low",
            3, "Medium", 4, "High", 5, "Critical", 99, "Other");

    private OcsfValues() {
    }

    /**
     * An enum attribute and its sibling caption: a word Microsoft may add later becomes Other (99) with the word kept,
     * so that a consumer reading only the id still learns it is something not seen before.
     */
    static void putEnum(ObjectNode event, String idName, String name, String word, Map<String, Integer> ids,
            Map<Integer, String> captions) {
        int id = word == null ? 0 : ids.getOrDefault(word.toLowerCase(Locale.ROOT), 99);
        event.put(idName, id);
        event.put(name, id == 99 ? word : captions.get(id));
    }

    /**
     * What both finding classes begin with, from an alert's or incident's {@code status}, {@code severity} and last
     * update ({@code updated} names it): the classification, the activity, severity and status (by the class's own
     * {@code statuses}), and {@code time}, the version's last update, or now for an item that has none.
     */
    static ObjectNode finding(int classUid, String className, JsonNode item, String updated, boolean update,
            Map<String, Integer> statuses, Map<Integer, String> statusNames) {
        ObjectNode event = JSON.createObjectNode();
        String status = text(item, "status");
        classify(event, classUid, className, activity(status, update));
        putEnum(event, "severity_id", "severity", text(item, "severity"), SEVERITIES, SEVERITY_NAMES);
        putEnum(event, "status_id", "status", status, statuses, statusNames);
        Long millis = DefenderTimes.epochMillis(text(item, updated));
        event.put("time", millis != null ? millis : System.currentTimeMillis());
        return event;
    }

    /** The event's classification: Findings category, {@code type_uid} from the class and the activity. */
    private static void classify(ObjectNode event, int classUid, String className, int activity) {
        event.put("activity_id", activity);
        event.put("activity_name", ACTIVITY_NAMES.get(activity));
        event.put("category_uid", FINDINGS_CATEGORY);
        event.put("category_name", "Findings");
        event.put("class_uid", classUid);
        event.put("class_name", className);
        event.put("type_uid", classUid * 100L + activity);
        event.put("type_name", className + ": " + ACTIVITY_NAMES.get(activity));
    }

    /** Close when Microsoft resolved it; otherwise Create for the first delivery, Update for a later version. */
    private static int activity(String status, boolean update) {
        if ("resolved".equalsIgnoreCase(status)) {
            return 3;
        }
        return update ? 2 : 1;
    }

    /** MITRE techniques such as T1059.001: a sub-technique keeps its own id and names its technique. */
    static ArrayNode attacks(JsonNode techniques) {
        ArrayNode attacks = JSON.createArrayNode();
        for (JsonNode technique : techniques) {
            String uid = technique.asText();
            if (uid.isBlank()) {
                continue;
            }
            ObjectNode attack = JSON.createObjectNode();
            int dot = uid.indexOf('.');
            attack.putObject("technique").put("uid", dot < 0 ? uid : uid.substring(0, dot));
            if (dot >= 0) {
                attack.putObject("sub_technique").put("uid", uid);
            }
            addOnce(attacks, attack);
        }
        return attacks;
    }

    /** Adds the value unless an equal one is there: an incident gathers its alerts' techniques, which often repeat. */
    static void addOnce(ArrayNode array, JsonNode value) {
        for (JsonNode element : array) {
            if (element.equals(value)) {
                return;
            }
        }
        array.add(value);
    }

    /** The fields of {@code item} no mapping placed, as served; null when there are none. */
    static ObjectNode unplaced(JsonNode item, Set<String> placed) {
        ObjectNode unmapped = JSON.createObjectNode();
        item.fields().forEachRemaining(field -> {
            if (!placed.contains(field.getKey()) && !field.getValue().isNull()) {
                unmapped.set(field.getKey(), field.getValue());
            }
        });
        return unmapped.isEmpty() ? null : unmapped;
    }

    /** As {@link #unplaced(JsonNode, Set)}, but a field of {@code times} that is no time was not placed. */
    static ObjectNode unplaced(JsonNode item, Set<String> placed, Set<String> times) {
        Set<String> taken = new HashSet<>(placed);
        times.forEach(time -> {
            if (DefenderTimes.epochMillis(text(item, time)) == null) {
                taken.remove(time);
            }
        });
        return unplaced(item, taken);
    }

    static String text(JsonNode node, String field) {
        JsonNode value = field == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    static void putText(ObjectNode node, String name, String value) {
        if (value != null) {
            node.put(name, value);
        }
    }

    static void putTime(ObjectNode node, String name, String value) {
        Long millis = DefenderTimes.epochMillis(value);
        if (millis != null) {
            node.put(name, millis);
        }
    }

    /** A device by its id and host name; null with neither. Defender does not say what kind of device it is. */
    static ObjectNode device(String uid, String hostname) {
        if (uid == null && hostname == null) {
            return null;
        }
        ObjectNode device = JSON.createObjectNode();
        putText(device, "uid", uid);
        putText(device, "hostname", hostname);
        device.put("type_id", 0);
        device.put("type", "Unknown");
        return device;
    }

    /** Defender's filePath is the folder; OCSF's path is the whole path and parent_folder the folder. */
    static ObjectNode file(String name, String folder, String sha1, String sha256) {
        return file(name, folder, null, sha1, sha256);
    }

    /** The same with an MD5 too, which Graph's fileDetails carry and Defender for Endpoint's evidence does not. */
    static ObjectNode file(String name, String folder, String md5, String sha1, String sha256) {
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
        if (md5 != null) {
            hashes.addObject().put("algorithm_id", 1).put("algorithm", "MD5").put("value", md5);
        }
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
}
