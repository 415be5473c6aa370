package io.defenderalertroutes.defender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class AlertPageSplitterTest {

    private static final String FIRST = """
            {
                "id": "da637308392288907382_-880718168",
                "severity": "Low",
                "status": "New",
                "category": "SuspiciousActivity",
                "title": "Caf\\u00e9 \u00e9t\u00e9 \u2603",
                "score": 1.50E2,
                "mitreTechniques": ["T1064", "T1085"],
                "relatedUser": {"userName": "temp123", "domainName": "DOMAIN"},
                "lastUpdateTime": "2021-01-26T20:33:57.7220239Z",
                "evidence": []
            }""";
    private static final String SECOND = "{\"id\":\"a2\",\"lastUpdateTime\":\"2021-01-26T20:33:59.2Z\","
            + "\"status\":\"unknownFutureValue\",\"severity\":\"Critical\",\"category\":null}";

    private final PollWindow window = new PollWindow(Instant.now(), Instant.parse("2021-01-01T00:00:00Z"), null);

    private List<DefenderAlert> split(String page) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(PollWindow.PROPERTY, window);
        exchange.getMessage().setBody(page.getBytes(StandardCharsets.UTF_8));
        window.beginPage("u");
        List<DefenderAlert> alerts = new ArrayList<>();
        new AlertPageSplitter().split(exchange).forEachRemaining(alerts::add);
        return alerts;
    }

    @Test
    void cutsEachAlertOutByteForByte() {
        String page = "{\"@odata.context\": \"https://api.securitycenter.microsoft.com/api/$metadata#Alerts\",\n"
                + "  \"value\": [\n" + FIRST + ",\n   " + SECOND + "\n  ]\n}";
        List<DefenderAlert> alerts = split(page);
        assertEquals(2, alerts.size());
        assertEquals(FIRST, alerts.get(0).raw());
        assertEquals(SECOND, alerts.get(1).raw());
        assertEquals("da637308392288907382_-880718168", alerts.get(0).id());
        assertEquals("2021-01-26T20:33:57.7220239Z", alerts.get(0).lastUpdateTime());
        assertEquals("SuspiciousActivity", alerts.get(0).category());
        assertEquals("unknownFutureValue", alerts.get(1).status());
        assertEquals("Critical", alerts.get(1).severity());
        assertNull(alerts.get(1).category());
        assertEquals(2, window.pageCount());
        assertEquals("2021-01-26T20:33:59.2Z", window.newest(), "7- and 1-digit fractions compare as instants");
    }

    @Test
    void anEmptyValueIsANormalAnswer() {
        assertTrue(split("{\"@odata.context\":\"x\",\"value\":[]}").isEmpty());
        assertEquals(0, window.pageCount());
        assertNull(window.newest());
    }

    @Test
    void aNextLinkAfterTheValuesIsNoticed() {
        split("{\"value\":[" + SECOND + "],\"@odata.nextLink\":\"https://api/next?$skip=1\"}");
        assertTrue(window.advance(1));
        assertEquals("https://api/next?$skip=1", window.nextLink());
    }

    @Test
    void alertsComeOneAtATime() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(PollWindow.PROPERTY, window);
        exchange.getMessage().setBody(("{\"value\":[" + SECOND + "," + SECOND.replace("a2", "a3") + ",{\"id\":\"bad\"}]}")
                .getBytes(StandardCharsets.UTF_8));
        Iterator<DefenderAlert> alerts = new AlertPageSplitter().split(exchange);
        assertEquals("a2", alerts.next().id());
        assertEquals("a3", alerts.next().id(), "the bad third alert is not read before it is asked for");
        assertThrows(MalformedPageException.class, alerts::next);
    }

    @Test
    void malformedPagesFailWithAReason() {
        assertTrue(assertThrows(MalformedPageException.class, () -> split("{\"value\":[" + SECOND))
                .getMessage().contains("JSON"));
        assertTrue(assertThrows(MalformedPageException.class, () -> split("{\"error\":{\"code\":\"x\"}}"))
                .getMessage().contains("no 'value'"));
        assertTrue(assertThrows(MalformedPageException.class, () -> split("[1,2]")).getMessage().contains("object"));
        assertTrue(assertThrows(MalformedPageException.class, () -> split("{\"value\":[{\"id\":\"x\",\"lastUpdateTime\":\"soon\"}]}"))
                .getMessage().contains("soon"));
        assertThrows(MalformedPageException.class, () -> split("{\"value\":{}}"));
        assertFalse(assertThrows(MalformedPageException.class, () -> split("")).getMessage().isEmpty());
    }
}
