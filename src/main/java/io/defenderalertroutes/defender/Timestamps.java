package io.defenderalertroutes.defender;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Defender writes UTC timestamps with 1 to 7 fractional digits. Compare them as instants (their text does not
 * sort), and write them back with all 7 digits: dropping digits would make the last alert match again or be lost.
 */
public final class Timestamps {

    private static final DateTimeFormatter ODATA = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    public static Instant parse(String text) {
        return Instant.parse(text);
    }

    public static String format(Instant instant) {
        return ODATA.format(instant);
    }
}
