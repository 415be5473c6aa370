package io.defenderalertroutes.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.defenderalertroutes.emulator.DefenderEmulator;

/**
 * One instance of the packaged jar, started with {@code java -jar} in a home directory of its own, configured only
 * by environment variables, trusting the emulator, with its output in {@code stdout.txt} and {@code stderr.txt}.
 */
public final class JarInstance implements AutoCloseable {

    /**
     * The resource that test classes running several instances at once hold (JUnit's {@code @ResourceLock}), so that
     * two such fleets never share this machine's two cores.
     */
    public static final String FLEET = "instance-fleet";

    private static final String JAR = System.getProperty("bundle.jar", "target/defender-alert-routes-runnable.jar");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String name;
    private final Process process;
    private final Path home;
    private final Management management;

    private JarInstance(String name, Process process, Path home, Management management) {
        this.name = name;
        this.process = process;
        this.home = home;
        this.management = management;
    }

    public static JarInstance start(String name, Path home, Map<String, String> env, String... jvmOptions)
            throws IOException {
        Files.createDirectories(home);
        int port = Management.freePort();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djavax.net.ssl.trustStore=" + DefenderEmulator.trustStoreFile(),
                "-Djavax.net.ssl.trustStorePassword=" + DefenderEmulator.TRUST_STORE_PASSWORD,
                // not CAMEL_MANAGEMENT_PORT: camel-main ignores variables ending in _PORT (Kubernetes injects those)
                "-Dcamel.management.port=" + port));
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-jar", Path.of(JAR).toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(cmd).directory(home.toFile())
                .redirectOutput(home.resolve("stdout.txt").toFile())
                .redirectError(home.resolve("stderr.txt").toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("DEFENDER_") || k.startsWith("CAMEL_"));
        builder.environment().putAll(env);
        return new JarInstance(name, builder.start(), home, new Management(port));
    }

    public String name() {
        return name;
    }

    public Process process() {
        return process;
    }

    public Management management() {
        return management;
    }

    /** What the instance wrote to standard output and standard error so far. */
    public String output() throws IOException {
        return Files.readString(home.resolve("stdout.txt")) + Files.readString(home.resolve("stderr.txt"));
    }

    /** "leader" if it leads any tenant, "standby" if it stands by for one, "down" while it does not answer. */
    public String role() {
        List<String> leading = tenantRoles("leader");
        List<String> standing = tenantRoles("standby");
        if (leading == null || standing == null) {
            return "down";
        }
        return !leading.isEmpty() ? "leader" : !standing.isEmpty() ? "standby" : "unknown";
    }

    /** The tenants whose readiness check says this instance leads them, or null while it does not answer. */
    public List<String> tenantsLed() {
        return tenantRoles("leader");
    }

    private List<String> tenantRoles(String role) {
        try {
            JsonNode health = JSON.readTree(management.get("/observe/health?exposureLevel=full&data=true").body());
            List<String> tenants = new ArrayList<>();
            for (JsonNode check : health.path("checks")) {
                JsonNode data = check.path("data");
                if (role.equals(data.path("role").asText()) && data.has("tenant")) {
                    tenants.add(data.path("tenant").asText());
                }
            }
            return tenants;
        } catch (Exception e) {
            return null;
        }
    }

    /** kill -9: no shutdown hook, no clean release of anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, as an orchestrator stops it, and waits for it to end. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(45, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
