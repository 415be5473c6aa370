package io.defenderalertroutes.defender;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Reads one alert, or one incident with its alerts, from a streaming parser standing at the object's start: the
 * fields routing needs, and the object's text cut out of the bytes unchanged.
 */
final class AlertReader {

    private AlertReader() {
    }

    /**
     * @param api    the source: its id and time fields, and whether the object is an incident, whose {@code alerts}
     *               are read too
     * @param alerts where an incident's alerts go, or null when only their categories and count are wanted
     * @throws MalformedPageException when the object has no id or no time
     */
    static DefenderAlert read(JsonParser parser, byte[] bytes, AlertApi api, List<DefenderAlert> alerts)
            throws IOException {
        return read(parser, bytes, api.idField(), api.timeField(), api.incidentAlerts(), alerts);
    }

    private static DefenderAlert read(JsonParser parser, byte[] bytes, String idField, String timeField,
            AlertApi.IncidentAlerts incidentAlerts, List<DefenderAlert> alerts) throws IOException {
        boolean incident = incidentAlerts != null;
        long start = parser.currentTokenLocation().getByteOffset();
        String id = null;
        String lastUpdateTime = null;
        String status = null;
        String severity = null;
        String category = null;
        int alertCount = incident ? 0 : -1;
        Set<String> categories = new LinkedHashSet<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (incident && "alerts".equals(field) && value == JsonToken.START_ARRAY) {
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    DefenderAlert alert = read(parser, bytes, incidentAlerts.idField(), incidentAlerts.timeField(),
                            null, null);
                    alertCount++;
                    if (alert.category() != null) {
                        categories.add(alert.category());
                    }
                    if (alerts != null) {
                        alerts.add(alert);
                    }
                }
                continue;
            }
            if (value.isStructStart()) {
                parser.skipChildren();
                continue;
            }
            String text = value == JsonToken.VALUE_NULL ? null : parser.getText();
            if (field.equals(timeField)) {
                lastUpdateTime = text;
                continue;
            }
            if (field.equals(idField)) {
                id = text;
                continue;
            }
            switch (field) {
                case "status" -> status = text;
                case "severity" -> severity = text;
                case "category" -> category = text;
                default -> {
                    // not needed for routing; stays in the raw JSON
                }
            }
        }
        long end = parser.currentLocation().getByteOffset();
        if (id == null || lastUpdateTime == null) {
            throw new MalformedPageException("an alert without " + (id == null ? "'" + idField + "'" : "'" + timeField + "'")
                    + " at byte " + start + " of the page");
        }
        String raw = new String(bytes, (int) start, (int) (end - start), StandardCharsets.UTF_8);
        return new DefenderAlert(raw, id, lastUpdateTime, status, severity,
                incident ? String.join(",", categories) : category, alertCount);
    }
}
