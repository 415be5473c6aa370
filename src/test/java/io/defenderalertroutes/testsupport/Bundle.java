package io.defenderalertroutes.testsupport;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.HashMap;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.main.Main;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobKey;
import org.quartz.impl.matchers.KeyMatcher;
import org.quartz.listeners.JobListenerSupport;
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

    /**
     * Fires the tenant's Quartz job now, as its trigger would, and waits until that poll is over, told so by
     * Quartz itself (a split's sub-exchanges make exchange counts a poor measure of whole polls).
     */
    public void pollNow() throws SchedulerException, InterruptedException {
        Scheduler scheduler = context().getComponent("quartz", QuartzComponent.class).getScheduler();
        JobKey job = JobKey.jobKey("poll-" + tenant, "defender");
        CountDownLatch done = new CountDownLatch(1);
        String listener = "test-poll-" + System.nanoTime();
        scheduler.getListenerManager().addJobListener(new JobListenerSupport() {
            @Override
            public String getName() {
                return listener;
            }

            @Override
            public void jobWasExecuted(JobExecutionContext context, JobExecutionException error) {
                done.countDown();
            }
        }, KeyMatcher.keyEquals(job));
        try {
            scheduler.triggerJob(job);
            if (!done.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("the poll did not finish within 30 s");
            }
        } finally {
            scheduler.getListenerManager().removeJobListener(listener);
        }
    }

    @Override
    public void close() {
        main.stop();
    }
}
