package io.defenderalertroutes.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.defenderalertroutes.app.Application;
import io.defenderalertroutes.app.PollNow;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * The bundle as users run it: camel-main with the production application.properties and routes, with only
 * the properties a test names overridden.
 */
public final class Bundle implements AutoCloseable {

    public static final String TENANT_ID = "8f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f";
    public static final String CLIENT_ID = "0c9e8d7f-6a5b-4c3d-9e2f-1a0b9c8d7e6f";
    public static final String CLIENT_SECRET = "Zx8~Q.secret-that-must-never-leak_42";

    private final Main main;
    private final String tenant;

    private Bundle(Main main, String tenant) {
        this.main = main;
        this.tenant = tenant;
    }

    /** Settings for a tenant on the emulator, with state and files under {@code dir}; tests poll with {@link #pollNow()}. */
    public static Map<String, String> tenantOn(String emulatorUrl, Path dir) {
        Map<String, String> p = new HashMap<>();
        p.put("defender.tenant-id", TENANT_ID);
        p.put("defender.client-id", CLIENT_ID);
        p.put("defender.client-secret", CLIENT_SECRET);
        p.put("defender.tenant-name", "contoso");
        p.put("defender.authority-url", emulatorUrl);
        p.put("defender.api-url", emulatorUrl);
        p.put("defender.poll.on-start", "false");
        p.put("defender.state-dir", dir.resolve("state").toString());
        p.put("defender.sink.file.dir", dir.resolve("alerts").toString());
        p.put("defender.sinks", "file");
        return p;
    }

    public static Bundle start(Map<String, String> overrides) throws Exception {
        Main main = Application.newMain();
        // several bundles may run at once in the suite: each gets a free management port unless a test names one
        main.addOverrideProperty("camel.management.port", overrides.getOrDefault("camel.management.port", "0"));
        overrides.forEach(main::addOverrideProperty);
        main.start();
        return new Bundle(main, overrides.getOrDefault("defender.tenant-name", overrides.get("defender.tenant-id")));
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    /** Fires the tenant's poll now through its Quartz job and waits until Quartz reports it done. */
    public void pollNow() throws Exception {
        PollNow.run(context(), tenant, Duration.ofSeconds(30));
    }

    @Override
    public void close() {
        main.stop();
    }
}
