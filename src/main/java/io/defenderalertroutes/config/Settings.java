package io.defenderalertroutes.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Typed, validated access to the {@code defender.*} properties. Values are resolved through Camel's
 * properties component, so JVM system properties and environment variables override the file.
 * <p>
 * A tenant's view looks up {@code defender.tenant.<name>.<key>} first and falls back to {@code defender.<key>},
 * so shared choices are written once and each tenant overrides only what differs. Errors name the key the
 * user has to fix.
 */
public final class Settings {

    private static final String ROOT = "defender.";

    private final Function<String, Optional<String>> properties;
    private final Function<String, Optional<String>> secrets;
    private final String tenantPrefix;
    /** With a tenant's view: the tenant's own keys it looked up, so that any other key given for it is refused. */
    private final java.util.Set<String> tenantKeysRead = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /**
     * Every key any view of these settings was asked for, as {@code defender.<key>}: a key read is known, even one
     * application.properties forgets to document, so that it is never refused as unknown ({@link GlobalKeys}).
     */
    private final java.util.Set<String> keysRead;

    /** Settings from Camel's properties (files, JVM system properties, environment variables). */
    public Settings(CamelContext context) {
        this(context.getPropertiesComponent());
    }

    private Settings(PropertiesComponent component) {
        this(component::resolveProperty, key -> secretOutsideCamelLookup(component, key), null,
                java.util.concurrent.ConcurrentHashMap.newKeySet());
    }

    private Settings(Function<String, Optional<String>> properties, Function<String, Optional<String>> secrets,
            String tenantPrefix, java.util.Set<String> keysRead) {
        this.properties = properties;
        this.secrets = secrets;
        this.tenantPrefix = tenantPrefix;
        this.keysRead = keysRead;
    }

    /** Settings given as a map of {@code defender.*} keys, then, for any key the map lacks, {@code fallback}'s. */
    public static Settings of(java.util.Map<String, String> values, Settings fallback) {
        Function<String, Optional<String>> properties = key -> Optional.ofNullable(values.get(key))
                .or(() -> fallback.properties.apply(key));
        Function<String, Optional<String>> secrets = key -> Optional.ofNullable(values.get(key))
                .or(() -> fallback.secrets.apply(key));
        return new Settings(properties, secrets, null, fallback.keysRead);
    }

    /**
     * Settings given as a map of {@code defender.*} keys beneath {@code over}: a key {@code over} gives (a JVM system
     * property, an environment variable, a properties file) wins, as it does over the bundle's own files.
     */
    public static Settings beneath(java.util.Map<String, String> values, Settings over) {
        Function<String, Optional<String>> properties = key -> over.properties.apply(key)
                .or(() -> Optional.ofNullable(values.get(key)));
        Function<String, Optional<String>> secrets = key -> over.secrets.apply(key)
                .or(() -> Optional.ofNullable(values.get(key)));
        return new Settings(properties, secrets, null, over.keysRead);
    }

    /** The view of one tenant of {@code defender.tenants}. */
    public Settings forTenant(String name) {
        return new Settings(properties, secrets, ROOT + "tenant." + name + ".", keysRead);
    }

    private String scoped(String key) {
        return tenantPrefix == null || !key.startsWith(ROOT) ? key : tenantPrefix + key.substring(ROOT.length());
    }

