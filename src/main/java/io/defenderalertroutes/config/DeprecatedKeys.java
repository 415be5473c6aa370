package io.defenderalertroutes.config;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
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
 * counts as known, so it is not refused as unknown. Given both, start-up stops: which of two values was meant is
 * the user's to say, not the bundle's to guess.
 */
final class DeprecatedKeys {

    /**
     * An old key's replacement and, for an old key that held a number of some unit ({@code -ms}, {@code -seconds},
     * {@code -minutes}) where its replacement takes an ISO-8601 duration, that unit: the old value is converted as
     * it is carried over ({@code interval-minutes=1} is {@code PT1M}). No unit: the value is carried as it is.
     */
    record Rename(String replacement, ChronoUnit unit) {

        static Rename to(String replacement) {
            return new Rename(replacement, null);
        }

        String convert(String oldKey, String value) {
            if (unit == null) {
                return value;
            }
            try {
                return Duration.of(Long.parseLong(value), unit).toString();
            } catch (NumberFormatException e) {
                throw new InvalidConfigurationException(oldKey, "must be a whole number of "
                        + (unit == ChronoUnit.MILLIS ? "milliseconds" : unit.toString().toLowerCase(java.util.Locale.ROOT))
                        + ", was '" + value + "' (better: set "
                        + replacement + ", an ISO-8601 duration such as PT5M)");
            }
        }
    }

    /** Issue 26: every duration an ISO-8601 duration; the old keys held a number in the unit their name ended in. */
    static final Map<String, Rename> RENAMED = Map.ofEntries(
            Map.entry("defender.auth.timeout-seconds", new Rename("defender.auth.timeout", ChronoUnit.SECONDS)),
            Map.entry("defender.poll.interval-minutes", new Rename("defender.poll.interval", ChronoUnit.MINUTES)),
            Map.entry("defender.api.timeout-ms", new Rename("defender.api.timeout", ChronoUnit.MILLIS)),
            Map.entry("defender.api.retry-delay-ms", new Rename("defender.api.retry-delay", ChronoUnit.MILLIS)),
            Map.entry("defender.ha.heartbeat-ms", new Rename("defender.ha.heartbeat", ChronoUnit.MILLIS)),
            Map.entry("defender.ha.kafka.session-timeout-ms",
                    new Rename("defender.ha.kafka.session-timeout", ChronoUnit.MILLIS)),
            Map.entry("defender.sink.retry-delay-ms", new Rename("defender.sink.retry-delay", ChronoUnit.MILLIS)),
            Map.entry("defender.actions.wait-minutes", new Rename("defender.actions.wait", ChronoUnit.MINUTES)),
            Map.entry("defender.actions.check-after-ms", new Rename("defender.actions.check-after", ChronoUnit.MILLIS)),
            Map.entry("defender.notify.email.digest-seconds",
                    new Rename("defender.notify.email.digest", ChronoUnit.SECONDS)));

    private final Map<String, Rename> renamed;

    DeprecatedKeys(Map<String, Rename> renamed) {
        this.renamed = new TreeMap<>(renamed);
    }

    static DeprecatedKeys bundled() {
        return new DeprecatedKeys(RENAMED);
    }

    Set<String> oldKeys() {
        return renamed.keySet();
    }

    /**
     * For each old key given (as a property, a JVM system property or an environment variable), globally or for a
     * tenant of {@code defender.tenants}: one warning naming its replacement, and its value carried, converted, to the
     * replacement. Given beside its replacement, start-up stops. "Given" is, for a global key, a value other than the
     * bundle's default: the bundle's defaults are among the properties, so a replacement that merely holds its default
     * does not hide the value the user gave under the old name.
     */
    void carry(CamelContext context, Map<String, String> environment, Consumer<String> warning) {
        if (renamed.isEmpty()) {
            // no old name to look for: the bundle's defaults need not be read a second time at start-up
            return;
        }
        PropertiesComponent properties = context.getPropertiesComponent();
        Properties defaults = BundleDefaults.defaults();
        List<String> scopes = new ArrayList<>();
        scopes.add(KnownKeys.ROOT);
        valueOf(properties, environment, "defender.tenants").ifPresent(tenants -> {
            for (String tenant : tenants.split(",")) {
                if (!tenant.isBlank()) {
                    scopes.add(KnownKeys.PER_TENANT + tenant.strip() + ".");
                }
            }
        });
        for (String scope : scopes) {
            renamed.forEach((oldKey, rename) -> {
                String old = scope + oldKey.substring(KnownKeys.ROOT.length());
                String replacement = scope + rename.replacement().substring(KnownKeys.ROOT.length());
                valueOf(properties, environment, old).ifPresent(value -> {
                    Optional<String> current = valueOf(properties, environment, replacement);
                    if (current.isPresent() && !current.get().equals(defaults.getProperty(replacement, "").strip())) {
                        throw new InvalidConfigurationException(old, "is the old name of " + replacement
                                + ", which is set too; remove " + old);
                    }
                    String converted = rename.convert(old, value);
                    warning.accept(old + " is deprecated: use " + replacement + " instead (its value is used for now"
                            + (converted.equals(value) ? "" : ", as " + replacement + "=" + converted) + ")");
                    properties.addOverrideProperty(replacement, converted);
                });
            });
        }
    }

    /** Whether {@code name}, a key given for a tenant (as a property or a variable), is an old one carried over. */
    boolean isOldKeyOfTenant(String tenantPrefix, String name) {
        return renamed.keySet().stream().anyMatch(old -> Settings.envForm(tenantPrefix
                + old.substring(KnownKeys.ROOT.length())).equals(Settings.envForm(name)));
    }

    private static Optional<String> valueOf(PropertiesComponent properties, Map<String, String> environment, String key) {
        return Settings.lookupOutsideCamel(properties, environment::get, key).map(String::strip).filter(v -> !v.isEmpty());
    }
}
