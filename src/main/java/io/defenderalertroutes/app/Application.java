package io.defenderalertroutes.app;

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
        return main;
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
