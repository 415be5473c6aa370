package io.defenderalertroutes.defender;

import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poller's own brake: whatever fires a tenant's timer (its schedule, a new leader starting it, a stray or
 * repeated trigger), a fire scheduled less than half an interval after the last one that polled in this process is
 * skipped, logged and counted ({@code defender_polls_total{outcome="skipped"}}), so that nothing can spend the
 * tenant's API budget on polls the schedule did not ask for. Fires are compared by the time Quartz scheduled them,
 * not by when a busy worker pool got to them: a late poll does not cost the next one on schedule, while anything
 * twice as frequent as the schedule is not the schedule.
 * <p>
 * A poll someone asked for explicitly ({@link #ON_DEMAND} in the trigger's job data, as the operators' "poll now"
 * sets it) always runs.
 */
public final class PollGuard {

    /** Job-data key of a trigger that asks for a poll on demand; such a poll is never skipped. */
    public static final String ON_DEMAND = "defenderPollOnDemand";
    /** The header the Quartz consumer puts the trigger's merged job data in. */
    static final String JOB_DATA_HEADER = "mergedJobDataMap";
    /** The header the Quartz consumer puts the time the fire was scheduled for in. */
    static final String SCHEDULED_FIRE_TIME_HEADER = "scheduledFireTime";

    private static final Logger LOG = LoggerFactory.getLogger(PollGuard.class);

    private final String tenant;
    private final long minSpacingMillis;
    private final LongSupplier clock;
    private boolean polled;
    private long lastScheduledMillis;
    private long skipped;
    private long fires;

    public PollGuard(String tenant, Duration interval) {
        this(tenant, interval, System::currentTimeMillis);
    }

    PollGuard(String tenant, Duration interval, LongSupplier clock) {
        this.tenant = tenant;
        this.minSpacingMillis = interval.toMillis() / 2;
        this.clock = clock;
    }

    /**
     * Called as a poll begins: true when it comes too soon after the last one and must be skipped, which this
     * logs and counts; otherwise the poll is recorded as begun now.
     */
    public synchronized boolean tooSoon(Exchange exchange) {
        long scheduled = scheduledFor(exchange);
        fires++;
        if (polled && scheduled - lastScheduledMillis < minSpacingMillis && !onDemand(exchange)) {
            skipped++;
            LOG.warn("Skipped a poll of tenant {}: it was fired {} s after the last one, less than half the poll interval "
                    + "({} s) (a repeated fire of its timer, or leadership regained soon after it was lost)", tenant,
                    Duration.ofMillis(scheduled - lastScheduledMillis).toSeconds(),
                    Duration.ofMillis(minSpacingMillis).toSeconds());
            return true;
        }
        polled = true;
        lastScheduledMillis = scheduled;
        return false;
    }

    /** Fires of the tenant's timer that reached the poller, whether they polled or were skipped. */
    public synchronized long fires() {
        return fires;
    }

    /** Polls skipped as too soon since start. */
    public synchronized long skipped() {
        return skipped;
    }

    /** When Quartz scheduled this fire; now for a fire that does not say. */
    private long scheduledFor(Exchange exchange) {
        Object at = exchange.getMessage().getHeader(SCHEDULED_FIRE_TIME_HEADER);
        return at instanceof java.util.Date date ? date.getTime() : clock.getAsLong();
    }

    private static boolean onDemand(Exchange exchange) {
        Object data = exchange.getMessage().getHeader(JOB_DATA_HEADER);
        return data instanceof Map<?, ?> map && Boolean.TRUE.equals(map.get(ON_DEMAND));
    }
}
