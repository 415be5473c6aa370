package io.defenderalertroutes.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.defenderalertroutes.defender.PollGuard;
import io.defenderalertroutes.tenant.TenantNames;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.KeyMatcher;
import org.quartz.listeners.JobListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of the Quartz scheduler behind the tenants' poll timers: when it starts, when a tenant's first poll
 * comes, a new leader's poll at takeover, a poll asked for now, and when the next poll is due. The poller routes'
 * {@code quartz:} endpoints create the timers; whatever else moves or reads them does it here, so that the rules they
 * follow (one trigger per tenant, never a second one behind a busy worker pool) are kept in one place.
 * Needs {@code camel.component.quartz.auto-start-scheduler=false}.
 */
public final class PollTimers {

    private static final Logger LOG = LoggerFactory.getLogger(PollTimers.class);

    private PollTimers() {
    }

    /** The Quartz trigger of the tenant's poll timer. */
    public static TriggerKey trigger(String tenant) {
        return TriggerKey.triggerKey(new TenantNames(tenant).timerName(), TenantNames.TIMER_GROUP);
    }

    private static Scheduler scheduler(CamelContext context) {
        return context.getComponent("quartz", QuartzComponent.class).getScheduler();
    }

    /**
     * Starts the scheduler once every route is up, after moving each tenant's first poll the given delay into the
     * future (none: at once). Camel's Quartz endpoint always starts a simple trigger now when the scheduler is not
     * running yet, and the seed service's first poll comes one interval after activation.
     *
     * @param firstPollDelayMillis by tenant name
     */
    public static ExtendedStartupListener starter(Map<String, Long> firstPollDelayMillis) {
        Map<String, Long> delays = Map.copyOf(firstPollDelayMillis);
        return new ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                // the routes and their triggers exist only once the context is fully started
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
                Scheduler scheduler = scheduler(context);
                for (Map.Entry<String, Long> delay : delays.entrySet()) {
                    if (delay.getValue() > 0) {
                        fireIn(scheduler, trigger(delay.getKey()), delay.getValue());
                    }
                }
                if (!scheduler.isStarted()) {
                    scheduler.start();
                }
            }
        };
    }

    /**
     * Moves a tenant's timer to fire {@code delayMillis} from now, its schedule running on from there; does nothing
     * when the timer is not scheduled (yet).
     */
    public static void fireIn(CamelContext context, String tenant, long delayMillis) throws SchedulerException {
        fireIn(scheduler(context), trigger(tenant), delayMillis);
    }

    private static void fireIn(Scheduler scheduler, TriggerKey timer, long delayMillis) throws SchedulerException {
        Trigger current = scheduler.getTrigger(timer);
        if (current != null) {
            scheduler.rescheduleJob(timer, current.getTriggerBuilder()
                    .startAt(new Date(System.currentTimeMillis() + delayMillis)).build());
        }
    }

    /** When the tenant's timer fires next, or null when it is not scheduled or cannot be asked. */
    public static Instant nextPoll(CamelContext context, String tenant) {
        try {
            Trigger trigger = scheduler(context).getTrigger(trigger(tenant));
            return trigger == null || trigger.getNextFireTime() == null ? null : trigger.getNextFireTime().toInstant();
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * Fires a tenant's poll now, through its Quartz job as the timer would (so it never overlaps a running poll), and
     * waits until Quartz reports the job done. For an application that embeds the bundle and decides itself when to
     * poll (the host application of EmbeddedAsDependencyIT), the demo and the tests.
     */
    public static void pollNow(CamelContext context, String tenant, Duration timeout)
            throws SchedulerException, InterruptedException {
        Scheduler scheduler = scheduler(context);
        TriggerKey trigger = trigger(tenant);
        JobKey job = JobKey.jobKey(trigger.getName(), trigger.getGroup());
        if (!scheduler.checkExists(job)) {
            throw new IllegalArgumentException("no poll is scheduled for tenant " + tenant);
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
                throw new IllegalStateException("the poll of tenant " + tenant + " did not finish within " + timeout);
            }
        } finally {
            scheduler.getListenerManager().removeJobListener(listener);
        }
    }

    /**
     * A tenant removed while the bundle runs, once its poller route is gone: its takeover listener and, should the
     * route have left it behind, its Quartz job, so that a tenant put back starts from a clean timer.
     */
    public static void forget(CamelContext context, String tenant) throws SchedulerException {
        Scheduler scheduler = scheduler(context);
        scheduler.getListenerManager().removeJobListener(TakeoverPoll.nameOf(tenant));
        TriggerKey trigger = trigger(tenant);
        scheduler.deleteJob(JobKey.jobKey(trigger.getName(), trigger.getGroup()));
    }

    /**
     * What to run each time this instance takes the lead of the tenant: its one poll at once.
     *
     * @param leading whether this instance still leads the tenant
     */
    public static Runnable takeoverPoll(CamelContext context, String tenant, PollGuard guard, BooleanSupplier leading) {
        return new TakeoverPoll(context, tenant, guard, leading)::leadershipTaken;
    }

    /**
     * A new leader's one poll at once. With high availability every instance's Quartz scheduler holds the tenant's
     * timer (Camel starts the endpoint with the context), but only fires on the leader reach the poller, and only once
     * Camel's master consumer has started the timer's consumer, a moment after the election; a fire before that does
     * nothing. So on taking the lead, the tenant's own trigger is moved to fire now, and moved again after each fire
     * that did not reach the poller, until one does or the lead is gone. It is always the one trigger the schedule
     * already has, never a new one ({@link #pollNow} would add one): nothing can pile up behind a busy worker pool,
     * and the schedule runs on from the takeover.
     */
    private static final class TakeoverPoll extends JobListenerSupport {

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
            this.trigger = PollTimers.trigger(tenant);
        }

        static String nameOf(String tenant) {
            return "defender-takeover-" + tenant;
        }

        @Override
        public String getName() {
            return nameOf(tenant);
        }

        synchronized void leadershipTaken() {
            try {
                Scheduler scheduler = scheduler(context);
                if (!listening) {
                    scheduler.getListenerManager().addJobListener(this,
                            KeyMatcher.keyEquals(JobKey.jobKey(trigger.getName(), trigger.getGroup())));
                    listening = true;
                }
                pending = true;
                firesBefore = guard.fires();
                deadlineNanos = System.nanoTime() + GIVE_UP_AFTER.toNanos();
                // with no trigger yet, the master consumer is scheduling one afresh, which Camel fires half a second out
                fireIn(scheduler, trigger, FIRST_DELAY_MILLIS);
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
                LOG.warn("Tenant {}: this instance leads it, but its poll timer did not start within {} s; it polls at "
                        + "its next interval", tenant, GIVE_UP_AFTER.toSeconds());
            } else {
                try {
                    fireIn(execution.getScheduler(), trigger, RETRY_DELAY_MILLIS);
                } catch (SchedulerException | RuntimeException e) {
                    pending = false;
                    LOG.warn("Tenant {}: could not poll at takeover ({}); it polls at its next interval", tenant,
                            e.toString());
                }
            }
        }
    }
}
