package io.defenderalertroutes.app;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import io.defenderalertroutes.defender.PollGuard;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.KeyMatcher;
import org.quartz.listeners.JobListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A new leader's one poll at once. With high availability every instance's Quartz scheduler holds the tenant's
 * timer (Camel starts the endpoint with the context), but only fires on the leader reach the poller, and only once
 * Camel's master consumer has started the timer's consumer, a moment after the election; a fire before that does
 * nothing. So on taking the lead, the tenant's own trigger is moved to fire now, and moved again after each fire that
 * did not reach the poller, until one does or the lead is gone. It is always the one trigger the schedule already
 * has, never a new one: nothing can pile up behind a busy worker pool, and the schedule runs on from the takeover.
 */
final class TakeoverPoll extends JobListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(TakeoverPoll.class);
    private static final long FIRST_DELAY_MILLIS = 250;
    private static final long RETRY_DELAY_MILLIS = 500;
    private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(60);

    private final CamelContext context;
    private final String tenant;
    private final PollGuard guard;
    private final BooleanSupplier leading;
    private final TriggerKey trigger;
    private boolean listening;
    private boolean pending;
    private long firesBefore;
    private long deadlineNanos;

    TakeoverPoll(CamelContext context, String tenant, PollGuard guard, BooleanSupplier leading) {
        this.context = context;
        this.tenant = tenant;
        this.guard = guard;
        this.leading = leading;
        this.trigger = TenantRoutes.pollTrigger(tenant);
    }

    @Override
    public String getName() {
        return "defender-takeover-" + tenant;
    }

    /** Called when this instance has just taken the lead of the tenant. */
    synchronized void leadershipTaken() {
        try {
            Scheduler scheduler = context.getComponent("quartz", QuartzComponent.class).getScheduler();
            if (!listening) {
                scheduler.getListenerManager().addJobListener(this,
                        KeyMatcher.keyEquals(org.quartz.JobKey.jobKey(trigger.getName(), trigger.getGroup())));
                listening = true;
            }
            pending = true;
            firesBefore = guard.fires();
            deadlineNanos = System.nanoTime() + GIVE_UP_AFTER.toNanos();
            // with no trigger yet, the master consumer is scheduling one afresh, which Camel fires half a second out
            TenantRoutes.fireIn(scheduler, trigger, FIRST_DELAY_MILLIS);
        } catch (SchedulerException | RuntimeException e) {
            LOG.warn("Tenant {}: could not poll at takeover ({}); it polls at its next interval", tenant, e.toString());
        }
    }

    @Override
    public synchronized void jobWasExecuted(JobExecutionContext execution, JobExecutionException error) {
        if (!pending) {
            return;
        }
        if (guard.fires() > firesBefore) {
            pending = false;
        } else if (!leading.getAsBoolean()) {
            pending = false;
        } else if (System.nanoTime() > deadlineNanos) {
            pending = false;
            LOG.warn("Tenant {}: this instance leads it, but its poll timer did not start within {} s; it polls at its next "
                    + "interval", tenant, GIVE_UP_AFTER.toSeconds());
        } else {
            try {
                TenantRoutes.fireIn(execution.getScheduler(), trigger, RETRY_DELAY_MILLIS);
            } catch (SchedulerException | RuntimeException e) {
                pending = false;
                LOG.warn("Tenant {}: could not poll at takeover ({}); it polls at its next interval", tenant, e.toString());
            }
        }
    }
}
