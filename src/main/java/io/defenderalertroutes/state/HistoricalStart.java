package io.defenderalertroutes.state;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How far back a poll may reach ("Max historical poll start"). Either relative to now ({@code 30 days ago},
 * {@code P30D}, {@code PT12H}) or a fixed point ({@code 2026-01-01}, {@code 2026-01-01T00:00:00Z}).
 */
public final class HistoricalStart {

    private static final Pattern AGO = Pattern.compile(
            "(\\d+)\\s*(minute|minutes|min|mins|hour|hours|day|days|week|weeks)\\s+ago");

    private final Function<Instant, Instant> fromNow;
    private final String text;

    private HistoricalStart(String text, Function<Instant, Instant> fromNow) {
        this.text = text;
        this.fromNow = fromNow;
    }

    /** @throws IllegalArgumentException with a message saying which forms are accepted */
    public static HistoricalStart parse(String value) {
        String text = value.trim();
        String lower = text.toLowerCase(Locale.ROOT);
        Matcher ago = AGO.matcher(lower);
        if (ago.matches()) {
            long amount = Long.parseLong(ago.group(1));
            Duration span = switch (ago.group(2).charAt(0)) {
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> Duration.ofDays(7 * amount);
            };
            return relative(text, span);
        }
        if (lower.startsWith("p")) {
            return relative(text, isoSpan(text));
        }
        Instant fixed = fixedPoint(text);
        return new HistoricalStart(text, now -> fixed);
    }

    private static HistoricalStart relative(String text, Duration span) {
        if (span.isZero() || span.isNegative()) {
            throw new IllegalArgumentException("must reach into the past, was '" + text + "'");
        }
        return new HistoricalStart(text, now -> now.minus(span));
    }

    private static Duration isoSpan(String text) {
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException notATimeSpan) {
            try {
                Period period = Period.parse(text);
                if (period.getYears() != 0 || period.getMonths() != 0) {
                    throw new IllegalArgumentException("use days or weeks rather than months or years, was '" + text + "'");
                }
                return Duration.ofDays(period.getDays());
            } catch (DateTimeParseException e) {
                throw unparseable(text);
            }
        }
    }

    private static Instant fixedPoint(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notInstant) {
            // fall through to the looser forms
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notOffset) {
            // fall through
        }
        try {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException notLocal) {
            // fall through
        }
        try {
            return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw unparseable(text);
        }
    }

    private static IllegalArgumentException unparseable(String text) {
        return new IllegalArgumentException("cannot read '" + text + "'; write 'N minutes|hours|days|weeks ago', "
                + "an ISO-8601 date or instant (2026-01-31, 2026-01-31T08:00:00Z) or an ISO duration (P30D, PT12H)");
    }

    /** The oldest instant a poll may ask for, now. */
    public Instant horizon(Clock clock) {
        return fromNow.apply(clock.instant()).truncatedTo(ChronoUnit.MICROS);
    }

    @Override
    public String toString() {
        return text;
    }
}
