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
 * one slice; a page short of full holds all of its slice, whatever the order; a full page's slice is cut in two at
 * the middle time of that page, and the two are read in turn. Only an instant holding more items than a page is
 * paged with {@code $skip}.
 */
public final class PollWindow {

    public static final String PROPERTY = "DefenderPollWindow";

    /** The API's items come in one instant's steps of 100 ns (seven fractional digits). */
    private static final Duration TICK = Duration.ofNanos(100);

    private final Instant startedAt;
    private final String checkpointBefore;
    private final boolean ordered;
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
        pageTimes.clear();
    }

    /**
     * @throws MalformedPageException when the page is not in ascending time order: paging by time relies on the
     *                                API honouring {@code $orderby}, and a page that does not would lose items
     */
    void seen(String lastUpdateTime) {
        Instant at = Timestamps.parse(lastUpdateTime);
        if (!ordered) {
            pageTimes.add(at);
        } else if (pageLast != null && at.isBefore(Timestamps.parse(pageLast))) {
            throw new MalformedPageException("the page is not in ascending time order (" + lastUpdateTime + " after "
                    + pageLast + "): the API did not apply $orderby, and paging by time would miss items");
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
        boolean oneInstant = Duration.between(from, until).compareTo(TICK) <= 0;
        if (pageCount >= pageSize && oneInstant) {
            skip += pageCount;
            return true;
        }
        if (pageCount >= pageSize) {
            // the slice holds more than this page: cut it in two at the page's middle time, or, when that is the
            // slice's first instant, cut that instant off to be paged on its own
            List<Instant> times = new ArrayList<>(pageTimes);
            times.sort(null);
            Instant middle = times.get(times.size() / 2);
            Instant cut = middle.isAfter(from) ? middle : from.plus(TICK);
            push(cut, until);
            until = cut;
            skip = 0;
            return true;
        }
        return next();
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
