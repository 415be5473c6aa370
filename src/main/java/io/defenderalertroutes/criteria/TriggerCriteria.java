package io.defenderalertroutes.criteria;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import io.defenderalertroutes.config.InvalidConfigurationException;
import io.defenderalertroutes.defender.AlertApi;
import io.defenderalertroutes.defender.AlertHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The trigger's Status, Severity and Category choices. An alert must match all three; within one group any
 * listed value matches, and {@code All} matches everything, including values Microsoft adds later.
 */
public final class TriggerCriteria {

    public static final List<String> STATUSES = List.of("Unknown", "New", "InProgress", "Resolved");
    public static final List<String> SEVERITIES = List.of("UnSpecified", "Informational", "Low", "Medium", "High");
    /** Defender's documented categories; real alerts carry others too, so these only serve to catch typos. */
    public static final List<String> DOCUMENTED_CATEGORIES = List.of("General", "CommandAndControl", "Collection",
            "CredentialAccess", "DefenseEvasion", "Discovery", "Exfiltration", "Exploit", "Execution", "InitialAccess",
            "LateralMovement", "Malware", "Persistence", "PrivilegeEscalation", "Ransomware", "SuspiciousActivity");

    private final Set<String> statuses;
    private final Set<String> severities;
    private final Set<String> categories;

    private TriggerCriteria(Set<String> statuses, Set<String> severities, Set<String> categories) {
        this.statuses = statuses;
        this.severities = severities;
        this.categories = categories;
    }

    public static TriggerCriteria of(String statusKey, List<String> status, String severityKey, List<String> severity,
            String categoryKey, List<String> category) {
        return new TriggerCriteria(
                group(statusKey, status, STATUSES),
                group(severityKey, severity, SEVERITIES),
                group(categoryKey, category, null));
    }

    /**
     * @return the canonical values of the group, or null for All
     */
    private static Set<String> group(String key, List<String> values, List<String> known) {
        if (values.isEmpty()) {
            throw new InvalidConfigurationException(key, "is empty; use All or a comma-separated list");
        }
        Set<String> chosen = new LinkedHashSet<>();
        for (String value : values) {
            if (compact(value).equals("all")) {
                return null;
            }
            chosen.add(known == null ? value : canonical(key, value, known));
        }
        return chosen;
    }

    // "In Progress" as the seed guide writes it, "inprogress" as a hurried user does: all mean InProgress.
    private static String canonical(String key, String value, List<String> known) {
        return known.stream()
                .filter(k -> compact(k).equals(compact(value)))
                .findFirst()
                .orElseThrow(() -> new InvalidConfigurationException(key,
                        "unknown value '" + value + "'; expected All or any of " + String.join(", ", known)));
    }

    private static String compact(String value) {
        return value.replace(" ", "").replace("_", "").toLowerCase(Locale.ROOT);
    }

    /**
     * Categories of the criteria that look like a misspelt documented category ("Malwar", "defense evasion"), each
     * with the likely intended one. They are kept as written: a category may be new, but a typo would match nothing.
     */
    public java.util.Map<String, String> likelyCategoryTypos() {
        java.util.Map<String, String> typos = new java.util.LinkedHashMap<>();
        if (categories == null) {
            return typos;
        }
        for (String category : categories) {
            if (DOCUMENTED_CATEGORIES.contains(category)) {
                continue;
            }
            for (String known : DOCUMENTED_CATEGORIES) {
                if (distance(compact(category), compact(known)) <= Math.max(1, known.length() / 6)) {
                    typos.put(category, known);
                    break;
                }
            }
        }
        return typos;
    }

    // Levenshtein distance, small strings only
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** For a route's filter: reads the alert's fields from the headers the pipeline set. */
    public boolean matches(Exchange exchange) {
        Message message = exchange.getMessage();
        return matches(message.getHeader(AlertHeaders.STATUS, String.class),
                message.getHeader(AlertHeaders.SEVERITY, String.class),
                message.getHeader(AlertHeaders.CATEGORY, String.class));
    }

    /** @param category the alert's category, or an incident's alerts' categories (comma-separated): any may match */
    public boolean matches(String status, String severity, String category) {
        return accepts(statuses, status) && accepts(severities, severity) && (categories == null
                || category != null && java.util.Arrays.stream(category.split(",")).anyMatch(c -> accepts(categories, c)));
    }

    private static boolean accepts(Set<String> group, String value) {
        if (group == null) {
            return true;
        }
        return value != null && group.stream().anyMatch(v -> v.equalsIgnoreCase(value));
    }

    /**
     * The same criteria as an OData clause for the Defender API's {@code $filter}, so that the API sends only
     * what can match. AND across groups, OR within one; a group on All is left out. Empty when everything matches.
     */
    public String toODataClause() {
        return toODataClause(AlertApi.DEFENDER);
    }

    /** The clause in the given API's vocabulary; a group the API cannot filter is left to the client side. */
    public String toODataClause(AlertApi api) {
        List<String> clauses = new ArrayList<>();
        addClause(clauses, "status", statuses, api::statusToApi);
        if (api.severityFilterable()) {
            addClause(clauses, "severity", severities, api::severityToApi);
        }
        if (api.categoryFilterable()) {
            addClause(clauses, "category", categories, v -> v);
        }
        return String.join(" and ", clauses);
    }

    private static void addClause(List<String> clauses, String field, Set<String> values,
            java.util.function.UnaryOperator<String> toApi) {
        if (values == null) {
            return;
        }
        String alternatives = values.stream()
                .map(v -> field + " eq '" + toApi.apply(v).replace("'", "''") + "'")
                .collect(Collectors.joining(" or "));
        clauses.add(values.size() == 1 ? alternatives : "(" + alternatives + ")");
    }

    @Override
    public String toString() {
        return "status=" + describe(statuses) + ", severity=" + describe(severities) + ", category=" + describe(categories);
    }

    private static String describe(Set<String> group) {
        return group == null ? "All" : String.join("|", group);
    }
}
