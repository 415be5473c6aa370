package io.defenderalertroutes.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The one place every {@code defender.*} default lives is the bundle's {@code application.properties}. Run as an
 * application it is a property location; embedded in another application, or under the Kamelet alone, it is not,
 * so its {@code defender.*} values are added here as Camel's initial properties, the lowest precedence: whatever the
 * application, a JVM property or an environment variable says wins, and neither the Java code nor the routes need
 * defaults of their own.
 */
public final class BundleDefaults {

    static final String RESOURCE = "defender-alert-routes/application.properties";

    private BundleDefaults() {
    }

    public static void apply(CamelContext context) {
        Properties defaults = defaults();
        PropertiesComponent properties = context.getPropertiesComponent();
        for (String key : defaults.stringPropertyNames()) {
            String value = defaults.getProperty(key).strip();
            if (key.startsWith("defender.") && !value.isEmpty() && properties.resolveProperty(key).isEmpty()) {
                properties.addInitialProperty(key, value);
            }
        }
        if (!properties.hasPropertiesFunction(MillisFunction.NAME)) {
            properties.addPropertiesFunction(new MillisFunction(properties));
        }
    }

    /** The bundle's application.properties as its jar ships it. */
    static Properties defaults() {
        Properties defaults = new Properties();
        try {
            defaults.load(new StringReader(text()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE, e);
        }
        return defaults;
    }

    /** The text of the bundle's application.properties, its comments included (they document the keys left unset). */
    static String text() {
        try (InputStream in = BundleDefaults.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the bundle's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE, e);
        }
    }
}
