package io.defenderalertroutes.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.defenderalertroutes.app.Application;
import io.defenderalertroutes.schedule.PollTimers;
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

    /**
     * The same tenant run by a plain camel-main application whose one route starts from the Kamelet
     * ({@code kamelet:defender-alert-source}) and hands each alert to the bundle's file sink, so that tests observe
     * both entry points alike. Tenant keys become the Kamelet's parameters; the other keys are the application's
     * properties, read by the shared routes as they are by the bundle.
     */
    public static Bundle startKamelet(Map<String, String> settings) throws Exception {
        Map<String, String> parameters = new java.util.LinkedHashMap<>();
        Map<String, String> kameletKeys = Map.ofEntries(Map.entry("defender.tenant-name", "tenantName"),
                Map.entry("defender.tenant-id", "tenantId"), Map.entry("defender.client-id", "clientId"),
                Map.entry("defender.client-secret", "clientSecret"), Map.entry("defender.authority-url", "authorityUrl"),
                Map.entry("defender.api-url", "apiUrl"), Map.entry("defender.state-dir", "stateDir"),
                Map.entry("defender.poll.page-size", "pageSize"), Map.entry("defender.poll.on-start", "pollOnStart"),
                Map.entry("defender.poll.interval", "pollInterval"),
                Map.entry("defender.trigger.status", "status"), Map.entry("defender.trigger.severity", "severity"),
                Map.entry("defender.trigger.category", "category"), Map.entry("defender.source", "source"));
        Main main = new Main();
        main.addOverrideProperty("camel.main.name", "kamelet-user");
        main.addOverrideProperty("camel.component.kamelet.location", "classpath:defender-alert-routes/routes/kamelets");
        main.addOverrideProperty("camel.main.jmx-enabled", "false");
        // as the Kamelet recipe of docs/kamelet-and-embedding.md says: a poll waiting for its budget does not hold up the shutdown
        main.addOverrideProperty("camel.component.quartz.interrupt-jobs-on-shutdown", "true");
        main.addOverrideProperty("camel.management.port", settings.getOrDefault("camel.management.port", "0"));
        main.addOverrideProperty("camel.management.enabled", "true");
        main.addOverrideProperty("camel.management.health-check-enabled", "true");
        main.addOverrideProperty("camel.health.exposure-level", "full");
        settings.forEach((key, value) -> {
            if (kameletKeys.containsKey(key)) {
                parameters.put(kameletKeys.get(key), value);
            } else {
                main.addOverrideProperty(key, value);
            }
        });
        StringBuilder uri = new StringBuilder("kamelet:defender-alert-source");
        parameters.forEach((name, value) -> uri.append(uri.indexOf("?") < 0 ? '?' : '&').append(name)
                .append("=RAW(").append(value).append(')'));
        main.configure().addRoutesBuilder(new org.apache.camel.builder.RouteBuilder() {
            @Override
            public void configure() {
                from(uri.toString()).routeId("kamelet-user").to("direct:defender-sink-file");
            }
        });
        main.start();
        return new Bundle(main, settings.getOrDefault("defender.tenant-name", settings.get("defender.tenant-id")));
    }

    /** The tenant run through {@code entry}. */
    public static Bundle start(EntryPoint entry, Map<String, String> settings) throws Exception {
        return entry == EntryPoint.KAMELET ? startKamelet(settings) : start(settings);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    /** Fires the tenant's poll now through its Quartz job and waits until Quartz reports it done. */
    public void pollNow() throws Exception {
        PollTimers.pollNow(context(), tenant, Duration.ofSeconds(30));
    }

    @Override
    public void close() {
        main.stop();
    }
}
