package io.defenderalertroutes.defender;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.defenderalertroutes.state.PendingDeliveries;
import io.defenderalertroutes.state.CheckpointStore;
import io.defenderalertroutes.state.HistoricalStart;
import io.defenderalertroutes.tenant.Tenant;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds each alerts request of a poll and moves the checkpoint when the poll is over. Pages by time: ordered
 * by {@code lastUpdateTime} ascending, a full page is followed by a request from its last {@code lastUpdateTime},
 * because the API's nextLink is often missing or stuck; an API that does not order its answers is read in slices of
 * time instead ({@link PollWindow}).
 */
public final class AlertQuery {

    public static final String MORE_PAGES = "DefenderMorePages";

    private static final Logger LOG = LoggerFactory.getLogger(AlertQuery.class);

    private final Tenant tenant;
    private final AlertApi api;
    private final String alertsUrl;
    private final int pageSize;
    private final boolean expandEvidence;
    private final String criteriaClause;
    private final Duration overlap;
    private final HistoricalStart historicalStart;
    private final CheckpointStore checkpoints;
    private final Clock clock;
    private final int maxPages;
    /** The lead term the poll runs under (high availability); a constant without it. */
    private volatile java.util.function.LongSupplier leadTerm = () -> 0;
    /** Whether a poll is between its window's opening and its commit or failure. */
    private volatile boolean polling;
    private static final String LEAD_TERM = "DefenderLeadTerm";
    private static final String COMMITTED = "DefenderCommitted";
    private int skipWindowAfter;
    private int windowFailures;
    private PollWindow failedWindow;
    private long windowsSkipped;

    /**
     * @param criteriaClause what the API can filter of the trigger criteria (and, for Graph, the service source),
     *                       in the API's vocabulary; empty for none
     */
    private java.util.function.Supplier<PendingDeliveries> pendingDeliveries = () -> null;

    public AlertQuery(Tenant tenant, AlertApi api, String apiUrl, int pageSize, boolean expandEvidence,
            String criteriaClause, Duration overlap, HistoricalStart historicalStart, CheckpointStore checkpoints,
            Clock clock, int maxPages) {
        this.tenant = tenant;
        this.api = api;
        this.alertsUrl = apiUrl.replaceAll("/+$", "") + api.path();
        this.pageSize = pageSize;
        this.expandEvidence = expandEvidence;
        this.criteriaClause = criteriaClause;
        this.overlap = overlap;
        this.historicalStart = historicalStart;
        this.checkpoints = checkpoints;
        this.clock = clock;
        this.maxPages = maxPages;
    }

    /** The source key (defender-api, graph), as the status page names it. */
    public String source() {
        return api.key();
    }

    /**
     * Where a poll's deliveries wait for a sink that acknowledges a page at once (the Kafka sink's page batch): made
     * for each poll as its window opens, and asked at its commit.
     */
    public void holdDeliveriesIn(java.util.function.Supplier<PendingDeliveries> perPoll) {
        this.pendingDeliveries = perPoll;
    }

    /**
     * Starts a poll: from the checkpoint less the overlap, but never before the historical start. With high
     * availability, a poll that begins on an instance no longer leading the tenant ends here, before it reads.
     */
    public void openWindow(Exchange exchange) {
        // in flight from here, before the lead is read: a handover of the tenant either waits for this poll
        // (KafkaClusterService drains) or this poll sees the lead gone
        polling = true;
        long term = leadTerm.getAsLong();
        if (term < 0) {
            // fired as the lead went (a timer or a takeover poll that was already on its way): another instance
            // polls the tenant now, and two polls at once would deliver the same alerts twice
            polling = false;
            LOG.info("Tenant {}: a poll began after this instance lost the tenant's lead; it ends before reading, the "
                    + "instance that leads the tenant polls it", tenant);
            exchange.setRouteStop(true);
            return;
        }
        // a plain message rather than the timer's: every alert of the poll copies it, and a Quartz message
        // rebuilds its headers from the job on each copy
        exchange.setMessage(new org.apache.camel.support.DefaultMessage(exchange));
        skipWindowIfTold();
        Instant now = clock.instant();
        Instant horizon = historicalStart.horizon(clock);
        Optional<String> checkpoint = checkpoints.readForPoll();
        Instant from = checkpoint.map(c -> Timestamps.parse(c).minus(overlap)).filter(t -> t.isAfter(horizon))
                .orElse(horizon);
        // one INFO line per poll: its end, below
        LOG.debug("Polling tenant {} for alerts updated since {} (checkpoint {})", tenant, Timestamps.format(from),
                checkpoint.orElse("none yet"));
        exchange.setProperty(PollWindow.PROPERTY, new PollWindow(now, from, checkpoint.orElse(null), api.ordered()));
        exchange.setProperty(MORE_PAGES, true);
        exchange.setProperty(LEAD_TERM, term);
        exchange.setProperty(UndeliveredAlerts.PROPERTY, new UndeliveredAlerts());
        PendingDeliveries pending = pendingDeliveries.get();
        if (pending != null) {
            exchange.setProperty(PendingDeliveries.PROPERTY, pending);
        } else {
            exchange.removeProperty(PendingDeliveries.PROPERTY);
        }
        exchange.removeProperty(COMMITTED);
        tenant.putOn(exchange);
    }

