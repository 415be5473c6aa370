package io.defenderalertroutes.testsupport;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.emulator.DefenderEmulator;

/**
 * Many tenants of the emulator, for tests that run packaged instances against all of them: their names and IDs, the
 * environment that lists them with the emulator's URLs and a playbook handler as the sink, and the alerts served.
 */
public final class TenantFleet {

    private final String prefix;
    private final int idBase;
    private final int size;
    /** tenant/alert of every alert served, for comparing with what the handler got. */
    private final Map<String, String> served = new TreeMap<>();

    public TenantFleet(String prefix, int idBase, int size, DefenderEmulator emulator) {
        this.prefix = prefix;
        this.idBase = idBase;
        this.size = size;
        for (int i = 0; i < size; i++) {
            emulator.registerClient(id(i), Bundle.CLIENT_ID, Bundle.CLIENT_SECRET);
        }
    }

    public int size() {
        return size;
    }

    public String name(int i) {
        return String.format("%s%02d", prefix, i);
    }

    public String id(int i) {
        return String.format("%08x-0000-4000-8000-%012x", idBase + i, i);
    }

    public Map<String, String> served() {
        return served;
    }

    public void putAlert(DefenderEmulator emulator, int tenant, String alertId, Instant at) {
        emulator.putAlert(id(tenant), AlertJson.alert(alertId, AlertJson.timestamp(at), "New", "High", "Malware"));
        served.put(name(tenant) + "/" + alertId, alertId);
    }

    /** Every tenant's dedup keys in one topic, the emulator's URLs, one-minute polls and the handler as the sink. */
    public Map<String, String> environment(DefenderEmulator emulator, String dedupTopic, String handlerUrl,
            int pageSize) {
        Map<String, String> env = new HashMap<>();
        env.put("DEFENDER_TENANTS", IntStream.range(0, size).mapToObj(this::name).collect(Collectors.joining(",")));
        for (int i = 0; i < size; i++) {
            env.put("DEFENDER_TENANT_" + name(i).toUpperCase() + "_TENANT_ID", id(i));
        }
        env.put("DEFENDER_CLIENT_ID", Bundle.CLIENT_ID);
        env.put("DEFENDER_CLIENT_SECRET", Bundle.CLIENT_SECRET);
        env.put("DEFENDER_AUTHORITY_URL", emulator.baseUrl());
        env.put("DEFENDER_API_URL", emulator.baseUrl());
        env.put("DEFENDER_POLL_INTERVAL", "PT1M");
        env.put("DEFENDER_POLL_PAGE_SIZE", String.valueOf(pageSize));
        env.put("DEFENDER_SINKS", "http");
        env.put("DEFENDER_SINK_HTTP_URLS", handlerUrl);
        env.put("DEFENDER_DEDUP", "kafka");
        env.put("DEFENDER_DEDUP_KAFKA_TOPIC", dedupTopic);
        env.put("CAMEL_COMPONENT_KAFKA_BROKERS", KafkaBroker.bootstrapServers());
        return env;
    }

    /** Deliveries per tenant/alert, from the handler's requests. */
    public static Map<String, Integer> delivered(PlaybookHandler handler) {
        Map<String, Integer> seen = new TreeMap<>();
        for (PlaybookHandler.Request r : handler.requests()) {
            seen.merge(r.header("Defender-Tenant") + "/" + r.header("Defender-Alert-Id"), 1, Integer::sum);
        }
        return seen;
    }
}
