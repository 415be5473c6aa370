package io.defenderalertroutes.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The alert texts the emulator makes and keeps: generated ones look like Microsoft's, stored ones stay as given. */
class AlertTextTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void generatedAlertsHaveTheDocumentedPropertiesInTheDocumentedLayout() throws Exception {
        JsonNode documented = MAPPER.readTree(Fixtures.firstAlert("mde-list-alerts-with-evidence.json"));
        String text = AlertJson.alert("da1_1", "2021-01-26T20:33:59.2Z", "New", "Low", "Execution",
                List.of("User", "Process", "File"));
        JsonNode generated = MAPPER.readTree(text);

        List<String> expectedNames = names(documented);
        expectedNames.add(expectedNames.indexOf("relatedUser") + 1, "loggedOnUsers");
        assertEquals(expectedNames, names(generated));
        assertEquals(names(documented.get("evidence").get(1)), names(generated.get("evidence").get(1)));
        assertEquals("2021-01-26T20:33:59.2Z", generated.get("lastUpdateTime").asText());
        assertTrue(text.startsWith("{\n    \"id\": \"da1_1\",\n    \"incidentId\": "), text);
        assertTrue(text.contains("\"comments\": [],"), text);
        assertEquals(text, AlertJson.alert("da1_1", "2021-01-26T20:33:59.2Z", "New", "Low", "Execution",
                List.of("User", "Process", "File")), "same arguments, same text");
    }

    @Test
    void randomAlertsAreValidAndCarryTheirLastUpdateAtFullPrecision() throws Exception {
        Random random = new Random(1);
        Instant lastUpdate = Instant.parse("2021-01-26T20:33:59.1234567Z");
        for (int i = 0; i < 50; i++) {
            JsonNode alert = MAPPER.readTree(AlertJson.randomAlert(random, lastUpdate));
            assertEquals(lastUpdate, Instant.parse(alert.get("lastUpdateTime").asText()));
            assertTrue(alert.get("id").asText().matches("da\\d{18}_-?\\d+"), alert.get("id").asText());
            assertTrue(!Instant.parse(alert.get("alertCreationTime").asText()).isAfter(lastUpdate));
        }
        assertEquals("2021-01-26T20:33:59.2Z", AlertJson.timestamp(Instant.parse("2021-01-26T20:33:59.200Z")));
        assertEquals("2021-01-26T20:33:59.0Z", AlertJson.timestamp(Instant.parse("2021-01-26T20:33:59Z")));
    }

    @Test
    void theUnexpandedFormDiffersOnlyInTheEvidenceArray() {
        String text = "{ \"id\" : \"a\",\"evidence\" :[ {\"entityType\":\"User\",\"x\":[1,[2]]} , {} ],\"tail\":\"]\"}";

        StoredAlert alert = StoredAlert.of(text);

        assertEquals(text, alert.json(true));
        assertEquals("{ \"id\" : \"a\",\"evidence\" :[],\"tail\":\"]\"}", alert.json(false));
    }

    @Test
    void emptyOrNestedEvidenceIsLeftAsItIs() {
        String empty = "{\"id\":\"a\",\"evidence\":[ ]}";
        String nested = "{\"id\":\"b\",\"details\":{\"evidence\":[1]}}";

        assertEquals(empty, StoredAlert.of(empty).json(false));
        assertEquals(nested, StoredAlert.of(nested).json(false));
    }

    @Test
    void refusesTextThatIsNotOneAlertObject() {
        for (String bad : new String[] {"[]", "{\"id\":1}", "{\"title\":\"no id\"}", "{\"id\":\"a\"} {}", "{\"id\":\"a\"",
                "{\"id\":\"a\",\"lastUpdateTime\":\"yesterday\"}"}) {
            assertThrows(IllegalArgumentException.class, () -> StoredAlert.of(bad), bad);
        }
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
