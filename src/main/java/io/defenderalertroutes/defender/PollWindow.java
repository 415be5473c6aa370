package io.defenderalertroutes.defender;

import java.time.Instant;

/**
 * The state of one poll while it pages through the API: where the next page starts, and the newest
 * {@code lastUpdateTime} seen, which becomes the checkpoint once every alert of the poll went out.
 */
public final class PollWindow {

    public static final String PROPERTY = "DefenderPollWindow";

    private final Instant startedAt;
    private final String checkpointBefore;
    private Instant from;
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
        this.startedAt = startedAt;
        this.from = from;
        this.checkpointBefore = checkpointBefore;
    }

    void beginPage(String url) {
        pages++;
        currentUrl = url;
        pageCount = 0;
        pageLast = null;
        pageNextLink = null;
    }

    /**
     * @throws MalformedPageException when the page is not in ascending time order: paging by time relies on the
     *                                API honouring {@code $orderby}, and a page that does not would lose items
     */
    void seen(String lastUpdateTime) {
        Instant at = Timestamps.parse(lastUpdateTime);
        if (pageLast != null && at.isBefore(Timestamps.parse(pageLast))) {
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
