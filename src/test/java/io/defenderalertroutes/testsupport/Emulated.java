package io.defenderalertroutes.testsupport;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.defenderalertroutes.emulator.AlertJson;

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

    /**
     * Puts {@code count} New, High, Malware alerts for the test tenant, {@code prefix}00, {@code prefix}01..., the first
     * updated at {@code first} and each next one {@code step} later; returns their ids in order.
     */
    public static List<String> seed(DefenderEmulator emulator, String prefix, int count, Instant first, Duration step) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = String.format("%s%0" + Math.max(2, String.valueOf(count - 1).length()) + "d", prefix, i);
            emulator.putAlert(Bundle.TENANT_ID, AlertJson.alert(id, AlertJson.timestamp(first.plus(step.multipliedBy(i))),
                    "New", "High", "Malware"));
            ids.add(id);
        }
        return ids;
    }

    /** The environment a packaged jar needs for the test tenant on this emulator, polling at once; add to it. */
    public static Map<String, String> jarEnvironment(DefenderEmulator emulator, String tenantName) {
        Map<String, String> env = new HashMap<>();
        env.put("DEFENDER_TENANT_ID", Bundle.TENANT_ID);
        env.put("DEFENDER_CLIENT_ID", Bundle.CLIENT_ID);
        env.put("DEFENDER_CLIENT_SECRET", Bundle.CLIENT_SECRET);
        env.put("DEFENDER_AUTHORITY_URL", emulator.baseUrl());
        env.put("DEFENDER_API_URL", emulator.baseUrl());
        env.put("DEFENDER_POLL_ON_START", "true");
        env.put("DEFENDER_TENANT_NAME", tenantName);
        return env;
    }
}
