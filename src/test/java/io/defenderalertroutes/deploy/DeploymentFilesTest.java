package io.defenderalertroutes.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import io.defenderalertroutes.config.TenantDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The deployment files, checked as far as a machine without a Docker engine can: the compose file by the
 * docker-compose client's own validation (Debian's docker-compose, which {@code .ci/run} installs), and the
 * promises docs/operations.md and docs/high-availability.md make about them read off the files themselves.
 */
class DeploymentFilesTest {

    private static final Path COMPOSE = Path.of("docker-compose.yml");
    private static final Path DOCKERFILE = Path.of("src/main/docker/Dockerfile");
    private static final Path EMULATOR_DOCKERFILE = Path.of("src/emulator/docker/Dockerfile");

    @Test
    void theComposeFileIsValidForTheComposeClient() throws Exception {
        boolean available = onPath("docker-compose");
        if (!available && System.getenv("CI") == null) {
            assumeTrue(false, "docker-compose is not installed here (.ci/run installs it)");
        }
        assertTrue(available, "docker-compose is not installed; .ci/run installs Debian's docker-compose");
        Process config = new ProcessBuilder("docker-compose", "-f", COMPOSE.toString(), "config", "-q")
                .redirectErrorStream(true).start();
        assertTrue(config.waitFor(60, TimeUnit.SECONDS));
        String output = new String(config.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, config.exitValue(), output);
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeRunsKafkaTheEmulatorAndTwoInstancesAsTheReadmeSays() throws Exception {
        Map<String, Object> compose = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(COMPOSE));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");

        Map<String, Object> kafka = services.get("kafka");
        assertTrue(kafka.get("image").toString().matches("apache/kafka:\\d+\\.\\d+\\.\\d+"), "Kafka's tag is pinned");
        assertTrue(kafka.containsKey("healthcheck"));
        String listeners = ((Map<String, Object>) kafka.get("environment")).get("KAFKA_ADVERTISED_LISTENERS").toString();
        assertTrue(listeners.contains("kafka:29092") && listeners.contains("localhost:9092"), listeners);

        assertTrue(services.containsKey("defender-emulator"), "the emulator stands in for Microsoft");

        Map<String, Object> bundle = services.get("defender-alert-routes");
        Map<String, Object> env = (Map<String, Object>) bundle.get("environment");
        assertEquals("file", env.get("DEFENDER_HA"));
        assertEquals("kafka", env.get("DEFENDER_DEDUP"));
        assertEquals(2, ((Map<String, Object>) bundle.get("deploy")).get("replicas"));
        assertTrue(((List<String>) bundle.get("volumes")).stream().anyMatch(v -> v.startsWith("defender-state:")));
        assertEquals("kafka:29092", env.get("CAMEL_COMPONENT_KAFKA_BROKERS"));
        // a graceful stop needs longer than Camel's shutdown timeout
        Duration grace = Duration.ofSeconds(Long.parseLong(bundle.get("stop_grace_period").toString().replace("s", "")));
        assertTrue(grace.compareTo(Duration.ofSeconds(shutdownTimeoutSeconds())) > 0, "stop grace " + grace);
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeMountsADirectoryOfTenantFilesReadOnlyAndReadsItOnlyWhenAsked() throws Exception {
        Map<String, Object> compose = yaml(COMPOSE);
        Map<String, Object> bundle = at(compose, "services", "defender-alert-routes");
        // unset by default: `docker compose up` polls the one demo tenant of the variables, as before
        assertEquals("${DEFENDER_TENANTS_DIR:-}", at(bundle, "environment", "DEFENDER_TENANTS_DIR"));
        List<String> mounts = ((List<String>) bundle.get("volumes")).stream()
                .filter(v -> v.startsWith("${HOST_TENANTS_DIR:-")).toList();
        assertEquals(1, mounts.size(), bundle.get("volumes").toString());
        java.util.regex.Matcher mount = java.util.regex.Pattern.compile("\\$\\{HOST_TENANTS_DIR:-([^}]+)}:([^:]+):ro")
                .matcher(mounts.get(0));
        assertTrue(mount.matches(), "a read-only mount of the directory: " + mounts.get(0));
        String inContainer = mount.group(2);
        assertTrue(Files.readAllLines(Path.of(".env.example")).contains("#DEFENDER_TENANTS_DIR=" + inContainer),
                ".env.example names the mount's path");

        // the example directory (under src/: the top level stays as it is) is the emulator's tenant under the demo's name
        List<TenantDirectory.TenantFile> example = TenantDirectory.read(Path.of(mount.group(1)));
        assertEquals(1, example.size(), example.toString());
        TenantDirectory.TenantFile demo = example.get(0);
        assertTrue(at(bundle, "environment", "DEFENDER_TENANT_NAME").toString().endsWith(":-" + demo.name() + "}"));
        List<String> emulator = at(compose, "services", "defender-emulator", "command");
        assertEquals(emulator.get(emulator.indexOf("--tenant") + 1), demo.keys().get("tenant-id"));
        assertEquals(emulator.get(emulator.indexOf("--client-id") + 1), demo.keys().get("client-id"));
        String properties = Files.readString(Path.of("application.properties"));
        for (String key : demo.keys().keySet()) {
            assertTrue(properties.lines().anyMatch(l -> l.startsWith("defender." + key + "=")
                    || l.startsWith("#defender." + key + "=")), key);
        }
    }

    @Test
    void theImagesRunAsANonRootUserOnAJre() throws Exception {
        for (Path dockerfile : List.of(DOCKERFILE, EMULATOR_DOCKERFILE)) {
            List<String> lines = Files.readAllLines(dockerfile);
            String runtimeBase = lines.stream().filter(l -> l.startsWith("FROM ")).reduce((a, b) -> b).orElseThrow();
            assertTrue(runtimeBase.contains("-jre"), dockerfile + ": " + runtimeBase);
            String user = lines.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElseThrow();
            assertFalse(user.contains("root") || user.equals("USER 0"), dockerfile + ": " + user);
        }
    }

    private static final Path KUBERNETES = Path.of("src/main/kubernetes/base/defender-alert-routes.yaml");

    @Test
    @SuppressWarnings("unchecked")
    void theKubernetesManifestsKeepTheirPromises() throws Exception {
        Map<String, Map<String, Object>> byKind = new java.util.HashMap<>();
        for (Object document : new Load(LoadSettings.builder().build()).loadAllFromString(Files.readString(KUBERNETES))) {
            Map<String, Object> object = (Map<String, Object>) document;
            byKind.put(object.get("kind").toString(), object);
        }
        assertEquals(java.util.Set.of("ConfigMap", "Secret", "Deployment", "PodDisruptionBudget"), byKind.keySet());
        Map<String, Object> config = (Map<String, Object>) byKind.get("ConfigMap").get("data");
        Map<String, Object> secret = (Map<String, Object>) byKind.get("Secret").get("stringData");
        assertEquals("kafka", config.get("DEFENDER_HA"), "replicas share the tenants through Kafka, no shared volume");
        assertEquals("kafka", config.get("DEFENDER_DEDUP"), "defender.ha=kafka needs the dedup keys in Kafka");
        for (String key : config.keySet()) {
            assertFalse(key.matches(".*(SECRET|TOKEN|PASSWORD).*"), key + " is a secret: it belongs in the Secret");
        }
        assertEquals(java.util.Set.of("DEFENDER_CLIENT_SECRET", "DEFENDER_MANAGEMENT_TOKEN"), secret.keySet());
        secret.values().forEach(v -> assertEquals("", v, "no secret value is committed"));
        // every variable is a key the bundle reads (application.properties names them all, set or commented)
        String properties = Files.readString(Path.of("application.properties"));
        for (String key : java.util.stream.Stream.concat(config.keySet().stream(), secret.keySet().stream()).toList()) {
            String property = key.toLowerCase(java.util.Locale.ROOT).replace('_', '.');
            boolean known = properties.lines().map(l -> l.replaceFirst("^#", "").split("=", 2)[0].trim())
                    .anyMatch(k -> k.replace('-', '.').equals(property));
            assertTrue(known, key + " names no key of application.properties");
        }

        Map<String, Object> deployment = byKind.get("Deployment");
        Map<String, Object> spec = (Map<String, Object>) deployment.get("spec");
        assertTrue(((Number) spec.get("replicas")).intValue() >= 2, "several replicas");
        Map<String, Object> template = (Map<String, Object>) spec.get("template");
        Map<String, Object> podLabels = (Map<String, Object>) ((Map<String, Object>) template.get("metadata")).get("labels");
        Map<String, Object> podSpec = (Map<String, Object>) template.get("spec");
        assertTrue(((Number) podSpec.get("terminationGracePeriodSeconds")).intValue()
                > Integer.parseInt(property(properties, "camel.main.shutdown-timeout")), "a poll in flight may end");
        Map<String, Object> container = ((List<Map<String, Object>>) podSpec.get("containers")).get(0);
        List<Map<String, Object>> envFrom = (List<Map<String, Object>>) container.get("envFrom");
        assertEquals("defender-alert-routes", ((Map<String, Object>) envFrom.get(0).get("configMapRef")).get("name"));
        assertEquals("defender-alert-routes", ((Map<String, Object>) envFrom.get(1).get("secretRef")).get("name"));
        Map<String, Object> port = ((List<Map<String, Object>>) container.get("ports")).get(0);
        assertEquals(Integer.parseInt(property(properties, "camel.management.port")), ((Number) port.get("containerPort")).intValue());
        Map<String, Object> live = (Map<String, Object>) ((Map<String, Object>) container.get("livenessProbe")).get("httpGet");
        Map<String, Object> ready = (Map<String, Object>) ((Map<String, Object>) container.get("readinessProbe")).get("httpGet");
        assertEquals("/observe/health/live", live.get("path"));
        assertEquals("/observe/health/ready", ready.get("path"));
        assertEquals(port.get("name"), live.get("port"));
        assertEquals(port.get("name"), ready.get("port"));

        Map<String, Object> budget = (Map<String, Object>) byKind.get("PodDisruptionBudget").get("spec");
        assertEquals(podLabels, ((Map<String, Object>) budget.get("selector")).get("matchLabels"), "the budget covers the pods");
        assertTrue(((Number) budget.get("maxUnavailable")).intValue() < ((Number) spec.get("replicas")).intValue());
    }

    private static String property(String properties, String key) {
        return properties.lines().filter(l -> l.startsWith(key + "=")).findFirst().orElseThrow().split("=", 2)[1].trim();
    }

    @Test
    void theBundleImageHoldsOnlyTheRunnableBundle() throws Exception {
        List<String> copies = Files.readAllLines(DOCKERFILE).stream().filter(l -> l.startsWith("COPY --from")).toList();
        assertEquals(List.of("COPY --from=build /build/target/defender-alert-routes-runnable.jar /app/defender-alert-routes.jar"),
                copies);
        assertTrue(Files.readAllLines(DOCKERFILE).stream().noneMatch(l -> l.startsWith("COPY") && l.contains("emulator")));
    }

    @Test
    void noSecretIsCommittedWithTheDeployment() throws Exception {
        List<String> example = Files.readAllLines(Path.of(".env.example"));
        assertTrue(example.contains("DEFENDER_CLIENT_SECRET="), "the example leaves the secret empty");
        assertFalse(Files.exists(Path.of(".env")) && tracked(".env"), ".env must never be committed");
    }

    private static long shutdownTimeoutSeconds() throws Exception {
        return Files.readAllLines(Path.of("application.properties")).stream()
                .filter(l -> l.startsWith("camel.main.shutdown-timeout="))
                .map(l -> Long.parseLong(l.substring(l.indexOf('=') + 1).trim())).findFirst().orElse(45L);
    }

    private static boolean tracked(String file) throws Exception {
        Process git = new ProcessBuilder("git", "ls-files", "--error-unmatch", file).redirectErrorStream(true).start();
        return git.waitFor(30, TimeUnit.SECONDS) && git.exitValue() == 0;
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /** What {@code kubectl apply -k} would send for {@code dir}, or a skip where kubectl is not installed. */
    private static String kustomized(Path dir) throws Exception {
        assumeTrue(onPath("kubectl"), "kubectl is not installed here; the overlays are checked by reading them");
        Process build = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(true).start();
        String output = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(build.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, build.exitValue(), dir + ": " + output);
        return output;
    }

    @Test
    void everyKustomizationBuildsAsTheDocsApplyIt() throws Exception {
        // kustomize refuses a file outside the overlay's directory, which reading the YAML does not show
        List<Path> dirs;
        try (java.util.stream.Stream<Path> files = Files.walk(Path.of("src/main/kubernetes"))) {
            dirs = files.filter(f -> f.getFileName().toString().equals("kustomization.yaml")).map(Path::getParent)
                    .sorted().toList();
        }
        assertTrue(dirs.size() >= 2, dirs.toString());
        for (Path dir : dirs) {
            assertTrue(kustomized(dir).contains("kind: Deployment"), dir.toString());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theAksOverlaySignsInWithAWorkloadIdentityAndNoSecret() throws Exception {
        Path overlay = Path.of("src/main/kubernetes/aks-workload-identity");
        Load yaml = new Load(LoadSettings.builder().build());
        Map<String, Object> kustomization = (Map<String, Object>) yaml.loadFromString(Files.readString(overlay.resolve("kustomization.yaml")));
        assertEquals(List.of("../base", "service-account.yaml"), kustomization.get("resources"));
        String patches = kustomization.get("patches").toString();
        assertTrue(patches.contains("path: /stringData/DEFENDER_CLIENT_SECRET") && patches.contains("op: remove"), patches);

        Map<String, Object> account = (Map<String, Object>) yaml.loadFromString(Files.readString(overlay.resolve("service-account.yaml")));
        Map<String, Object> metadata = (Map<String, Object>) account.get("metadata");
        assertTrue(((Map<String, Object>) metadata.get("annotations")).get("azure.workload.identity/client-id").toString()
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"));

        Map<String, Object> deployment = (Map<String, Object>) yaml.loadFromString(Files.readString(overlay.resolve("deployment.yaml")));
        Map<String, Object> template = (Map<String, Object>) ((Map<String, Object>) deployment.get("spec")).get("template");
        assertEquals("true", ((Map<String, Object>) ((Map<String, Object>) template.get("metadata")).get("labels"))
                .get("azure.workload.identity/use"));
        assertEquals(metadata.get("name"), ((Map<String, Object>) template.get("spec")).get("serviceAccountName"));

        Map<String, Object> config = (Map<String, Object>) yaml.loadFromString(Files.readString(overlay.resolve("configmap.yaml")));
        assertEquals(Map.of("DEFENDER_AUTH_METHOD", "workload-identity"), config.get("data"));
    }

    private static final Path TENANT_OVERLAY = Path.of("src/main/kubernetes/tenant-directory");
    private static final Load YAML = new Load(LoadSettings.builder().build());

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(Path file) throws Exception {
        return (Map<String, Object>) YAML.loadFromString(Files.readString(file));
    }

    @SuppressWarnings("unchecked")
    private static <T> T at(Map<String, Object> map, String... keys) {
        Object value = map;
        for (String key : keys) {
            value = ((Map<String, Object>) value).get(key);
        }
        return (T) value;
    }

    @Test
    @SuppressWarnings("unchecked")
    void theTenantDirectoryOverlayKeepsEachTenantInOnePlace() throws Exception {
        Map<String, Object> kustomization = yaml(TENANT_OVERLAY.resolve("kustomization.yaml"));
        assertEquals(List.of("../base", "tenant-files.yaml", "tenant-secrets.yaml"), kustomization.get("resources"));
        assertTrue(Files.exists(TENANT_OVERLAY.resolve("../base/kustomization.yaml")));
        List<Map<String, Object>> patches = (List<Map<String, Object>>) kustomization.get("patches");
        for (String resource : List.of("tenant-files.yaml", "tenant-secrets.yaml")) {
            assertTrue(Files.exists(TENANT_OVERLAY.resolve(resource)), resource);
        }
        for (Map<String, Object> patch : patches) {
            if (patch.containsKey("path")) {
                assertTrue(Files.exists(TENANT_OVERLAY.resolve(patch.get("path").toString())), patch.toString());
            }
        }

        // the base's single tenant, as the overlay's remove operations leave it: no ID or secret to fall back on
        Map<String, Map<String, Object>> base = new HashMap<>();
        for (Object document : YAML.loadAllFromString(Files.readString(KUBERNETES))) {
            Map<String, Object> object = (Map<String, Object>) document;
            base.put(object.get("kind").toString(), object);
        }
        Map<String, Object> config = new HashMap<>(at(base.get("ConfigMap"), "data"));
        Map<String, Object> secret = new HashMap<>(at(base.get("Secret"), "stringData"));
        for (Map<String, Object> patch : patches) {
            if (!patch.containsKey("patch")) {
                continue;
            }
            Map<String, Object> target = (Map<String, Object>) patch.get("target");
            Map<String, Object> data = "Secret".equals(target.get("kind")) ? secret : config;
            assertEquals("defender-alert-routes", target.get("name"));
            for (Object op : (List<Object>) YAML.loadFromString(patch.get("patch").toString())) {
                Map<String, Object> operation = (Map<String, Object>) op;
                assertEquals("remove", operation.get("op"));
                String key = operation.get("path").toString().replaceFirst("^/(data|stringData)/", "");
                assertTrue(data.remove(key) != null, key + ": kustomize fails removing a key the base does not have");
            }
        }
        for (String key : List.of("DEFENDER_TENANT_ID", "DEFENDER_CLIENT_ID", "DEFENDER_TENANT_NAME")) {
            assertFalse(config.containsKey(key), key + " would be every file tenant's fallback");
        }
        assertEquals(Set.of("DEFENDER_MANAGEMENT_TOKEN"), secret.keySet(), "the reload and the status page need it");

        // the mounts: whole directories (the kubelet never updates a subPath mount), read-only
        Map<String, Object> files = yaml(TENANT_OVERLAY.resolve("tenant-files.yaml"));
        Map<String, Object> secrets = yaml(TENANT_OVERLAY.resolve("tenant-secrets.yaml"));
        Map<String, Object> podSpec = at(yaml(TENANT_OVERLAY.resolve("deployment.yaml")), "spec", "template", "spec");
        Map<String, Object> container = ((List<Map<String, Object>>) podSpec.get("containers")).get(0);
        Map<String, Object> baseContainer = ((List<Map<String, Object>>) at(base.get("Deployment"), "spec", "template",
                "spec", "containers")).get(0);
        assertEquals(baseContainer.get("name"), container.get("name"), "the patch merges into the base's container");
        Map<String, String> mountPaths = new HashMap<>();
        for (Map<String, Object> mount : (List<Map<String, Object>>) container.get("volumeMounts")) {
            assertFalse(mount.containsKey("subPath") || mount.containsKey("subPathExpr"), mount.toString());
            assertEquals(true, mount.get("readOnly"), mount.toString());
            mountPaths.put(mount.get("name").toString(), mount.get("mountPath").toString());
        }
        String tenantsMount = null;
        String secretsMount = null;
        for (Map<String, Object> volume : (List<Map<String, Object>>) podSpec.get("volumes")) {
            if (volume.containsKey("configMap")) {
                assertEquals((Object) at(files, "metadata", "name"), at(volume, "configMap", "name"));
                tenantsMount = mountPaths.get(volume.get("name").toString());
            } else {
                assertEquals((Object) at(secrets, "metadata", "name"), at(volume, "secret", "secretName"));
                secretsMount = mountPaths.get(volume.get("name").toString());
            }
        }
        assertTrue(tenantsMount != null && secretsMount != null, mountPaths.toString());
        assertEquals(tenantsMount, (Object) at(yaml(TENANT_OVERLAY.resolve("configmap.yaml")), "data", "DEFENDER_TENANTS_DIR"));

        Map<String, Object> secretValues = at(secrets, "stringData");
        secretValues.values().forEach(v -> assertEquals("", v, "no secret value is committed"));
        // a generator's name suffix would roll the pods at each change, which the watched directory makes needless
        assertFalse(kustomization.keySet().stream().anyMatch(k -> k.endsWith("Generator")), kustomization.keySet().toString());
        if (onPath("kubectl")) {
            String rendered = kustomized(TENANT_OVERLAY);
            assertFalse(rendered.contains("DEFENDER_TENANT_ID:") || rendered.contains("DEFENDER_CLIENT_SECRET:"), rendered);
            assertTrue(rendered.contains("DEFENDER_TENANTS_DIR: " + tenantsMount), rendered);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theOverlaysTenantFilesReadAsTheBundleReadsThemWhereTheKubeletMountsThem(@TempDir Path mount) throws Exception {
        Map<String, Object> files = yaml(TENANT_OVERLAY.resolve("tenant-files.yaml"));
        Map<String, Object> secrets = yaml(TENANT_OVERLAY.resolve("tenant-secrets.yaml"));
        List<Map<String, Object>> containers = at(yaml(TENANT_OVERLAY.resolve("deployment.yaml")), "spec", "template",
                "spec", "containers");
        List<Map<String, Object>> mounts = at(containers.get(0), "volumeMounts");
        String secretsMount = mounts.stream().filter(m -> m.get("name").equals("tenant-secrets"))
                .map(m -> m.get("mountPath").toString()).findFirst().orElseThrow();
        // a ConfigMap volume: the files in a timestamped directory, ..data pointing at it, each name a link through it
        Path version = Files.createDirectory(mount.resolve("..2025_06_20_10_00_00.000000001"));
        Files.createSymbolicLink(mount.resolve("..data"), version.getFileName());
        Map<String, Object> data = at(files, "data");
        for (Map.Entry<String, Object> file : data.entrySet()) {
            Files.writeString(version.resolve(file.getKey()), file.getValue().toString());
            Files.createSymbolicLink(mount.resolve(file.getKey()), Path.of("..data", file.getKey()));
        }

        List<TenantDirectory.TenantFile> tenants = TenantDirectory.read(mount);
        assertEquals(List.of("contoso", "fabrikam"), tenants.stream().map(TenantDirectory.TenantFile::name).toList());
        String properties = Files.readString(Path.of("application.properties"));
        Set<String> secretKeysUsed = new TreeSet<>();
        for (TenantDirectory.TenantFile tenant : tenants) {
            Map<String, String> keys = tenant.keys();
            for (String key : List.of("tenant-id", "client-id")) {
                assertTrue(keys.getOrDefault(key, "").matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
                        tenant.name() + ": " + key);
            }
            Path secretFile = Path.of(keys.get("client-secret-file"));
            assertEquals(Path.of(secretsMount), secretFile.getParent(), tenant.name() + ": the Secret's mount");
            assertTrue(((Map<String, Object>) at(secrets, "stringData")).containsKey(secretFile.getFileName().toString()),
                    tenant.name() + ": " + secretFile + " is no key of the Secret");
            secretKeysUsed.add(secretFile.getFileName().toString());
            for (String key : keys.keySet()) {
                assertTrue(properties.lines().anyMatch(l -> l.matches("^#?defender\\." + java.util.regex.Pattern.quote(key)
                        + "=.*")), tenant.name() + ": " + key + " is no key of application.properties");
            }
        }
        assertEquals(((Map<String, Object>) at(secrets, "stringData")).keySet(), secretKeysUsed, "no orphan secret");
    }
}
