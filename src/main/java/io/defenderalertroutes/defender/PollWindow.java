package io.defenderalertroutes.defender;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The state of one poll while it pages through the API: where the next page starts, and the newest
 * {@code lastUpdateTime} seen, which becomes the checkpoint once every alert of the poll went out.
 *
 * <p>An API that returns its items in time order is paged by time: each page starts where the last one ended. An API
 * that does not (Defender XDR's incidents) is read in slices of time instead: the poll's span, up to its start, is
 * one slice; a page short of full holds all of its slice, whatever the order; a full page's slice is cut in two and
 * both parts are read in turn. Where to cut comes from the page: past its oldest time when it came newest first
 * (the part above then fits one page), at its newest when it came oldest first, else at its middle time. Only an
 * instant holding more items than a page, or a slice no cut can shrink, is paged with {@code $skip}. A poll of an
 * ordered API whose full page comes back out of order goes on in slices: that API did not apply {@code $orderby}.
 */
public final class PollWindow {

    public static final String PROPERTY = "DefenderPollWindow";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PollWindow.class);

    /** The API's items come in one instant's steps of 100 ns (seven fractional digits). */
    private static final Duration TICK = Duration.ofNanos(100);

    private final Instant startedAt;
    private final String checkpointBefore;
    private boolean ordered;
    private final Instant spanFrom;
    private Instant from;
    /** Unordered paging: the end (exclusive) of the slice being read, and the slices still to read, next on top. */
    private Instant until;
    private final Deque<Instant[]> slices = new ArrayDeque<>();
    private final List<Instant> pageTimes = new ArrayList<>();
    private int skip;
    private String nextLink;
    private String currentUrl;
    private int pages;
    private long alerts;

    // what the page being read has shown so far
    private int pageCount;
    private boolean pageOutOfOrder;
    private String pageLast;
    private String pageNextLink;

    private Instant newest;
    private String newestText;

    PollWindow(Instant startedAt, Instant from, String checkpointBefore) {
        this(startedAt, from, checkpointBefore, true);
    }

    /** @param ordered whether the API answers in ascending time order ({@code $orderby}); if not, it is read in slices */
    PollWindow(Instant startedAt, Instant from, String checkpointBefore, boolean ordered) {
        this.startedAt = startedAt;
        this.from = from;
        this.spanFrom = from;
        this.checkpointBefore = checkpointBefore;
        this.ordered = ordered;
        this.until = ordered ? null : startedAt;
    }

    void beginPage(String url) {
        pages++;
        currentUrl = url;
        pageCount = 0;
        pageLast = null;
        pageNextLink = null;
        pageOutOfOrder = false;
        pageTimes.clear();
    }

    void seen(String lastUpdateTime) {
        Instant at = Timestamps.parse(lastUpdateTime);
        if (!ordered) {
            pageTimes.add(at);
        } else if (pageLast != null && at.isBefore(Timestamps.parse(pageLast))) {
            pageOutOfOrder = true;
        }
        pageCount++;
        alerts++;
        pageLast = lastUpdateTime;
        if (newest == null || at.isAfter(newest)) {
            newest = at;
            newestText = lastUpdateTime;
        }
    }

    void pageNextLink(String link) {
        this.pageNextLink = link;
    }

    /**
     * Decides where the next page starts. A nextLink is followed only when it leads somewhere new; otherwise a
     * full page continues from its last {@code lastUpdateTime}, or, when the whole page shares the window's start
     * time, from further into that instant with {@code $skip}.
     *
     * @return whether another page must be read
     */
    boolean advance(int pageSize) {
        if (!ordered) {
            return advanceBySlices(pageSize);
        }
        if (pageNextLink != null && pageCount > 0 && !pageNextLink.equals(currentUrl)) {
            nextLink = pageNextLink;
            return true;
        }
        nextLink = null;
        if (pageCount < pageSize) {
            return false;
        }
        if (pageOutOfOrder) {
            // paging on from this page's last time would pass over what it left out: read the rest in slices
            LOG.warn("The API answered a page out of time order ({}): it did not apply $orderby; this poll goes on "
                    + "in slices of time", currentUrl);
            ordered = false;
            until = startedAt;
            skip = 0;
            return true;
        }
        Instant last = Timestamps.parse(pageLast);
        if (last.isAfter(from)) {
            from = last;
            skip = 0;
        } else {
            skip += pageCount;
        }
        return true;
    }

    /** Unordered paging: what comes after a page of the current slice. */
    private boolean advanceBySlices(int pageSize) {
        nextLink = null;
        // a page that says more follow is as good as full: its slice is not proven complete
        if (pageCount == 0 || pageCount < pageSize && pageNextLink == null) {
            return next();
        }
        if (skip > 0 || Duration.between(from, until).compareTo(TICK) <= 0) {
            skip += pageCount;
            return true;
        }
        Instant cut = cut();
        if (cut.isAfter(from) && cut.isBefore(until)) {
            push(cut, until);
            until = cut;
            return true;
        }
        // the page's times do not cut the slice as it was asked for (an API that rounds its times): page it
        skip += pageCount;
        return true;
    }

    /** Where to cut the current slice, from the times of its full page in the order they came. */
    private Instant cut() {
        List<Instant> sorted = new ArrayList<>(pageTimes);
        sorted.sort(null);
        Instant oldest = sorted.get(0);
        Instant newestOnPage = sorted.get(sorted.size() - 1);
        if (oldest.equals(newestOnPage)) {
            return oldest.isAfter(from) ? oldest : from.plus(TICK);
        }
        List<Instant> reversed = new ArrayList<>(sorted);
        java.util.Collections.reverse(reversed);
        if (pageTimes.equals(reversed)) {
            // newest first: the newest of the slice; above its oldest time they all fit this page
            return sorted.stream().filter(t -> t.isAfter(oldest)).findFirst().orElseThrow();
        }
        if (pageTimes.equals(sorted)) {
            // oldest first: below its newest time they all fit this page
            return newestOnPage;
        }
        Instant middle = sorted.get(sorted.size() / 2);
        return middle.isAfter(from) ? middle : from.plus(TICK);
    }

    private void push(Instant sliceFrom, Instant sliceUntil) {
        if (sliceFrom.isBefore(sliceUntil)) {
            slices.push(new Instant[] {sliceFrom, sliceUntil});
        }
    }

    private boolean next() {
        Instant[] slice = slices.poll();
        if (slice == null) {
            return false;
        }
        from = slice[0];
        until = slice[1];
        skip = 0;
        return true;
    }

    /** Unordered paging: the end (exclusive) of the slice the next page reads; null when paging by time order. */
    public Instant until() {
        return until;
    }

    /** Where the poll's span began (the checkpoint less the overlap, or the historical start). */
    public Instant spanFrom() {
        return spanFrom;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant from() {
        return from;
    }

    public int skip() {
        return skip;
    }

    public String nextLink() {
        return nextLink;
    }

    public int pages() {
        return pages;
    }

    public long alerts() {
        return alerts;
    }

    public int pageCount() {
        return pageCount;
    }

    public String checkpointBefore() {
        return checkpointBefore;
    }

    /** The newest lastUpdateTime seen in this poll, as the API wrote it; null when the poll saw no alert. */
    public String newest() {
        return newestText;
    }

    Instant newestInstant() {
        return newest;
    }
}
