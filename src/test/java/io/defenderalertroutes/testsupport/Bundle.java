package io.defenderalertroutes.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.main.Main;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;

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
        Main main = new Main();
        overrides.forEach(main::addOverrideProperty);
        main.start();
        return new Bundle(main, overrides.getOrDefault("defender.tenant-name", overrides.get("defender.tenant-id")));
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    /** A NotifyBuilder that matches when {@code polls} more polls have finished, failed or not. */
    public NotifyBuilder pollsDone(int polls) {
        return new NotifyBuilder(context()).fromRoute("defender-poll").whenDone(polls).create();
    }

    /** Fires the tenant's Quartz job now, as its trigger would, and waits until that poll is over. */
    public void pollNow() throws SchedulerException {
        NotifyBuilder done = pollsDone(1);
        Scheduler scheduler = context().getComponent("quartz", QuartzComponent.class).getScheduler();
        scheduler.triggerJob(JobKey.jobKey("poll-" + tenant, "defender"));
        if (!done.matches(30, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new AssertionError("the poll did not finish within 30 s");
        }
    }

    /** Waits for the first poll that on-start triggers. */
    public Bundle awaitFirstPoll(NotifyBuilder notify) {
        if (!notify.matches(Duration.ofSeconds(30).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the first poll did not finish within 30 s");
        }
        return this;
    }

    @Override
    public void close() {
        main.stop();
    }
}
