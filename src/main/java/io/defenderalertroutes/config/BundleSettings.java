package io.defenderalertroutes.config;

import org.apache.camel.CamelContext;

/**
 * The bundle's whole start-up reading of its settings, in the order that makes its errors useful: the jar's defaults
 * first, old key names carried over, then the reader, and last the keys nothing read refused as likely typos.
 */
public final class BundleSettings {

    /** Reads and checks every key it needs from the settings, stopping start-up on the first mistake. */
    @FunctionalInterface
    public interface Reader {
        void read(Settings settings) throws Exception;
    }

    private BundleSettings() {
    }

    public static void read(CamelContext context, Reader reader) throws Exception {
        BundleDefaults.apply(context);
        GlobalKeys keys = GlobalKeys.given(context, System.getenv(), DeprecatedKeys.bundled());
        keys.carryDeprecated(context);
        Settings settings = new Settings(context);
        try {
            reader.read(settings);
        } catch (InvalidConfigurationException mistake) {
            // a mistyped key is the likelier cause of what reading the others found (a key "required but not set")
            keys.refuseUnknown(KnownKeys.bundled(), settings.keysRead());
            throw mistake;
        }
        keys.refuseUnknown(KnownKeys.bundled(), settings.keysRead());
    }
}
