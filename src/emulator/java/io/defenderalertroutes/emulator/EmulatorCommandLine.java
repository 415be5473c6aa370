package io.defenderalertroutes.emulator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the emulator on its own until the process is stopped. The client secret may come from the environment
 * ({@code EMULATOR_CLIENT_SECRET}) so that it need not appear in a process list; it is never logged.
 */
final class EmulatorCommandLine {

    private static final Logger LOG = LoggerFactory.getLogger(EmulatorCommandLine.class);
    private static final String SECRET_VARIABLE = "EMULATOR_CLIENT_SECRET";
    private static final List<String> OPTIONS = List.of("--port", "--bind", "--tenant", "--client-id",
            "--client-secret", "--seed", "--seed-days", "--new-every");
    private static final String USAGE = "Usage: DefenderEmulator [--port 8443] [--bind 127.0.0.1] "
            + "[--tenant T --client-id C --client-secret S] [--seed N] [--seed-days 7] [--new-every SECONDS]\n"
            + "  The secret may be given in " + SECRET_VARIABLE + " instead of --client-secret.";

    private EmulatorCommandLine() {
    }

    static void run(String[] args) throws InterruptedException {
        Map<String, String> options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        int port = Integer.parseInt(options.getOrDefault("--port", "8443"));
        String bind = options.getOrDefault("--bind", "127.0.0.1");
        String tenant = options.get("--tenant");
        String clientId = options.get("--client-id");
        String secret = options.getOrDefault("--client-secret", System.getenv(SECRET_VARIABLE));
        int seed = Integer.parseInt(options.getOrDefault("--seed", "0"));
        int seedDays = Integer.parseInt(options.getOrDefault("--seed-days", "7"));
        int newEvery = Integer.parseInt(options.getOrDefault("--new-every", "0"));

        DefenderEmulator emulator = DefenderEmulator.start(bind, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }, "defender-emulator-shutdown"));

        String base = emulator.baseUrl();
        LOG.info("Defender emulator listening on {} (bound to {})", base, bind);
        LOG.info("Entra ID authority: {}/  (token endpoint {}/<tenant>/oauth2/v2.0/token)", base, base);
        LOG.info("MDE API base URL: {}  (alerts at {}/api/alerts)", base, base);
        LOG.info("Graph base URL: {}  (alerts at {}{}, tokens for scope {})", base, base,
                DefenderEmulator.GRAPH_ALERTS_PATH, DefenderEmulator.GRAPH_SCOPE);
        LOG.info("Trust store for clients: {} (password '{}')", DefenderEmulator.trustStoreFile(),
                DefenderEmulator.TRUST_STORE_PASSWORD);
        if (tenant != null && clientId != null && secret != null) {
            emulator.registerClient(tenant, clientId, secret);
            LOG.info("Client '{}' registered in tenant '{}' (secret not shown)", clientId, tenant);
            if (seed > 0) {
                seed(emulator, tenant, seed, seedDays);
                LOG.info("Seeded {} synthetic alerts spread over the past {} days", seed, seedDays);
            }
            if (newEvery > 0) {
                keepRaising(emulator, tenant, newEvery);
                LOG.info("A new synthetic alert every {} s", newEvery);
            }
            LOG.info("Admin: POST {}/emulator/tenants/{}/alerts, GET {}/emulator/tenants/{}/stats",
                    base, tenant, base, tenant);
        } else if (tenant != null || clientId != null || secret != null) {
            LOG.warn("No client registered: --tenant, --client-id and a client secret are needed together");
        } else {
            LOG.warn("No client registered: every token request will fail (give --tenant, --client-id, "
                    + "--client-secret)");
        }
        stopped.await();
    }

    private static void seed(DefenderEmulator emulator, String tenant, int count, int days) {
        Random random = new Random(20210126L);
        Instant now = Instant.now();
        long spanMillis = Duration.ofDays(days).toMillis();
        for (int i = 0; i < count; i++) {
            Instant lastUpdate = now.minusMillis((long) (random.nextDouble() * spanMillis))
                    .minusNanos(random.nextInt(1_000_000) / 100 * 100);
            emulator.putAlert(tenant, AlertJson.randomAlert(random, lastUpdate));
        }
    }

    /** A live tenant for demos: a new alert now and then, as a real one would raise them. */
    private static void keepRaising(DefenderEmulator emulator, String tenant, int everySeconds) {
        Random random = new Random();
        java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor(r -> {
                    Thread thread = new Thread(r, "defender-emulator-new-alerts");
                    thread.setDaemon(true);
                    return thread;
                });
        timer.scheduleAtFixedRate(() -> emulator.putAlert(tenant, AlertJson.randomAlert(random, Instant.now())),
                everySeconds, everySeconds, java.util.concurrent.TimeUnit.SECONDS);
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--help") || name.equals("-h")) {
                throw new IllegalArgumentException("Runs a local emulator of Entra ID and the MDE alerts API.");
            }
            if (!OPTIONS.contains(name)) {
                throw new IllegalArgumentException("Unknown option " + name);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("Option " + name + " needs a value");
            }
            options.put(name, args[++i]);
        }
        for (String numeric : List.of("--port", "--seed", "--seed-days", "--new-every")) {
            if (options.containsKey(numeric) && !options.get(numeric).matches("\\d{1,9}")) {
                throw new IllegalArgumentException("Option " + numeric + " needs a whole number");
            }
        }
        return options;
    }
}
