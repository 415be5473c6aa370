package io.defenderalertroutes.testsupport;

import java.util.Map;
import java.util.Properties;

import io.defenderalertroutes.app.DefenderConfiguration;
import io.defenderalertroutes.config.InvalidConfigurationException;
import org.apache.camel.impl.DefaultCamelContext;

/** The bundle's configuration step alone, on given properties: what a user sees when start-up refuses them. */
public final class StartUpRefusal {

    private StartUpRefusal() {
    }

    /** The one line start-up stops with, or null when the configuration is accepted. */
    public static String of(Map<String, String> values) throws Exception {
        Properties properties = new Properties();
        properties.putAll(values);
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setInitialProperties(properties);
            new DefenderConfiguration().configure(context);
            return null;
        } catch (InvalidConfigurationException e) {
            return e.getMessage();
        }
    }
}
