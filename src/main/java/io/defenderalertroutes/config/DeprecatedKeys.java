package io.defenderalertroutes.config;

import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Keys renamed in a release: the old name keeps working for a while, and a start-up that uses it says so once, naming
 * the new one. A rename adds its line to {@link #RENAMED} (and the new key to application.properties); the old key then
 * counts as known, so it is not refused as unknown.
 */
final class DeprecatedKeys {

    /**
     * Old key to its replacement. Empty: no key has been renamed yet (every key application.properties ever documented
     * is still there, as {@code git log -p application.properties} shows).
     */
    static final Map<String, String> RENAMED = Map.of();

    private final Map<String, String> renamed;

    DeprecatedKeys(Map<String, String> renamed) {
        this.renamed = new TreeMap<>(renamed);
    }

    static DeprecatedKeys bundled() {
        return new DeprecatedKeys(RENAMED);
    }

    Set<String> oldKeys() {
        return renamed.keySet();
    }

    /**
     * For each old key given (as a property, a JVM system property or an environment variable): one warning naming its
     * replacement, and its value carried to the replacement, unless the replacement is given too, which then wins.
     * "Given" is a value other than the bundle's default: the bundle's defaults are among the properties, so a
     * replacement that merely holds its default does not hide the value the user gave under the old name.
     */
    void carry(CamelContext context, Map<String, String> environment, Consumer<String> warning) {
        if (renamed.isEmpty()) {
            // no old name to look for: the bundle's defaults need not be read a second time at start-up
            return;
        }
        PropertiesComponent properties = context.getPropertiesComponent();
        Properties defaults = BundleDefaults.defaults();
        renamed.forEach((old, replacement) -> valueOf(properties, environment, old).ifPresent(value -> {
            Optional<String> current = valueOf(properties, environment, replacement);
            boolean replacementGiven = current.isPresent()
                    && !current.get().equals(defaults.getProperty(replacement, "").strip());
            if (replacementGiven) {
                warning.accept(old + " is deprecated and ignored: " + replacement + " is set too; remove " + old);
            } else {
                warning.accept(old + " is deprecated: use " + replacement + " instead (its value is used for now)");
                properties.addOverrideProperty(replacement, value);
            }
        }));
    }

    private static Optional<String> valueOf(PropertiesComponent properties, Map<String, String> environment, String key) {
        return Settings.lookupOutsideCamel(properties, environment::get, key).map(String::strip).filter(v -> !v.isEmpty());
    }
}
