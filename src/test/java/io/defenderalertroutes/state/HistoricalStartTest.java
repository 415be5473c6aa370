package io.defenderalertroutes.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HistoricalStartTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @ParameterizedTest
    @CsvSource({
            "30 days ago, P30D",
            "1 day ago, P1D",
            "45 minutes ago, PT45M",
            "12 hours ago, PT12H",
            "2 weeks ago, P14D",
            "30 Days Ago, P30D",
            "P30D, P30D",
            "PT6H, PT6H",
            "P2DT3H, P2DT3H"})
    void relativeFormsReachBackFromNow(String text, String span) {
        assertEquals(NOW.minus(Duration.parse(span)), HistoricalStart.parse(text).horizon(CLOCK));
    }

    @ParameterizedTest
    @CsvSource({
            "2026-11-01, 2026-11-01T00:00:00Z",
            "2026-11-01T08:30:00Z, 2026-11-01T08:30:00Z",
            "2026-11-01T08:30:00+02:00, 2026-11-01T06:30:00Z",
            "2026-11-01T08:30:00, 2026-11-01T08:30:00Z"})
    void fixedFormsStayPut(String text, String expected) {
        assertEquals(Instant.parse(expected), HistoricalStart.parse(text).horizon(CLOCK));
        assertEquals(Instant.parse(expected), HistoricalStart.parse(text).horizon(Clock.offset(CLOCK, Duration.ofDays(3))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "30 days", "thirty days ago", "P1M", "2026-13-01", "0 days ago", "-PT5M", ""})
    void unreadableValuesSayWhatIsAccepted(String text) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> HistoricalStart.parse(text));
        assertTrue(error.getMessage().contains(text.trim()) || error.getMessage().contains("past"), error.getMessage());
    }
}
