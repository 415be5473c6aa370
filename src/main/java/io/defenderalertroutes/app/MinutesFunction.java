package io.defenderalertroutes.app;

import java.time.Duration;

import org.apache.camel.spi.PropertiesFunction;

/**
 * {@code {{defender-minutes:5}}} is 300000: Quartz wants milliseconds, people and the seed guide speak minutes.
 * Found by Camel through {@code META-INF/services/org/apache/camel/properties-function/defender-minutes}.
 */
public final class MinutesFunction implements PropertiesFunction {

    @Override
    public String getName() {
        return "defender-minutes";
    }

    @Override
    public String apply(String remainder) {
        try {
            return Long.toString(Duration.ofMinutes(Long.parseLong(remainder.trim())).toMillis());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a poll interval must be a whole number of minutes, was '" + remainder + "'");
        }
    }
}
