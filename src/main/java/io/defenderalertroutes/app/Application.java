package io.defenderalertroutes.app;

import io.defenderalertroutes.config.InvalidConfigurationException;
import org.apache.camel.main.Main;

/** Starts the bundle with camel-main, which also stops it gracefully on SIGTERM. */
public final class Application {

    private Application() {
    }

    /**
     * Where the bundle's properties come from: its defaults inside the jar, then an {@code application.properties}
     * in the working directory, whose keys win, so a deployment can change settings without a rebuild.
     */
    public static final String PROPERTY_LOCATIONS =
            "classpath:defender-alert-routes/application.properties,file:application.properties;optional=true";

    /** A camel-main that runs the bundle: its properties, routes and configuration. */
    public static Main newMain() {
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation(PROPERTY_LOCATIONS);
        componentOptionsFromEnvironment(System.getenv(), System.getProperties()).forEach(main::addOverrideProperty);
        return main;
    }

    /**
     * camel-main 4.18.0 means to map {@code CAMEL_COMPONENT_*} variables to component options, but it filters the
     * environment with the prefix {@code camel.component.} against upper-case names, so none ever matches (proved by
     * {@code EnvironmentOverridesTest}) and {@code CAMEL_COMPONENT_KAFKA_BROKERS} would be silently ignored in a
     * container. Maps each such variable to {@code camel.component.<component>.<option-with-dashes>}, the component
     * named by the longest of camel-main's own component names that fits ({@code PLATFORM_HTTP} is
     * {@code platform-http}), else by the first word; unless a JVM system property sets that option, which wins as it
     * does for every other key.
     */
    static java.util.Map<String, String> componentOptionsFromEnvironment(java.util.Map<String, String> environment,
            java.util.Properties systemProperties) {
        java.util.Map<String, String> options = new java.util.TreeMap<>();
        String prefix = "CAMEL_COMPONENT_";
        java.util.List<String> known = knownComponents();
        environment.forEach((name, value) -> {
            String rest = name.toUpperCase(java.util.Locale.ROOT).startsWith(prefix) ? name.substring(prefix.length()) : "";
            String upper = rest.toUpperCase(java.util.Locale.ROOT);
            int split = known.stream().map(c -> c.toUpperCase(java.util.Locale.ROOT).replace('-', '_'))
                    .filter(c -> upper.startsWith(c + "_")).mapToInt(String::length).max().orElse(rest.indexOf('_'));
            if (split > 0 && split < rest.length() - 1) {
                String component = rest.substring(0, split).toLowerCase(java.util.Locale.ROOT).replace('_', '-');
                String option = rest.substring(split + 1).toLowerCase(java.util.Locale.ROOT).replace('_', '-');
                String key = "camel.component." + component + "." + option;
                boolean setBySystemProperty = systemProperties.stringPropertyNames().stream()
                        .anyMatch(p -> normalized(p).equals(normalized(key)));
                if (!setBySystemProperty) {
                    options.put(key, value);
                }
            }
        });
        return options;
    }

    /** The component names camel-main knows, one a line in its own resource. */
    private static java.util.List<String> knownComponents() {
        try (java.io.InputStream in = Main.class.getResourceAsStream("/org/apache/camel/main/components.properties")) {
            if (in == null) {
                return java.util.List.of();
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (java.io.IOException e) {
            return java.util.List.of();
        }
    }

    private static String normalized(String key) {
        return key.toLowerCase(java.util.Locale.ROOT).replace("-", "");
    }

    public static void main(String[] args) throws Exception {
        Main main = newMain();
        try {
            main.run(args);
        } catch (Exception e) {
            InvalidConfigurationException mistake = configurationMistake(e);
            if (mistake == null) {
                throw e;
            }
            System.err.println(mistake.getMessage());
            System.exit(2);
        }
        if (main.getExitCode() != 0) {
            System.exit(main.getExitCode());
        }
    }

    /** The configuration mistake behind a start-up failure, or null when the failure has another cause. */
    public static InvalidConfigurationException configurationMistake(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof InvalidConfigurationException mistake) {
                return mistake;
            }
        }
        return null;
    }
}
