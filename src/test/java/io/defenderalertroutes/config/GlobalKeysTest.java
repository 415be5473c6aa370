package io.defenderalertroutes.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * The catalogue of known global keys, how {@code DEFENDER_*} environment variables are judged, and renamed keys. The
 * start-up itself, with typos in every group, is in {@link TenantKeysTest}.
 */
class GlobalKeysTest {

    private static final KnownKeys KNOWN = KnownKeys.bundled();

    /** The line start-up stops with, or null when every key given is accepted. */
    private static String judge(Map<String, String> properties, Map<String, String> environment,
            DeprecatedKeys deprecated) throws Exception {
        Properties initial = new Properties();
        initial.putAll(properties);
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setInitialProperties(initial);
            GlobalKeys.given(context, environment, deprecated).refuseUnknown(KNOWN, Set.of());
            return null;
        } catch (InvalidConfigurationException e) {
            return e.getMessage();
        }
    }

    private static String judgeVariable(String name) throws Exception {
        return judge(Map.of(), Map.of(name, "x"), DeprecatedKeys.bundled());
    }

    @Test
    void theCatalogueIsTheBundlesApplicationPropertiesAsTheJarShipsIt() {
        assertTrue(KNOWN.keys().size() > 90, KNOWN.keys().toString());
        assertTrue(KNOWN.knows("defender.trigger.severity"));
        assertTrue(KNOWN.knows("defender.ha.kafka.slots"), "known though read only with defender.ha=kafka");
        assertTrue(KNOWN.knows("defender.client-secret"), "documented commented out");
        assertTrue(KNOWN.knows("defender.tls.trust-store-password"));
        assertTrue(KNOWN.knows("defender.sink.http.handler.7.bearer-token"), "any handler number");
        assertTrue(KNOWN.knows("defender.sink.siem.on-failure"), "a sink of the user's own");
        assertFalse(KNOWN.knows("defender.sink.siem.retries"));
        assertFalse(KNOWN.knows("defender.sink.file.format"));
        assertFalse(KNOWN.keys().stream().anyMatch(k -> k.startsWith("defender.tenant.")), "per-tenant examples");
    }

    @Test
    void everyPlaceholderOfTheRoutesAndKameletsIsDocumented() throws Exception {
        Pattern placeholder = Pattern.compile("\\{\\{(defender\\.[a-z0-9.-]+)[:}]");
        List<String> undocumented = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("routes"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Matcher m = placeholder.matcher(Files.readString(file));
                while (m.find()) {
                    if (!KNOWN.knows(m.group(1))) {
                        undocumented.add(file + ": " + m.group(1));
                    }
                }
            }
        }
        assertEquals(List.of(), undocumented);
    }

    @Test
    void everyVariableTheDeploymentFilesSetIsAKnownKey() throws Exception {
        Pattern variable = Pattern.compile("\\bDEFENDER_[A-Z0-9_]+");
        Set<String> unknown = new TreeSet<>();
        for (String file : List.of("docker-compose.yml", ".env.example", "src/main/kubernetes/defender-alert-routes.yaml")) {
            Matcher m = variable.matcher(Files.readString(Path.of(file)));
            while (m.find()) {
                if (!KNOWN.knowsVariable(m.group())) {
                    unknown.add(file + ": " + m.group());
                }
            }
        }
        assertEquals(Set.of(), unknown);
    }

    @Test
    void aMistypedVariableIsRefusedWithTheKeyItProbablyMeant() throws Exception {
        assertEquals("Invalid configuration: DEFENDER_TRIGGER_SEVERTIY: unknown key; did you mean "
                + "DEFENDER_TRIGGER_SEVERITY (defender.trigger.severity)?", judgeVariable("DEFENDER_TRIGGER_SEVERTIY"));
        assertEquals("Invalid configuration: DEFENDER_POLL_INTERVALL: unknown key; did you mean "
                + "DEFENDER_POLL_INTERVAL_MINUTES (defender.poll.interval-minutes)?", judgeVariable("DEFENDER_POLL_INTERVALL"));
        assertEquals("Invalid configuration: DEFENDER_CLIENT_SCRET: unknown key; did you mean "
                + "DEFENDER_CLIENT_SECRET (defender.client-secret)?", judgeVariable("DEFENDER_CLIENT_SCRET"));
        assertEquals("Invalid configuration: DEFENDER_SINK_FILE_FORMAT: unknown key (the bundle's keys are those of "
                + "its application.properties)", judgeVariable("DEFENDER_SINK_FILE_FORMAT"));
    }

    @Test
    void variablesOfOtherProgramsAndOfTenantsAreLeftAlone() throws Exception {
        for (String name : List.of("DEFENDER_HOME", "DEFENDER_VERSION", "DEFENDER_", "DEFENDER", "DEFENDER_TENANT_ID_FILE",
                "DEFENDER_CLOUD_PROVIDER", "DEFENDER_SOURCE_DIR",
                "DEFENDER_TENANT_CONTOSO_CLIENT_SECRET", "DEFENDERX_POLL_INTERVALL")) {
            assertNull(judgeVariable(name), name);
        }
        for (String name : List.of("DEFENDER_TENANT_ID", "DEFENDER_TENANTS", "DEFENDER_CLIENT_SECRET_FILE",
                "DEFENDER_SINK_HTTP_HANDLER_3_SIGNING_SECRET", "DEFENDER_SINK_SIEM_ON_FAILURE",
                "DEFENDER_TLS_TRUST_STORE_PASSWORD", "DEFENDER_HA_KAFKA_SESSION_TIMEOUT_MS")) {
            assertNull(judgeVariable(name), name);
        }
    }

    @Test
    void suggestionsComeOnlyWhenAKeyIsClose() {
        assertEquals(Optional.of("defender.trigger.severity"), KNOWN.closest("defender.trigger.severtiy"));
        assertEquals(Optional.of("defender.poll.interval-minutes"), KNOWN.closest("defender.poll.intervall"));
        assertEquals(Optional.of("defender.ha.kafka.slots"), KNOWN.closest("defender.ha.kafka.slot"));
        assertEquals(Optional.empty(), KNOWN.closest("defender.sink.file.formatt"));
        assertEquals(Optional.empty(), KNOWN.closest("defender.sink.file.format"));
        assertEquals(Optional.empty(), KNOWN.closest("defender.something-else"));
        assertEquals(1, KnownKeys.distance("severtiy", "severity"), "a swapped pair is one edit");
    }

    @Test
    void aKeyReadAtStartUpIsKnownThoughUndocumented() throws Exception {
        Properties initial = new Properties();
        initial.put("defender.sink.siem.retries", "2");
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setInitialProperties(initial);
            GlobalKeys keys = GlobalKeys.given(context, Map.of(), DeprecatedKeys.bundled());
            assertThrows(InvalidConfigurationException.class, () -> keys.refuseUnknown(KNOWN, Set.of()));
            keys.refuseUnknown(KNOWN, Set.of("defender.sink.siem.retries"));
        }
    }

    @Test
    void theProductHasRenamedNoKeyYet() {
        assertEquals(Map.of(), DeprecatedKeys.RENAMED, "a rename adds its old key here and a test of it below");
    }

    /** With a table of the test's own, as the product's is empty. */
    @Test
    void aRenamedKeyWarnsOnceNamingItsReplacementAndItsValueIsUsed() throws Exception {
        DeprecatedKeys renamed = new DeprecatedKeys(Map.of("defender.poll.interval", "defender.poll.interval-minutes"));
        Properties initial = new Properties();
        initial.put("defender.poll.interval", "7");
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setInitialProperties(initial);
            BundleDefaults.apply(context);
            List<String> warnings = new ArrayList<>();
            renamed.carry(context, Map.of(), warnings::add);
            assertEquals(List.of("defender.poll.interval is deprecated: use defender.poll.interval-minutes instead "
                    + "(its value is used for now)"), warnings);
            assertEquals("7", context.resolvePropertyPlaceholders("{{defender.poll.interval-minutes}}"));
            assertEquals(Optional.of("7"), new Settings(context).optional("defender.poll.interval-minutes"));
            GlobalKeys.given(context, Map.of(), renamed).refuseUnknown(KNOWN, Set.of());
        }
        assertNull(judge(Map.of(), Map.of("DEFENDER_POLL_INTERVAL", "7"), renamed), "the old name as a variable too");
        assertTrue(judge(Map.of("defender.poll.interval", "7"), Map.of(), DeprecatedKeys.bundled())
                .startsWith("Invalid configuration: defender.poll.interval: unknown key"), "without the table");
    }

    @Test
    void aRenamedKeyGivenBesideItsReplacementIsIgnoredWithAWarning() throws Exception {
        DeprecatedKeys renamed = new DeprecatedKeys(Map.of("defender.poll.interval", "defender.poll.interval-minutes"));
        Properties initial = new Properties();
        initial.put("defender.poll.interval", "7");
        initial.put("defender.poll.interval-minutes", "9");
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setInitialProperties(initial);
            BundleDefaults.apply(context);
            List<String> warnings = new ArrayList<>();
            renamed.carry(context, Map.of(), warnings::add);
            assertEquals(List.of("defender.poll.interval is deprecated and ignored: defender.poll.interval-minutes is "
                    + "set too; remove defender.poll.interval"), warnings);
            assertEquals("9", context.resolvePropertyPlaceholders("{{defender.poll.interval-minutes}}"));
        }
    }
}
