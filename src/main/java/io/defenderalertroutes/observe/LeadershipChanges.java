package io.defenderalertroutes.observe;

import java.time.Duration;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With high availability, this instance's leadership of one tenant: each gain and loss logged and counted
 * ({@code defender_leadership_changes_total{change="gained"|"lost"}}), and a warning when changes come closer
 * together than a real takeover allows. A leader is replaced only after several heartbeats without one, so two
 * changes within that time mean the lock is flapping: heartbeats running late on a loaded machine or a slow
 * shared disk. Each gain starts the tenant's poll timer anew; the poller's guard keeps that from adding polls.
 */
public final class LeadershipChanges {

    private static final Logger LOG = LoggerFactory.getLogger(LeadershipChanges.class);

    private final String tenant;
    private final long takeoverNanos;
    private final LongSupplier nanoClock;
    private boolean leading;
    private boolean changedBefore;
    private long lastChangeNanos;
    private long gained;
    private long lost;
    private long flaps;

    /** @param takeoverTime the least time a real takeover takes: the heartbeats a leader may miss before it is replaced */
    public LeadershipChanges(String tenant, Duration takeoverTime) {
        this(tenant, takeoverTime, System::nanoTime);
    }

    LeadershipChanges(String tenant, Duration takeoverTime, LongSupplier nanoClock) {
        this.tenant = tenant;
        this.takeoverNanos = takeoverTime.toNanos();
        this.nanoClock = nanoClock;
    }

    /**
     * Called on every leadership event of the tenant's namespace; only a change of this instance's role counts.
     * @return whether this instance has just taken the lead
     */
    public synchronized boolean observe(boolean leadsNow) {
        if (leadsNow == leading) {
            return false;
        }
        leading = leadsNow;
        long now = nanoClock.getAsLong();
        if (leadsNow) {
            gained++;
            LOG.info("This instance now leads tenant {} and polls it", tenant);
        } else {
            lost++;
            LOG.info("This instance no longer leads tenant {}; another instance polls it", tenant);
        }
        if (changedBefore && now - lastChangeNanos < takeoverNanos) {
            flaps++;
            LOG.warn("Leadership of tenant {} changed again {} ms after its last change, sooner than a takeover can "
                    + "happen ({} ms of missed heartbeats): the lock is flapping, as when heartbeats run late on a loaded "
                    + "machine or a slow shared disk ({} changes so far)", tenant,
                    Duration.ofNanos(now - lastChangeNanos).toMillis(), Duration.ofNanos(takeoverNanos).toMillis(),
                    gained + lost);
        }
        changedBefore = true;
        lastChangeNanos = now;
        return leadsNow;
    }

    public synchronized boolean leading() {
        return leading;
    }

    /**
     * This instance's current term as the tenant's leader (the count of times it gained the lead), or -1 while it
     * does not lead: a poll begun in one term may commit its checkpoint only in the same term.
     */
    public synchronized long term() {
        return leading ? gained : -1;
    }

    public synchronized long gained() {
        return gained;
    }

    public synchronized long lost() {
        return lost;
    }

    /** Changes that came sooner after the previous one than a takeover can. */
    public synchronized long flaps() {
        return flaps;
    }
}
