package io.defenderalertroutes.testsupport;

import java.time.Duration;
import java.time.Instant;

import io.defenderalertroutes.defender.Timestamps;
import io.defenderalertroutes.emulator.DefenderEmulator;

/** The emulator set up for the test tenant of {@link Bundle}, and alert times relative to now. */
public final class Emulated {

    private Emulated() {
    }

    /** A started emulator that knows the test tenant's app registration. */
    public static DefenderEmulator tenant() {
        DefenderEmulator emulator = DefenderEmulator.start(0);
        emulator.registerClient(Bundle.TENANT_ID, Bundle.CLIENT_ID, Bundle.CLIENT_SECRET);
        return emulator;
    }

    /** A lastUpdateTime this long ago, with Defender's 7 fractional digits. */
    public static String ago(Duration age) {
        return Timestamps.format(Instant.now().minus(age));
    }
}
