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
    void aPageOutOfTimeOrderFailsThePollOfAnOrderedApi() {
        window.beginPage("u1");
        window.seen("2026-11-01T00:00:05Z");
        MalformedPageException refused = org.junit.jupiter.api.Assertions.assertThrows(MalformedPageException.class,
                () -> window.seen("2026-11-01T00:00:04Z"));
        assertTrue(refused.getMessage().contains("did not apply $orderby"), refused.getMessage());
    }

    /**
     * An API that answers in no order (as Defender XDR's incidents API does), played by this test: whatever the order
     * of each answer, every item of the span is seen, including more items at one instant than fit a page, and the
     * number of calls stays near the number of pages the items fill.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(longs = {1, 2, 3, 42})
    void anUnorderedApiIsReadInSlicesOfTimeAndNothingIsMissed(long seed) {
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
            // one fixed order per slice (as an API's would be), then shuffled within it: no order to rely on
            java.util.Collections.shuffle(slice, new java.util.Random(from.toEpochMilli() ^ until.toEpochMilli()));
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
        System.out.println("seed " + seed + ": " + calls + " calls for " + items.size() + " items in pages of " + pageSize);
        assertTrue(calls <= 4 * items.size() / pageSize, "calls: " + calls + " for " + items.size() + " items");
        assertEquals(items.stream().max(Instant::compareTo).orElseThrow(), unordered.newestInstant());
    }
}
