package io.defenderalertroutes.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class EnvironmentOverridesTest {

    @Test
    void componentVariablesBecomeComponentOptions() {
        Map<String, String> options = Application.componentOptionsFromEnvironment(Map.of(
                "CAMEL_COMPONENT_KAFKA_BROKERS", "kafka:29092",
                "CAMEL_COMPONENT_KAFKA_SASL_PASSWORD", "pw",
                "CAMEL_MAIN_NAME", "ignored: camel-main maps its own groups",
                "PATH", "/usr/bin"), new Properties());
        assertEquals(Map.of("camel.component.kafka.brokers", "kafka:29092",
                "camel.component.kafka.sasl-password", "pw"), options);
    }

    @Test
    void aSystemPropertyWinsOverTheVariable() {
        Properties system = new Properties();
        system.setProperty("camel.component.kafka.brokers", "other:9092");
        assertEquals(Map.of(), Application.componentOptionsFromEnvironment(
                Map.of("CAMEL_COMPONENT_KAFKA_BROKERS", "kafka:29092"), system));
    }
}
