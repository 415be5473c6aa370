package io.defenderalertroutes.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.defenderalertroutes.app.Application;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.emulator.DefenderEmulator;
import io.defenderalertroutes.schedule.PollTimers;
import org.apache.camel.main.Main;

/**
 * The whole pipeline on one machine with no Azure tenant: the project's emulator stands in for Microsoft, the
 * bundle runs with its production routes and properties, and alerts land as files in {@code demo-output/}.
 * Two polls: the first catches up on ten days of alerts, the second picks up what changed in between. With
 * {@code --source=graph-incidents} or {@code --source=defender-incidents} the same is done with incidents, each alert
 * of a delivered incident going out on its own too ({@link IncidentDemo}).
 */
public final class Demo {

    static final String TENANT_ID = "4d2f7a1c-9b3e-4c5d-8a6f-1e2d3c4b5a69";
    private static final String CLIENT_ID = "6b1e9c3d-2a4f-4e8b-9c7d-5f0a1b2c3d4e";
    static final String TENANT = "demo-tenant";
    private static final Pattern SEVERITY = Pattern.compile("\"severity\"\\s*:\\s*\"(\\w+)\"");
    private static final Pattern CHANGE = Pattern.compile("\"change\":\"(\\w+)\"");

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        String source = "defender-api";
        String outArg = "demo-output";
        for (String arg : args) {
            if (arg.startsWith("--source=")) {
                source = arg.substring("--source=".length());
            } else {
                outArg = arg;
            }
        }
        Path out = Path.of(outArg).toAbsolutePath();
        deleteTree(out);
        Files.createDirectories(out);
        DemoLog.toFile(out.resolve("demo.log"));
        System.out.println("defender-alert-routes demo (its log: " + shown(out.resolve("demo.log")) + ")");
        if (!source.equals("defender-api")) {
            System.exit(IncidentDemo.run(out, source) ? 0 : 1);
        }
        int seeded = 200;
        String secret = UUID.randomUUID().toString();

        try (DefenderEmulator emulator = DefenderEmulator.start(0)) {
            System.out.println("  emulator started at " + emulator.baseUrl() + "; seeding " + seeded + " alerts");
            Random random = new Random(42);
            Instant now = Instant.now();
            Instant shared = now.minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS);
            for (int i = 0; i < seeded; i++) {
                // a few alerts share one timestamp, as real bursts do, to cross a page boundary
                Instant updated = i % 40 == 0 ? shared : now.minus(Duration.ofSeconds(random.nextInt(10 * 24 * 3600)));
                emulator.putAlert(TENANT_ID, AlertJson.randomAlert(random, updated));
            }
            Main main = bundle(emulator, out, secret, Map.of("defender.poll.page-size", "50"));
            System.out.println("  bundle started; poll 1 (catch-up over 10 days)...");
            String summary;
            long firstFiles;
            try {
                PollTimers.pollNow(main.getCamelContext(), TENANT, Duration.ofMinutes(2));
                int firstCalls = emulator.apiRequests(TENANT_ID);
                firstFiles = files(out).size();

                Instant later = Instant.now();
                int updated = 0;
                for (int i = 0; i < 10; i++) {
                    emulator.putAlert(TENANT_ID, AlertJson.randomAlert(random, later.plusMillis(i)));
                }
                for (Path file : files(out).subList(0, Math.min(5, (int) firstFiles))) {
                    String id = alertIdOf(file);
                    emulator.putAlert(TENANT_ID, AlertJson.alert(id, AlertJson.timestamp(later.plusMillis(20 + updated)),
                            "Resolved", severityOf(file), "Malware"));
                    updated++;
                }
                System.out.println("  10 new and 5 updated alerts in the emulator; poll 2...");
                PollTimers.pollNow(main.getCamelContext(), TENANT, Duration.ofMinutes(2));

                List<Path> all = files(out);
                long updates = all.stream().filter(f -> "update".equals(match(CHANGE, read(f)))).count();
                String checkpoint = read(out.resolve("state").resolve(TENANT + ".checkpoint")).trim();
                summary = summary(out, emulator, seeded, firstCalls, firstFiles, all.size() - firstFiles, updates,
                        checkpoint);
            } finally {
                main.stop();
            }
            System.out.println(summary);
            if (firstFiles == 0) {
                System.exit(1);
            }
        }
    }

    /**
     * The bundle, started against the emulator with the demo's tenant: severity Medium or High, updates fire, alerts
     * to files under {@code out}; {@code extra} adds or overrides settings.
     */
    static Main bundle(DefenderEmulator emulator, Path out, String secret, Map<String, String> extra) throws Exception {
        // Outbound HTTPS trusts the emulator's certificate through the JVM's standard settings.
        System.setProperty("javax.net.ssl.trustStore", DefenderEmulator.trustStoreFile().toString());
        System.setProperty("javax.net.ssl.trustStorePassword", DefenderEmulator.TRUST_STORE_PASSWORD);
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        emulator.registerClient(TENANT_ID, CLIENT_ID, secret);
        Main main = Application.newMain();
        Map.of("defender.tenant-id", TENANT_ID,
                "defender.client-id", CLIENT_ID,
                "defender.client-secret", secret,
                "defender.tenant-name", TENANT,
                "defender.authority-url", emulator.baseUrl(),
                "defender.api-url", emulator.baseUrl(),
                "defender.trigger.severity", "Medium,High",
                "defender.trigger.updates", "true").forEach(main::addOverrideProperty);
        main.addOverrideProperty("defender.state-dir", out.resolve("state").toString());
        main.addOverrideProperty("defender.sinks", "file");
        // the demo reports through its summary; a free port keeps it clear of a bundle running beside it
        main.addOverrideProperty("camel.management.port", "0");
        main.addOverrideProperty("defender.sink.file.dir", out.resolve("alerts").toString());
        extra.forEach(main::addOverrideProperty);
        main.start();
        return main;
    }

    private static String summary(Path out, DefenderEmulator emulator, int seeded, int firstCalls, long firstFiles,
            long secondFiles, long updates, String checkpoint) {
        return String.join(System.lineSeparator(), "",
                "defender-alert-routes demo: summary",
                "  emulator           " + emulator.baseUrl() + ", " + seeded
                        + " alerts over the past 10 days, then 10 new and 5 updated",
                "  trigger            severity Medium or High, any status and category, updates fire",
                "  poll 1 (catch-up)  " + firstCalls + " API calls (page size 50), " + firstFiles + " alerts delivered",
                "  poll 2             " + (emulator.apiRequests(TENANT_ID) - firstCalls) + " API call(s), "
                        + secondFiles + " alerts delivered (" + updates + " of them updates)",
                "  token requests     " + emulator.tokenRequests(TENANT_ID) + " for both polls",
                "  checkpoint         " + checkpoint,
                "  alert files        " + shown(out.resolve("alerts").resolve(TENANT)) + " (" + (firstFiles + secondFiles)
                        + " files)",
                "");
    }

    /** A path as printed: relative to the working directory when it is under it, so no machine's layout shows. */
    static String shown(Path path) {
        Path here = Path.of("").toAbsolutePath();
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(here) ? here.relativize(absolute).toString() : absolute.toString();
    }

    static List<Path> files(Path out) {
        Path dir = out.resolve("alerts").resolve(TENANT);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String alertIdOf(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.lastIndexOf('_'));
    }

    private static String severityOf(Path file) {
        String severity = match(SEVERITY, read(file));
        return severity == null ? "High" : severity;
    }

    private static String match(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
