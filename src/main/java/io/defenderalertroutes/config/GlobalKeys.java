package io.defenderalertroutes.config;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The global {@code defender.*} keys given to this process, judged at start-up: every one is a key the bundle knows, or
 * start-up stops in one line naming it and, when one is close, the key it probably meant. A typo in a global key would
 * otherwise be silently ignored, its default used instead ({@code defender.trigger.severtiy=High} delivering every
 * severity). Per-tenant keys ({@code defender.tenant.<name>.*}) are judged per tenant, by what each tenant read.
 */
final class GlobalKeys {

    private static final Logger LOG = LoggerFactory.getLogger(GlobalKeys.class);
    /** When no known key is close: where the user finds the ones there are. */
    private static final String UNLISTED = " (the bundle's keys are those of its application.properties)";

    private final Set<String> properties;
    private final Map<String, String> environment;
    private final DeprecatedKeys deprecated;

    private GlobalKeys(Set<String> properties, Map<String, String> environment, DeprecatedKeys deprecated) {
        this.properties = properties;
        this.environment = environment;
        this.deprecated = deprecated;
    }

    /**
     * The keys given as Camel properties (the files, an embedding application's initial and override properties), as
     * JVM system properties, or as environment variables.
     */
    static GlobalKeys given(CamelContext context, Map<String, String> environment, DeprecatedKeys deprecated) {
        Set<String> keys = new TreeSet<>(context.getPropertiesComponent()
                .loadProperties(k -> k.startsWith(KnownKeys.ROOT)).stringPropertyNames());
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith(KnownKeys.ROOT)).forEach(keys::add);
        keys.removeIf(k -> k.startsWith(KnownKeys.PER_TENANT));
        return new GlobalKeys(keys, environment, deprecated);
    }

    /** Warns once for each deprecated key given, naming its replacement, and lets its value stand in for it. */
    void carryDeprecated(CamelContext context) {
        deprecated.carry(context, environment, LOG::warn);
    }

    /**
     * Stops start-up at the first key given that the bundle does not know: not documented in its application.properties,
     * not read at this start-up (with {@code read}, the keys {@link Settings} was asked for), not a deprecated name.
     */
    void refuseUnknown(KnownKeys documented, Collection<String> read) {
        // an old name is known, but never the one suggested for a typo: the user would only have to rename it again
        KnownKeys suggested = documented.plus(read);
        KnownKeys known = suggested.plus(deprecated.oldKeys());
        for (String key : properties) {
            if (!known.knows(key)) {
                throw new InvalidConfigurationException(key, "unknown key" + suggested.closest(key)
                        .map(k -> "; did you mean " + k + "?").orElse(UNLISTED));
            }
        }
        for (String name : new TreeSet<>(environment.keySet())) {
            if (known.ownsVariable(name) && !known.knowsVariable(name)) {
                throw new InvalidConfigurationException(name, "unknown key" + suggested.closestToVariable(name)
                        .map(k -> "; did you mean " + Settings.envForm(k) + " (" + k + ")?").orElse(UNLISTED));
            }
        }
    }
}
