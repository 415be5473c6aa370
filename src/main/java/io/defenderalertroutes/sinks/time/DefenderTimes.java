package io.defenderalertroutes.sinks.time;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Defender's times as the formats write them. One reading for CloudEvents' {@code time}, ECS's dates and OCSF's
 * timestamps, so that a time one format takes is never one another leaves out; here rather than in any one format's
 * package because the OCSF and ECS mappings may use nothing of the sinks but this (LayersTest).
 */
public final class DefenderTimes {

    private DefenderTimes() {
    }

    /**
     * The time as the API wrote it (its 1 to 7 fractional digits kept), which is RFC 3339 when it carries its offset;
     * a time without one is UTC in every Defender API, and says so here. Null for anything else: a wrong time is
     * worse than none.
     */
    public static String rfc3339(String written) {
        if (written == null || written.isBlank()) {
            return null;
        }
        try {
            OffsetDateTime.parse(written);
            return written;
        } catch (DateTimeParseException notOffset) {
            try {
                LocalDateTime.parse(written);
                return written + "Z";
            } catch (DateTimeParseException notTime) {
                return null;
            }
        }
    }

    /** The same time in epoch milliseconds, or null. */
    public static Long epochMillis(String written) {
        String time = rfc3339(written);
        return time == null ? null : OffsetDateTime.parse(time).toInstant().toEpochMilli();
    }
}
