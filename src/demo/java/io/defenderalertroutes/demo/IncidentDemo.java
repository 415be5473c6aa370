package io.defenderalertroutes.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.emulator.DefenderEmulator;
import io.defenderalertroutes.emulator.IncidentJson;
import io.defenderalertroutes.schedule.PollTimers;
import org.apache.camel.main.Main;

/**
 * The demo with incidents ({@code --source=graph-incidents} or {@code defender-incidents}): 40 incidents of one to
 * four alerts over ten days; then 3 new incidents, and 2 that gain an alert. Each matching incident is an event, and
 * each of its alerts an event of its own too ({@code defender.incidents.split-alerts}).
 */
final class IncidentDemo {

    private static final List<String> SEVERITIES = List.of("Informational", "Low", "Medium", "High");
    private static final List<String> STATUSES = List.of("Active", "Active", "InProgress", "Resolved");

    private final DefenderEmulator emulator;
    private final boolean graph;
    private final Random random = new Random(7);
    private final List<List<String>> alertsOf = new ArrayList<>();
    private final List<String> severityOf = new ArrayList<>();
    private int alertIds;

    private IncidentDemo(DefenderEmulator emulator, boolean graph) {
        this.emulator = emulator;
        this.graph = graph;
    }

    /** @return whether the first poll delivered anything */
    static boolean run(Path out, String source) throws Exception {
        if (!source.equals("graph-incidents") && !source.equals("defender-incidents")) {
            throw new IllegalArgumentException("--source: defender-api, graph-incidents or defender-incidents, was " + source);
        }
        int seeded = 40;
        try (DefenderEmulator emulator = DefenderEmulator.start(0)) {
            System.out.println("  emulator started at " + emulator.baseUrl() + "; seeding " + seeded + " incidents ("
                    + source + ")");
            IncidentDemo demo = new IncidentDemo(emulator, source.equals("graph-incidents"));
            Instant now = Instant.now();
            for (int i = 0; i < seeded; i++) {
                demo.newIncident(now.minus(Duration.ofSeconds(demo.random.nextInt(10 * 24 * 3600))));
            }
            Main main = Demo.bundle(emulator, out, UUID.randomUUID().toString(), Map.of("defender.source", source,
                    "defender.incidents.split-alerts", "true", "defender.poll.page-size", "10"));
            long incidentsFirst;
            long alertsFirst;
            int firstCalls;
            String summary;
            try {
                System.out.println("  bundle started; poll 1 (catch-up over 10 days)...");
                PollTimers.pollNow(main.getCamelContext(), Demo.TENANT, Duration.ofMinutes(2));
                firstCalls = demo.calls();
                incidentsFirst = demo.events(out, true);
                alertsFirst = demo.events(out, false);
                // changes stamped just before poll 2 starts: a poll of Defender XDR reads up to its own start
                Instant later = Instant.now().minusMillis(50);
                for (int i = 0; i < 3; i++) {
                    demo.newIncident(later.plusMillis(i));
                }
                // two incidents that were delivered gain an alert each
                List<Integer> delivered = demo.matching();
                demo.gainAlert(delivered.get(0), later.plusMillis(10));
                demo.gainAlert(delivered.get(1), later.plusMillis(11));
                System.out.println("  3 new incidents and 2 that gained an alert; poll 2...");
                PollTimers.pollNow(main.getCamelContext(), Demo.TENANT, Duration.ofMinutes(2));
                long updates = Demo.files(out).stream().filter(f -> Demo.read(f).contains("\"change\":\"update\"")).count();
                summary = String.join(System.lineSeparator(), "",
                        "defender-alert-routes demo (" + source + "): summary",
                        "  emulator           " + emulator.baseUrl() + ", " + seeded + " incidents of 1 to 4 alerts "
                                + "over the past 10 days, then 3 new and 2 that gained an alert",
                        "  trigger            severity Medium or High, updates fire, each incident's alerts split off too",
                        "  poll 1 (catch-up)  " + firstCalls + " API calls (page size 10), " + incidentsFirst
                                + " incidents and " + alertsFirst + " of their alerts delivered",
                        "  poll 2             " + (demo.calls() - firstCalls) + " API call(s), "
                                + (demo.events(out, true) - incidentsFirst) + " incident(s) (" + updates + " of them updates) and "
                                + (demo.events(out, false) - alertsFirst) + " alerts delivered",
                        "  Defender API       " + emulator.apiRequests(Demo.TENANT_ID) + " calls",
                        "  event files        " + Demo.shown(out.resolve("alerts").resolve(Demo.TENANT)) + " ("
                                + Demo.files(out).size() + " files)",
                        "");
            } finally {
                main.stop();
            }
            System.out.println(summary);
            return incidentsFirst > 0;
        }
    }

    private void newIncident(Instant at) {
        int alerts = 1 + random.nextInt(4);
        List<String> texts = new ArrayList<>();
        for (int a = 0; a < alerts; a++) {
            texts.add(alert(at));
        }
        alertsOf.add(texts);
        severityOf.add(SEVERITIES.get(random.nextInt(SEVERITIES.size())));
        put(alertsOf.size() - 1, at, STATUSES.get(random.nextInt(STATUSES.size())));
    }

    /** The seeded incidents the trigger's severity (Medium or High) lets through. */
    private List<Integer> matching() {
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < severityOf.size(); i++) {
            if (severityOf.get(i).equals("Medium") || severityOf.get(i).equals("High")) {
                indexes.add(i);
            }
        }
        return indexes;
    }

    private void gainAlert(int index, Instant at) {
        alertsOf.get(index).add(alert(at));
        put(index, at, "Active");
    }

    private String alert(Instant at) {
        String id = "da-demo-" + (++alertIds);
        String category = AlertJson.CATEGORIES.get(random.nextInt(AlertJson.CATEGORIES.size()));
        String time = AlertJson.timestamp(at);
        return graph ? AlertJson.graphAlert(id, time, "new", "high", category, "microsoftDefenderForEndpoint")
                : IncidentJson.defenderIncidentAlert(id, time, "New", "High", category);
    }

    private void put(int index, Instant at, String status) {
        long id = 1000 + index;
        String time = AlertJson.timestamp(at);
        String severity = severityOf.get(index);
        if (graph) {
            String word = status.substring(0, 1).toLowerCase(Locale.ROOT) + status.substring(1);
            emulator.putIncident(Demo.TENANT_ID, IncidentJson.graphIncident(Long.toString(id), time, word,
                    severity.toLowerCase(Locale.ROOT), alertsOf.get(index)));
        } else {
            emulator.putDefenderIncident(Demo.TENANT_ID, IncidentJson.defenderIncident(id, time, status, severity,
                    alertsOf.get(index)));
        }
    }

    private int calls() {
        return graph ? emulator.graphRequests(Demo.TENANT_ID) : emulator.defenderIncidentRequests(Demo.TENANT_ID);
    }

    /** Delivered files of incidents (they carry an alert count), or of their alerts. */
    private long events(Path out, boolean incidents) {
        return Demo.files(out).stream().filter(f -> Demo.read(f).contains("\"alertCount\"") == incidents).count();
    }
}
