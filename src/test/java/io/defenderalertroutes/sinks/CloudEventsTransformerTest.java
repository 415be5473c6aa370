package io.defenderalertroutes.sinks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.defenderalertroutes.sinks.time.DefenderTimes;
import io.defenderalertroutes.defender.AlertHeaders;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultMessage;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

/**
 * The {@code defender:cloudevents} data type transformer on its own: from a route of the user's, as Camel resolves it
 * by name, and the attributes it writes, each event checked against the CloudEvents schema.
 */
class CloudEventsTransformerTest {

    /** A route of the user's, in the YAML DSL of Camel 4.18 (its data type step is transformDataType). */
    private static final String USER_ROUTE = """
            - route:
                id: my-siem-feed
                from:
                  uri: direct:my-alerts
                  steps:
                    - transformDataType:
                        id: to-cloudevents
                        toType: defender:cloudevents
                    - to:
                        uri: mock:siem
            """;

    private static String fixtureAlert() throws Exception {
        String page = new String(CloudEventsTransformerTest.class.getResourceAsStream(
                "/fixtures/mde-list-alerts-with-evidence.json").readAllBytes(), StandardCharsets.UTF_8);
        return CloudEventsSchema.JSON.readTree(page).get("value").get(0).toPrettyString();
    }

    private static Map<String, Object> headers(String id, String lastUpdate, String change) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(AlertHeaders.TENANT, "contoso");
        headers.put(AlertHeaders.ALERT_ID, id);
        headers.put(AlertHeaders.LAST_UPDATE_TIME, lastUpdate);
        headers.put(AlertHeaders.CHANGE, change);
        headers.put(AlertHeaders.IDEMPOTENCY_KEY, "contoso:" + id + ":" + lastUpdate);
        headers.put(AlertHeaders.SOURCE, "defender-api");
        return headers;
    }

    @Test
    void aUsersOwnRouteWrapsAnAlertWithTransformDataType() throws Exception {
        String alert = fixtureAlert();
        JsonNode served = CloudEventsSchema.JSON.readTree(alert);
        String id = served.get("id").asText();
        String lastUpdate = served.get("lastUpdateTime").asText();
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("my-siem-feed.camel.yaml", USER_ROUTE));
            context.start();
            MockEndpoint siem = context.getEndpoint("mock:siem", MockEndpoint.class);
            siem.expectedMessageCount(1);
            context.createProducerTemplate().sendBodyAndHeaders("direct:my-alerts", alert, headers(id, lastUpdate, "new"));
            siem.assertIsSatisfied(5000);

            String event = siem.getReceivedExchanges().get(0).getMessage().getBody(String.class);
            assertEquals(List.of(), CloudEventsSchema.violations(event), event);
            JsonNode ce = CloudEventsSchema.JSON.readTree(event);
            assertEquals("1.0", ce.get("specversion").asText());
            assertEquals("contoso:" + id + ":" + lastUpdate, ce.get("id").asText(), "the idempotency key");
            assertEquals("contoso", ce.get("source").asText());
            assertEquals("com.microsoft.defender.alert.v1", ce.get("type").asText());
            assertEquals(id, ce.get("subject").asText());
            assertEquals(lastUpdate, ce.get("time").asText(), "the last update as the API wrote it");
            assertEquals("application/json", ce.get("datacontenttype").asText());
            assertEquals("defender-api", ce.get("defenderapi").asText());
            assertEquals(served, ce.get("data"), "the alert itself as data, not a string of it");
            assertTrue(event.contains(alert.strip()), "the alert's own text, not written again");
            assertEquals(CloudEventsTransformer.MEDIA_TYPE,
                    siem.getReceivedExchanges().get(0).getMessage().getHeader("Content-Type"));
        }
    }

    @Test
    void theTypeSaysAlertOrIncidentAndNewOrUpdated() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            DefaultMessage message = new DefaultMessage(context);
            message.setHeaders(new LinkedHashMap<>(headers("a1", "2026-01-01T00:00:00Z", "new")));
            assertEquals("com.microsoft.defender.alert.v1", CloudEventsTransformer.type(message));
            message.setHeader(AlertHeaders.CHANGE, "update");
            assertEquals("com.microsoft.defender.alert.updated.v1", CloudEventsTransformer.type(message));
            // an incident's own event carries its id in both headers
            message.setHeader(AlertHeaders.ALERT_ID, "101");
            message.setHeader(AlertHeaders.INCIDENT_ID, "101");
            assertEquals("com.microsoft.defender.incident.updated.v1", CloudEventsTransformer.type(message));
            message.setHeader(AlertHeaders.CHANGE, "new");
            assertEquals("com.microsoft.defender.incident.v1", CloudEventsTransformer.type(message));
            // an alert split off an incident is an alert
            message.setHeader(AlertHeaders.ALERT_ID, "a7");
            assertEquals("com.microsoft.defender.alert.v1", CloudEventsTransformer.type(message));
        }
    }

    @Test
    void aTimeWithoutItsOffsetIsUtcAndOneThatIsNoTimeIsLeftOut() {
        assertEquals("2026-01-26T20:33:59.1234567Z", DefenderTimes.rfc3339("2026-01-26T20:33:59.1234567Z"));
        assertEquals("2026-01-26T20:33:59.12Z", DefenderTimes.rfc3339("2026-01-26T20:33:59.12"));
        assertNull(DefenderTimes.rfc3339("yesterday"));
        assertNull(DefenderTimes.rfc3339(null));
    }

    @Test
    void anAlertWithoutTheBundlesHeadersIsRefusedNamingTheHeader() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("my-siem-feed.camel.yaml", USER_ROUTE));
            context.start();
            CamelExecutionException e = assertThrows(CamelExecutionException.class,
                    () -> context.createProducerTemplate().sendBody("direct:my-alerts", "{\"id\":\"a1\"}"));
            assertTrue(e.getCause().getMessage().contains(AlertHeaders.IDEMPOTENCY_KEY), e.getCause().getMessage());
        }
    }

    /** The schema is applied for real: a wrong time, a source that is no URI reference, a missing id all fail. */
    @Test
    void theSchemaRefusesWhatTheStandardRefuses() {
        String valid = "{\"specversion\":\"1.0\",\"id\":\"k\",\"source\":\"contoso\",\"type\":\"t\",\"time\":\"2026-01-01T00:00:00Z\"}";
        assertEquals(List.of(), CloudEventsSchema.violations(valid));
        assertFalse(CloudEventsSchema.violations(valid.replace("2026-01-01T00:00:00Z", "yesterday")).isEmpty(), "time");
        assertFalse(CloudEventsSchema.violations(valid.replace("\"contoso\"", "\"con toso\\\\|\"")).isEmpty(), "source");
        assertFalse(CloudEventsSchema.violations(valid.replace("\"id\":\"k\",", "")).isEmpty(), "id");
        assertFalse(CloudEventsSchema.violations(valid.replace("\"1.0\"", "\"0.3\"")).isEmpty(), "specversion");
    }
}