    private Optional<String> resolve(String key) {
        return properties.apply(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** The key whose value is used, or the one to set when none is: what an error message names. */
    public String name(String key) {
        String scoped = scoped(key);
        if (scoped.equals(key) || resolve(scoped).isPresent() || resolve(key).isEmpty()) {
            return scoped;
        }
        return key;
    }

    public Optional<String> optional(String key) {
        remember(key);
        Optional<String> value = resolve(scoped(key));
        return value.isPresent() || scoped(key).equals(key) ? value : resolve(key);
    }

    /**
     * A value that must not pass through Camel's property lookup, which logs every value it resolves at TRACE.
     * Same precedence as Camel's: JVM system property, then environment variable, then the properties files.
     */
    public Optional<String> sensitive(String key) {
        remember(key);
        Optional<String> value = sensitiveExactly(scoped(key));
        return value.isPresent() || scoped(key).equals(key) ? value : sensitiveExactly(key);
    }

    /**
     * Like {@link #sensitive}, but with a tenant's view only the tenant's own key: for a secret that must not
     * follow a tenant's own settings (its own handler URLs) back to the shared ones.
     */
    public Optional<String> sensitiveOwn(String key) {
        remember(key);
        return sensitiveExactly(scoped(key));
    }

    /** Like {@link #optional}, but with a tenant's view only the tenant's own key (the shared one is not looked at). */
    public Optional<String> optionalOwn(String key) {
        remember(key);
        return resolve(scoped(key));
    }

    /** Whether a tenant's view has its own value of the key, rather than the shared one (or none). */
    public boolean givenForTenant(String key) {
        return tenantPrefix != null && key.startsWith(ROOT) && resolve(scoped(key)).isPresent();
    }

    private Optional<String> sensitiveExactly(String key) {
        return secrets.apply(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static Optional<String> secretOutsideCamelLookup(PropertiesComponent component, String key) {
        return lookupOutsideCamel(component, System::getenv, key);
    }

    /**
     * A key's value with Camel's precedence (JVM system property, then environment variable, then the properties
     * files) without Camel's lookup, which logs what it resolves.
     *
     * @param environment the environment variables by name
     */
    static Optional<String> lookupOutsideCamel(PropertiesComponent component, Function<String, String> environment,
            String key) {
        String value = System.getProperty(key);
        if (value == null) {
            value = environment.apply(envForm(key));
        }
        if (value == null) {
            value = component.loadProperties(key::equals).getProperty(key);
        }
        return Optional.ofNullable(value);
    }

    private void remember(String key) {
        keysRead.add(key);
        if (tenantPrefix != null && key.startsWith(ROOT)) {
            tenantKeysRead.add(envForm(scoped(key)));
        }
    }

    /**
     * With a tenant's view, once the tenant is built from it: stops start-up at the first key given for this tenant
     * ({@code defender.tenant.<name>.<key>}, as a property or an environment variable) that the tenant never read.
     * Such a key is global, or unknown: set for one tenant it would be silently ignored.
     *
     * @param given the properties and environment variables given for this tenant
     */
    public void refuseKeysNotReadPerTenant(java.util.Collection<String> given) {
        if (tenantPrefix == null) {
            return;
        }
        String prefix = envForm(tenantPrefix);
        DeprecatedKeys deprecated = DeprecatedKeys.bundled();
        for (String name : given) {
            // an old name's value was carried to its replacement at start-up (DeprecatedKeys), which the tenant read
            if (!tenantKeysRead.contains(envForm(name)) && !deprecated.isOldKeyOfTenant(tenantPrefix, name)) {
                String global = name.startsWith(tenantPrefix) ? ROOT + name.substring(tenantPrefix.length())
                        : envForm(ROOT) + name.substring(prefix.length());
                throw new InvalidConfigurationException(name, "is not used for this tenant: it is a global key (set "
                        + global + "), one this tenant's other settings leave unused, or misspelt");
            }
        }
    }

    /** The keys any view of these settings was asked for, as {@code defender.<key>} (a tenant's view's unscoped). */
    java.util.Set<String> keysRead() {
        return java.util.Collections.unmodifiableSet(keysRead);
    }

    /** A key as an environment variable spells it: upper case, '.' and '-' as '_'. */
    public static String envForm(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public InvalidConfigurationException problem(String key, String what) {
        return new InvalidConfigurationException(name(key), what);
    }

    public String required(String key) {
        return optional(key).orElseThrow(() -> problem(key, "is required but not set"));
    }

    /** A key the bundle's application.properties gives a default for ({@link BundleDefaults}). */
    private String defaulted(String key) {
        return optional(key).orElseThrow(() -> problem(key, "is empty; leave it out to keep the default"));
    }

    public String string(String key) {
        return defaulted(key);
    }

    public String string(String key, String fallback) {
        return optional(key).orElse(fallback);
    }

    public boolean bool(String key) {
        String value = defaulted(key);
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw problem(key, "must be true or false, was '" + value + "'");
        };
    }

    public int integer(String key, int min, int max) {
        return inRange(key, parse(key, defaulted(key), Integer::parseInt, "a whole number"), min, max);
    }

    /** For a key whose default is worked out (a page size that depends on the source). */
    public int integer(String key, int fallback, int min, int max) {
        return inRange(key, optional(key).map(v -> parse(key, v, Integer::parseInt, "a whole number")).orElse(fallback),
                min, max);
    }

    private int inRange(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw problem(key, "must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    public Duration duration(String key) {
        Duration value = parse(key, defaulted(key), Duration::parse, "an ISO-8601 duration such as PT5M");
        if (value.isNegative()) {
            throw problem(key, "must not be negative, was " + value);
        }
        return value;
    }

    /** An ISO-8601 duration from {@code min} to {@code max}. */
    public Duration duration(String key, Duration min, Duration max) {
        Duration value = duration(key);
        if (value.compareTo(min) < 0) {
            throw problem(key, "must be at least " + min + ", was " + value);
        }
        if (value.compareTo(max) > 0) {
            throw problem(key, "must be at most " + max + ", was " + value);
        }
        return value;
    }

    /** A comma-separated list; blank entries are dropped. */
    public List<String> list(String key) {
        return split(defaulted(key));
    }

    /** A comma-separated list that may be left out ({@code fallback}). */
    public List<String> list(String key, String fallback) {
        return split(string(key, fallback));
    }

    private static List<String> split(String value) {
        return Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private <T> T parse(String key, String value, Function<String, T> parser, String expected) {
        try {
            return parser.apply(value);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw problem(key, "must be " + expected + ", was '" + value + "'");
        }
    }

    /** Stops start-up unless {@code url}, a value of {@code key}, is an http:// or https:// URL with a host. */
    public void checkHttpUrl(String key, String url) {
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
                throw problem(key, "'" + url + "' is not an http:// or https:// URL");
            }
        } catch (URISyntaxException e) {
            throw problem(key, "'" + url + "' is not a URL");
        }
    }
}