    /** With high availability, whether this instance no longer leads the tenant: a poll that fires now ends at once. */
    public boolean withoutLead() {
        return leadTerm.getAsLong() < 0;
    }

    /** Whether a poll of the tenant is in flight (with high availability, its lead is handed over once it ends). */
    public boolean polling() {
        return polling;
    }

    /**
     * With high availability: the term of this instance's lead of the tenant (-1 when it does not lead). A poll that
     * loses the lead part-way (another instance took the tenant over) does not commit its checkpoint.
     */
    public void fence(java.util.function.LongSupplier term) {
        this.leadTerm = term;
    }

    /**
     * An operator's explicit choice ({@code defender.poll.skip-window-after}): after that many failed polls in a row,
     * the next poll gives up on the window they could not get through and starts after it. 0, the default, never
     * skips: a failing window is retried at every poll, and readiness raises the alarm.
     */
    public synchronized void skipWindowAfter(int failedPolls) {
        this.skipWindowAfter = failedPolls;
    }

    /** Called by the poller route when a poll failed; the checkpoint stayed where it was. */
    public synchronized void pollFailed(Exchange exchange) {
        polling = false;
        PollWindow window = exchange.getProperty(PollWindow.PROPERTY, PollWindow.class);
        if (window != null) {
            failedWindow = window;
            windowFailures++;
        }
    }

    public synchronized long windowsSkipped() {
        return windowsSkipped;
    }

    private synchronized void skipWindowIfTold() {
        if (skipWindowAfter <= 0 || windowFailures < skipWindowAfter || failedWindow == null) {
            return;
        }
        String end = Timestamps.format(failedWindow.startedAt());
        LOG.error("Skipping the window {} to {} of tenant {} after {} failed polls, as defender.poll.skip-window-after={} "
                + "says: alerts last updated in it that were not delivered will not be fetched again",
                Timestamps.format(failedWindow.spanFrom()), end, tenant, windowFailures, skipWindowAfter);
        checkpoints.write(end);
        windowsSkipped++;
        windowFailures = 0;
        failedWindow = null;
    }

    /** Sets the HTTP headers of the next page's request. */
    public void nextPage(Exchange exchange) {
        PollWindow window = window(exchange);
        if (window.pages() >= maxPages) {
            throw new IllegalStateException("Poll of tenant " + tenant + " read " + maxPages
                    + " pages without reaching the end; raise defender.poll.max-pages or the page size");
        }
        var message = exchange.getMessage();
        message.setBody(null);
        message.setHeader(Exchange.HTTP_METHOD, "GET");
        message.setHeader("Accept", "application/json");
        if (api.graph()) {
            // without it Graph hides enum members newer than our client as unknownFutureValue
            message.setHeader("Prefer", "include-unknown-enum-members");
        }
        if (window.skip() > api.maxSkip()) {
            throw new IllegalStateException("Poll of tenant " + tenant + ": more alerts share " + api.timeField() + " "
                    + Timestamps.format(window.from()) + " than " + api.key() + " can page through ($skip is capped at "
                    + api.maxSkip() + "); raise defender.poll.page-size");
        }
        if (window.nextLink() != null) {
            message.setHeader(Exchange.HTTP_URI, window.nextLink());
            message.removeHeader(Exchange.HTTP_QUERY);
            window.beginPage(window.nextLink());
        } else {
            String query = query(window.from(), window.until(), window.skip());
            message.setHeader(Exchange.HTTP_URI, alertsUrl);
            message.setHeader(Exchange.HTTP_QUERY, query);
            window.beginPage(alertsUrl + "?" + query);
        }
    }

