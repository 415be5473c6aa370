package io.defenderalertroutes.app;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import io.defenderalertroutes.defender.PollGuard;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.KeyMatcher;
import org.quartz.listeners.JobListenerSupport;

/**
 * Fires a tenant's poll now, through its Quartz job as the timer would (so it never overlaps a running poll),
 * and waits until Quartz reports the job done. For the demo, tests and operators' tooling.
 */
public final class PollNow {

    private PollNow() {
    }

    public static void run(CamelContext context, String tenantName, Duration timeout)
            throws SchedulerException, InterruptedException {
        Scheduler scheduler = context.getComponent("quartz", QuartzComponent.class).getScheduler();
        TriggerKey trigger = TenantRoutes.pollTrigger(tenantName);
        JobKey job = JobKey.jobKey(trigger.getName(), trigger.getGroup());
        if (!scheduler.checkExists(job)) {
            throw new IllegalArgumentException("no poll is scheduled for tenant " + tenantName);
        }
        CountDownLatch done = new CountDownLatch(1);
        String listener = "poll-now-" + System.nanoTime();
        scheduler.getListenerManager().addJobListener(new JobListenerSupport() {
            @Override
            public String getName() {
                return listener;
            }

            @Override
            public void jobWasExecuted(JobExecutionContext execution, JobExecutionException error) {
                done.countDown();
            }
        }, KeyMatcher.keyEquals(job));
        try {
            // marked as asked for, so that the poller's guard never skips it
            scheduler.triggerJob(job, new JobDataMap(Map.of(PollGuard.ON_DEMAND, true)));
            if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the poll of tenant " + tenantName + " did not finish within " + timeout);
            }
        } finally {
            scheduler.getListenerManager().removeJobListener(listener);
        }
    }
}
