package io.defenderalertroutes.actions;

import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The body fields an action needs, checked before Microsoft is called: a request that Microsoft would refuse with
 * 400 is rejected here with the field named, and spends none of the tenant's budget.
 */
final class ParameterCheck {

    private static final List<String> ALERT_FIELDS = List.of("status", "assignedTo", "classification", "determination",
            "comment");

    private ParameterCheck() {
    }

    /** Why the parameters do not do for the action, or null when they do. */
    static String problem(ActionKind kind, ObjectNode parameters) {
        for (String field : kind.required()) {
            JsonNode value = parameters.get(field);
            if (value == null || value.isNull() || value.isTextual() && value.asText().isBlank()
                    || value.isArray() && value.isEmpty()) {
                return "parameters." + field + " is required for " + kind.key();
            }
        }
        for (Map.Entry<String, Set<String>> allowed : kind.allowedValues().entrySet()) {
            JsonNode value = parameters.get(allowed.getKey());
            if (value != null && !value.isNull() && !allowed.getValue().contains(value.asText())) {
                return "parameters." + allowed.getKey() + " must be one of " + String.join(", ",
                        allowed.getValue().stream().sorted().toList()) + ", was '" + value.asText() + "'";
            }
        }
        switch (kind) {
            case UPDATE_ALERT, BATCH_UPDATE_ALERTS -> {
                if (ALERT_FIELDS.stream().noneMatch(parameters::hasNonNull)) {
                    return kind.key() + " needs at least one of parameters." + String.join(", parameters.", ALERT_FIELDS);
                }
                if (kind == ActionKind.BATCH_UPDATE_ALERTS && !textList(parameters.get("alertIds"))) {
                    return "parameters.alertIds must be a list of alert ids";
                }
            }
            case IMPORT_INDICATORS -> {
                JsonNode list = parameters.get("Indicators");
                if (!list.isArray() || list.size() > ActionKind.MAX_IMPORT) {
                    return "parameters.Indicators must be a list of at most " + ActionKind.MAX_IMPORT
                            + " indicators (Microsoft's limit per call)";
                }
                for (JsonNode indicator : list) {
                    if (!(indicator instanceof ObjectNode each)) {
                        return "each of parameters.Indicators must be an indicator object";
                    }
                    String inner = problem(ActionKind.ADD_INDICATOR, each);
                    if (inner != null) {
                        return "parameters.Indicators[" + indexOf(list, indicator) + "]: " + inner.replace("parameters.", "");
                    }
                }
            }
            case ADD_INDICATOR -> {
                if ("IpAddress".equals(parameters.path("indicatorType").asText())
                        && parameters.path("indicatorValue").asText().contains("/")) {
                    return "parameters.indicatorValue: Microsoft takes no CIDR ranges for IpAddress indicators";
                }
            }
            default -> {
            }
        }
        return null;
    }

    private static boolean textList(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            return false;
        }
        for (JsonNode each : node) {
            if (!each.isTextual() || each.asText().isBlank()) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(JsonNode list, JsonNode element) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == element) {
                return i;
            }
        }
        return -1;
    }
}