    /** @param until the end (exclusive) of the slice of time to read, for an API read in slices; else null */
    String query(Instant from, Instant until, int skip) {
        String filter = api.timeField() + " ge " + Timestamps.format(from);
        if (until != null) {
            filter += " and " + api.timeField() + " lt " + Timestamps.format(until);
        }
        if (!criteriaClause.isEmpty()) {
            filter += " and " + criteriaClause;
        }
        StringBuilder query = new StringBuilder().append("$filter=").append(encode(filter));
        if (api.ordered()) {
            query.append("&$orderby=").append(encode(api.timeField() + " asc"));
        }
        query.append("&$top=").append(pageSize);
        if (skip > 0) {
            query.append("&$skip=").append(skip);
        }
        if (expandEvidence && api == AlertApi.DEFENDER) {
            query.append("&$expand=evidence");
        }
        if (api.incidents() && api.graph()) {
            // Graph leaves an incident's alerts out unless asked; Defender XDR always includes them
            query.append("&$expand=alerts");
        }
        return query.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** After a page was split and every alert on it delivered: decides whether another page follows. */
    public void pageDone(Exchange exchange) {
        PollWindow window = window(exchange);
        boolean more = window.advance(pageSize);
        LOG.debug("Tenant {} page {}: {} alerts, more pages: {}", tenant, window.pages(), window.pageCount(), more);
        exchange.setProperty(MORE_PAGES, more);
    }

    /** Every alert of the poll was delivered: the checkpoint may move up to the newest one seen. */
    public void commit(Exchange exchange) {
        polling = false;
        PollWindow window = window(exchange);
        UndeliveredAlerts undelivered = UndeliveredAlerts.of(exchange);
        if (undelivered != null && undelivered.count() > 0) {
            throw new IncompletePollException("Poll of tenant " + tenant + " read " + window.pages() + " pages but "
                    + undelivered.describe());
        }
        PendingDeliveries pending = exchange.getProperty(PendingDeliveries.PROPERTY, PendingDeliveries.class);
        int unsettled = pending == null ? 0 : pending.unsettled();
        if (unsettled > 0) {
            throw new IncompletePollException("Poll of tenant " + tenant + " read " + window.pages() + " pages but "
                    + unsettled + " alerts handed to the Kafka sink were never acknowledged: the page's batch "
                    + "was not sent and settled (steps send-kafka-batch in routes/defender-poll.camel.yaml, settle-page "
                    + "in routes/sinks.camel.yaml); the checkpoint stays");
        }
        long began = exchange.getProperty(LEAD_TERM, 0L, Long.class);
        long term = leadTerm.getAsLong();
        if (began != term || term < 0) {
            throw new IllegalStateException("tenant " + tenant + ": this instance lost the lead during the poll (term "
                    + began + ", now " + (term < 0 ? "not leading" : term) + "); the checkpoint stays for the instance that leads");
        }
        String newest = window.newest();
        String before = window.checkpointBefore();
        if (newest != null && (before == null || window.newestInstant().isAfter(Timestamps.parse(before)))) {
            checkpoints.write(newest);
        }
        synchronized (this) {
            windowFailures = 0;
            failedWindow = null;
        }
        String now = checkpoints.read().orElse("none yet");
        LOG.info("Poll of tenant {} done: {} alerts updated since {} in {} pages, checkpoint {}", tenant,
                window.alerts(), Timestamps.format(window.spanFrom()), window.pages(), now);
        exchange.getMessage().setHeader("DefenderCheckpoint", now);
        exchange.setProperty(COMMITTED, true);
    }

    /**
     * Whether the poll opened its window but left the route without committing and without an error: a {@code stop}
     * (a user's, or a stray one from the alert flow) or anything else that ends an exchange quietly. Such a poll did not
     * read every page, so it failed like any other, and says why ({@link #explainEarlyEnd}).
     */
    public boolean endedEarly(Exchange exchange) {
        return exchange.getProperty(PollWindow.PROPERTY) != null
                && !exchange.getProperty(COMMITTED, false, Boolean.class) && exchange.getException() == null;
    }

    /** A poll that {@link #endedEarly}: the reason, logged at WARN and kept as the poll's failure. */
    public void explainEarlyEnd(Exchange exchange) {
        PollWindow window = window(exchange);
        IncompletePollException reason = new IncompletePollException("Poll of tenant " + tenant + " ended at page "
                + window.pages() + " without reading every page and without an error: a stop (or another step that "
                + "ends an exchange) reached the poll's route; the poll counts as failed and the checkpoint stays");
        LOG.warn(reason.getMessage());
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, reason);
    }

    private static PollWindow window(Exchange exchange) {
        PollWindow window = exchange.getProperty(PollWindow.PROPERTY, PollWindow.class);
        if (window == null) {
            throw new IllegalStateException("no poll window on the exchange; openWindow must run first");
        }
        return window;
    }
}
