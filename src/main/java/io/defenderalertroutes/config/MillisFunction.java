package io.defenderalertroutes.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;

import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.PropertiesFunction;

/**
 * {@code {{millis:defender.sink.retry-delay}}}: a key's ISO-8601 duration as the number of milliseconds a Camel option
 * such as {@code redeliveryDelay} takes, which reads a plain number only. So the routes take the duration keys as they
 * are written, and no route builds a number out of a key's text.
 */
final class MillisFunction implements PropertiesFunction {

    static final String NAME = "millis";

    private final PropertiesComponent properties;

    MillisFunction(PropertiesComponent properties) {
        this.properties = properties;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String apply(String key) {
        String value = properties.resolveProperty(key).map(String::strip)
                .orElseThrow(() -> new InvalidConfigurationException(key, "is required but not set"));
        try {
            return Long.toString(Duration.parse(value).toMillis());
        } catch (DateTimeParseException e) {
            throw new InvalidConfigurationException(key, "must be an ISO-8601 duration such as PT5M, was '" + value + "'");
        }
    }
}
