package io.defenderalertroutes.sinks.ecs;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.defenderalertroutes.sinks.time.DefenderTimes;

/** What every mapping needs: text of a field, Defender's times as ECS dates, ATT&CK ids, IPs, URLs, field names. */
final class EcsValues {

    private static final Pattern TECHNIQUE = Pattern.compile("T\\d{4}(\\.\\d{3})?");

    private EcsValues() {
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || value.isContainerNode() || value.asText().isBlank() ? null
                : value.asText();
    }

    /** A Defender time as an ECS date, which is RFC 3339; null when it is no time. */
    static String date(String written) {
        return DefenderTimes.rfc3339(written);
    }

    static Instant instant(String date) {
        return date == null ? null : OffsetDateTime.parse(date).toInstant();
    }

    /**
     * {@code event.severity} on the integration's own scale, by Microsoft's word in any case; whether the word had a
     * level (a word without one sets none and the caller keeps it in the namespace).
     */
    static boolean severity(EcsDocument doc, String word, Map<String, Integer> scale) {
        Integer level = word == null ? null : scale.get(word.toLowerCase(Locale.ROOT));
        if (level != null) {
            doc.put("event.severity", level);
        }
        return level != null;
    }

    /**
     * A device: its DNS name, lower-cased as Elastic's integrations write {@code host.name}, to {@code related.hosts};
     * the first device with a name or id fills {@code host.*}. Whether this one did.
     */
    static boolean host(EcsDocument doc, String dnsName, String id) {
        String name = dnsName == null ? null : dnsName.toLowerCase(Locale.ROOT);
        doc.add("related.hosts", name);
        if (doc.has("host") || (dnsName == null && id == null)) {
            return false;
        }
        doc.put("host.hostname", dnsName).put("host.name", name).put("host.id", id);
        return true;
    }

    /** Sets {@code event.start}, {@code event.end} and, with both, {@code event.duration} in nanoseconds. */
    static void period(EcsDocument doc, String first, String last) {
        String start = date(first);
        String end = date(last);
        doc.put("event.start", start).put("event.end", end);
        if (start != null && end != null) {
            doc.put("event.duration", Duration.between(instant(start), instant(end)).toNanos());
        }
    }

    /**
     * MITRE ATT&CK ids: {@code T1059} to {@code threat.technique.id}; {@code T1059.001} to
     * {@code threat.technique.subtechnique.id} and its technique {@code T1059} to {@code threat.technique.id}.
     * Anything else is no ATT&CK id and stays in the integration's namespace only.
     */
    static void techniques(EcsDocument doc, JsonNode ids) {
        for (JsonNode id : ids) {
            String value = id.asText().strip().toUpperCase(Locale.ROOT);
            if (!TECHNIQUE.matcher(value).matches()) {
                continue;
            }
            int dot = value.indexOf('.');
            doc.add("threat.technique.id", dot < 0 ? value : value.substring(0, dot));
            if (dot >= 0) {
                doc.add("threat.technique.subtechnique.id", value);
            }
        }
        if (doc.has("threat.technique.id")) {
            doc.put("threat.framework", "MITRE ATT&CK");
        }
    }

    /** Whether the text is an IPv4 or IPv6 address (never a host name: nothing is looked up). */
    static boolean ip(String text) {
        // the JDK reads a text that begins with a hex digit or a colon as a literal and never resolves it; any other
        // text with a colon (a host and port, say) it would look up by name
        if (text == null || !(ipv4(text) || text.contains(":") && (text.charAt(0) == ':'
                || Character.digit(text.charAt(0), 16) >= 0))) {
            return false;
        }
        try {
            InetAddress.getByName(text);
            return true;
        } catch (UnknownHostException | SecurityException e) {
            return false;
        }
    }

    /** The URL to {@code url.full} with its parts, as Elastic's uri_parts does; only {@code url.original} if it is no URI. */
    static void url(EcsDocument doc, String url) {
        if (url == null || doc.has("url.original")) {
            return;
        }
        doc.put("url.original", url);
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return;
            }
            doc.put("url.full", url).put("url.scheme", uri.getScheme()).put("url.domain", uri.getHost());
            if (uri.getPort() > 0) {
                doc.put("url.port", uri.getPort());
            }
            if (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
                doc.put("url.path", uri.getRawPath());
            }
            doc.put("url.query", uri.getRawQuery()).put("url.fragment", uri.getRawFragment());
        } catch (URISyntaxException notAUri) {
            // url.original alone
        }
    }

    /** Defender's folder and the file's name as ECS's full path; the separator is the folder's own. */
    static String path(String folder, String name) {
        if (folder == null || name == null) {
            return null;
        }
        String separator = folder.contains("\\") || !folder.contains("/") ? "\\" : "/";
        return folder.endsWith(separator) ? folder + name : folder + separator + name;
    }

    /**
     * The served JSON for the Microsoft 365 Defender namespace, as Elastic's integration names its fields: snake case
     * ({@code lastUpdateDateTime} to {@code last_update_datetime}), {@code @odata.type} as {@code odata_type} (a dot in
     * a name would be read as an object), an id that is a number as text (the same field is text in another API), and
     * no null.
     */
    static JsonNode snakeCase(JsonNode node) {
        return copy(node, EcsValues::snakeCase, true);
    }

    /** The served JSON without its nulls, its fields renamed by {@code names}, with {@code idsAsText} a numeric id as text. */
    static JsonNode copy(JsonNode node, UnaryOperator<String> names, boolean idsAsText) {
        if (node.isObject()) {
            ObjectNode out = EcsDocument.JSON.createObjectNode();
            node.fields().forEachRemaining(field -> {
                if (!field.getValue().isNull()) {
                    String name = names.apply(field.getKey());
                    JsonNode value = field.getValue();
                    out.set(name, idsAsText && value.isNumber() && isId(name) ? TextNode.valueOf(value.asText())
                            : copy(value, names, idsAsText));
                }
            });
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = EcsDocument.JSON.createArrayNode();
            node.forEach(item -> out.add(copy(item, names, idsAsText)));
            return out;
        }
        return node;
    }

    static boolean isId(String name) {
        return name.equals("id") || name.endsWith("_id") || name.endsWith("Id");
    }

    static String snakeCase(String name) {
        if (name.equals("@odata.type")) {
            return "odata_type";
        }
        // by hand rather than by a regular expression: every field of every incident goes through here, and the
        // expression made it the costliest step of the mapping (benchmark part formats)
        String camel = name.replace("DateTime", "Datetime");
        StringBuilder snake = new StringBuilder(camel.length() + 8);
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (c >= 'A' && c <= 'Z' && i > 0 && lowerOrDigit(camel.charAt(i - 1))) {
                snake.append('_');
            }
            snake.append(c == '.' ? '_' : c);
        }
        return snake.toString().toLowerCase(Locale.ROOT);
    }

    private static boolean lowerOrDigit(char c) {
        return c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
    }

    /** Four decimal numbers 0 to 255: an IPv4 literal, so that nothing is ever looked up by name. */
    private static boolean ipv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)
                    || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }
}
