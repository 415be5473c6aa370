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
}
