package io.defenderalertroutes.app;

import org.apache.camel.main.Main;

/** Starts the bundle with camel-main, which also stops it gracefully on SIGTERM. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main();
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
