package io.defenderalertroutes.defender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class PollWindowTest {

    private final Instant start = Instant.parse("2026-11-01T00:00:00Z");
    private final PollWindow window = new PollWindow(Instant.now(), start, null);

    private void page(String url, String... lastUpdateTimes) {
        window.beginPage(url);
        for (String t : lastUpdateTimes) {
            window.seen(t);
        }
    }

    @Test
    void aShortPageEndsThePoll() {
        page("u1", "2026-11-01T00:00:01Z");
        assertFalse(window.advance(2));
    }

    @Test
    void aFullPageContinuesFromItsLastTime() {
        page("u1", "2026-11-01T00:00:01Z", "2026-11-01T00:00:02.5Z");
        assertTrue(window.advance(2));
        assertEquals(Instant.parse("2026-11-01T00:00:02.5Z"), window.from());
        assertEquals(0, window.skip());
    }

    @Test
    void aFullPageAtOneInstantSkipsIntoThatInstant() {
        page("u1", "2026-11-01T00:00:00Z", "2026-11-01T00:00:00.0000000Z");
        assertTrue(window.advance(2));
        assertEquals(start, window.from());
        assertEquals(2, window.skip());
        page("u2", "2026-11-01T00:00:00Z", "2026-11-01T00:00:03Z");
        assertTrue(window.advance(2));
        assertEquals(0, window.skip(), "once time moves on, skipping stops");
    }

    @Test
    void aNextLinkIsFollowedOnlyWhileItLeadsSomewhereNew() {
        page("u1", "2026-11-01T00:00:01Z");
        window.pageNextLink("u2");
        assertTrue(window.advance(1));
        assertEquals("u2", window.nextLink());
        page("u2", "2026-11-01T00:00:02Z");
        window.pageNextLink("u2");
        assertTrue(window.advance(1), "a stuck nextLink falls back to paging by time");
        assertNull(window.nextLink());
        assertEquals(Instant.parse("2026-11-01T00:00:02Z"), window.from());
    }

    @Test
    void aFullPageOutOfTimeOrderTurnsThePollToSlicesOfTime() {
        Instant pollStart = Instant.parse("2026-11-02T00:00:00Z");
        PollWindow ordered = new PollWindow(pollStart, start, null);
        ordered.beginPage("u1");
        ordered.seen("2026-11-01T00:00:05Z");
        ordered.seen("2026-11-01T00:00:04Z");
        assertTrue(ordered.advance(2), "the rest of the span is read");
        assertEquals(pollStart, ordered.until(), "in slices of time, up to the poll's start");
        assertEquals(start, ordered.from());

        PollWindow shortPage = new PollWindow(pollStart, start, null);
        shortPage.beginPage("u1");
        shortPage.seen("2026-11-01T00:00:05Z");
        shortPage.seen("2026-11-01T00:00:04Z");
        assertFalse(shortPage.advance(3), "a short page is complete in any order");
        assertNull(shortPage.until());
    }

    @Test
    void aSliceThatNoCutShrinksIsPagedWithSkipInsteadOfAskedAgain() {
        Instant pollStart = Instant.parse("2026-11-02T00:00:00Z");
        PollWindow unordered = new PollWindow(pollStart, start, null, false);
        // an API that writes its times rounded up: a full page stamped at the very end of the slice it was asked for
        unordered.beginPage("u1");
        unordered.seen(Timestamps.format(pollStart));
        unordered.seen(Timestamps.format(pollStart));
        assertTrue(unordered.advance(2));
        assertEquals(2, unordered.skip());
        assertEquals(pollStart, unordered.until(), "the same slice, further in");
        unordered.beginPage("u2");
        unordered.seen(Timestamps.format(pollStart));
        assertFalse(unordered.advance(2));
    }

    @Test
    void aShortPageWithANextLinkDoesNotCloseItsSlice() {
        PollWindow unordered = new PollWindow(Instant.parse("2026-11-02T00:00:00Z"), start, null, false);
        unordered.beginPage("u1");
        unordered.seen("2026-11-01T06:00:00Z");
        unordered.seen("2026-11-01T03:00:00Z");
        unordered.pageNextLink("u2");
        assertTrue(unordered.advance(10), "more were said to follow");
        assertEquals(Instant.parse("2026-11-01T06:00:00Z"), unordered.until(), "cut above the newest-first page's oldest");
    }

    enum ServerOrder { NEWEST_FIRST, OLDEST_FIRST, NONE }

    /**
     * An API that answers in no order, or in one the bundle does not ask for, played by this test: every item of the
     * span is seen, including more items at one instant than fit a page, and the number of calls stays near the
     * number of pages the items fill.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"NEWEST_FIRST, 1, 25", "NEWEST_FIRST, 2, 25", "OLDEST_FIRST, 3, 25",
            "NONE, 1, 40", "NONE, 42, 40"})
    void anUnorderedApiIsReadInSlicesOfTimeAndNothingIsMissed(ServerOrder order, long seed, int callsPerTenPages) {
        java.util.Random random = new java.util.Random(seed);
        Instant pollStart = start.plus(java.time.Duration.ofDays(30));
        java.util.List<Instant> items = new java.util.ArrayList<>();
        for (int i = 0; i < 500; i++) {
            items.add(start.plusMillis(random.nextLong(java.time.Duration.ofDays(30).toMillis())));
        }
        Instant burst = start.plus(java.time.Duration.ofDays(3));
        for (int i = 0; i < 25; i++) {
            items.add(burst);
        }
        int pageSize = 10;
        PollWindow unordered = new PollWindow(pollStart, start, null, false);
        java.util.Map<Instant, Integer> seen = new java.util.HashMap<>();
        int calls = 0;
        boolean more = true;
        while (more) {
            Instant from = unordered.from();
            Instant until = unordered.until();
            java.util.List<Instant> slice = new java.util.ArrayList<>(items.stream()
                    .filter(t -> !t.isBefore(from) && t.isBefore(until)).sorted().toList());
            switch (order) {
                case NEWEST_FIRST -> java.util.Collections.reverse(slice);
                case OLDEST_FIRST -> { }
                default -> java.util.Collections.shuffle(slice, new java.util.Random(from.toEpochMilli() ^ until.toEpochMilli()));
            }
            unordered.beginPage("call " + calls++);
            slice.stream().skip(unordered.skip()).limit(pageSize).forEach(t -> {
                unordered.seen(Timestamps.format(t));
                seen.merge(t, 1, Integer::sum);
            });
            more = unordered.advance(pageSize);
            assertTrue(calls < 400, "the poll ends");
        }
        java.util.Set<Instant> distinct = new java.util.HashSet<>(items);
        assertEquals(distinct, seen.keySet(), "every instant of the span was read");
        assertTrue(seen.get(burst) >= 25, "the 25 items of one instant, paged with $skip: " + seen.get(burst));
        int pages = items.size() / pageSize;
        System.out.println(order + " seed " + seed + ": " + calls + " calls for " + items.size() + " items in pages of "
                + pageSize);
        assertTrue(calls * 10 <= callsPerTenPages * pages, "calls: " + calls + " for " + pages + " pages of items");
        assertEquals(items.stream().max(Instant::compareTo).orElseThrow(), unordered.newestInstant());
    }
}
