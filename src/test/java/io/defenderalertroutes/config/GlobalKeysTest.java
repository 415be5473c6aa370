package io.defenderalertroutes.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
        assertTrue(KNOWN.knows("defender.sink.file.format"));
        assertTrue(KNOWN.knows("defender.sink.siem.format"), "a sink of the user's own");
        assertTrue(KNOWN.knows("defender.sink.siem.format.keep-raw"), "a sink of the user's own");
        assertFalse(KNOWN.knows("defender.sink.file.layout"));
        assertFalse(KNOWN.keys().stream().anyMatch(k -> k.startsWith("defender.tenant.")), "per-tenant examples");
    }

    @Test
    void everyPlaceholderOfTheRoutesAndKameletsIsDocumented() throws Exception {
        Pattern placeholder = Pattern.compile("\\{\\{(?:millis:)?(defender\\.[a-z0-9.-]+)[:}]");
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
        // DEFENDER_TENANT_<NAME>_CLIENT_ID in a comment is a pattern for the reader, not a variable
        Pattern variable = Pattern.compile("\\bDEFENDER_[A-Z0-9_]++(?!<)");
        Set<String> unknown = new TreeSet<>();
        List<Path> files = new ArrayList<>(List.of(Path.of("docker-compose.yml"), Path.of(".env.example")));
        try (Stream<Path> kubernetes = Files.walk(Path.of("src/main/kubernetes"))) {
            kubernetes.filter(f -> f.toString().endsWith(".yaml")).sorted().forEach(files::add);
        }
        for (Path file : files) {
            Matcher m = variable.matcher(Files.readString(file));
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
                + "DEFENDER_POLL_INTERVAL (defender.poll.interval)?", judgeVariable("DEFENDER_POLL_INTERVALL"));
        assertEquals("Invalid configuration: DEFENDER_CLIENT_SCRET: unknown key; did you mean "
                + "DEFENDER_CLIENT_SECRET (defender.client-secret)?", judgeVariable("DEFENDER_CLIENT_SCRET"));
        assertEquals("Invalid configuration: DEFENDER_SINK_FILE_LAYOUT: unknown key (the bundle's keys are those of "
                + "its application.properties)", judgeVariable("DEFENDER_SINK_FILE_LAYOUT"));
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
        assertEquals(Optional.of("defender.poll.interval"), KNOWN.closest("defender.poll.intervall"));
        assertEquals(Optional.of("defender.ha.kafka.slots"), KNOWN.closest("defender.ha.kafka.slot"));
        assertEquals(Optional.of("defender.sink.file.format"), KNOWN.closest("defender.sink.file.formatt"));
        assertEquals(Optional.empty(), KNOWN.closest("defender.sink.file.layout"));
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

    /** Each old key of issue 26, its value in its old unit, and the duration its replacement gets. */
    static Stream<org.junit.jupiter.params.provider.Arguments> renamedDurations() {
        return Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("defender.auth.timeout-seconds", "7", "defender.auth.timeout", "PT7S"),
                org.junit.jupiter.params.provider.Arguments.of("defender.poll.interval-minutes", "1", "defender.poll.interval", "PT1M"),
                org.junit.jupiter.params.provider.Arguments.of("defender.api.timeout-ms", "500", "defender.api.timeout", "PT0.5S"),
                org.junit.jupiter.params.provider.Arguments.of("defender.api.retry-delay-ms", "250", "defender.api.retry-delay", "PT0.25S"),
                org.junit.jupiter.params.provider.Arguments.of("defender.ha.heartbeat-ms", "3000", "defender.ha.heartbeat", "PT3S"),
                org.junit.jupiter.params.provider.Arguments.of("defender.ha.kafka.session-timeout-ms", "90000",
                        "defender.ha.kafka.session-timeout", "PT1M30S"),
                org.junit.jupiter.params.provider.Arguments.of("defender.sink.retry-delay-ms", "50", "defender.sink.retry-delay", "PT0.05S"),
                org.junit.jupiter.params.provider.Arguments.of("defender.actions.wait-minutes", "20", "defender.actions.wait", "PT20M"),
                org.junit.jupiter.params.provider.Arguments.of("defender.actions.check-after-ms", "5", "defender.actions.check-after", "PT0.005S"),
                org.junit.jupiter.params.provider.Arguments.of("defender.notify.email.digest-seconds", "120",
                        "defender.notify.email.digest", "PT2M"));
    }

    @Test
    void everyOldDurationKeyIsRenamedAndNoneIsLeftInTheBundlesFile() {
        assertEquals(renamedDurations().map(a -> (String) a.get()[0]).collect(java.util.stream.Collectors.toSet()),
                DeprecatedKeys.RENAMED.keySet(), "each rename is tested below");
        for (String old : DeprecatedKeys.RENAMED.keySet()) {
            assertFalse(KNOWN.knows(old), old + " is no longer documented: its replacement is");
            assertTrue(KNOWN.knows(DeprecatedKeys.RENAMED.get(old).replacement()), old);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}={1} is {2}={3}")
    @org.junit.jupiter.params.provider.MethodSource("renamedDurations")
    void anOldKeyWarnsOnceNamingItsReplacementAndItsValueIsUsedConverted(String old, String value, String replacement,
            String converted) throws Exception {
        Properties initial = new Properties();
        initial.put(old, value);
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setInitialProperties(initial);
            BundleDefaults.apply(context);
            List<String> warnings = new ArrayList<>();
            DeprecatedKeys.bundled().carry(context, Map.of(), warnings::add);
            assertEquals(List.of(old + " is deprecated: use " + replacement + " instead (its value is used for now, as "
                    + replacement + "=" + converted + ")"), warnings);
            assertEquals(converted, context.resolvePropertyPlaceholders("{{" + replacement + "}}"));
            GlobalKeys.given(context, Map.of(), DeprecatedKeys.bundled()).refuseUnknown(KNOWN, Set.of());
        }
        assertNull(judge(Map.of(), Map.of(Settings.envForm(old), value), DeprecatedKeys.bundled()), "as a variable too");
    }

    @Test
    void anOldKeyGivenAsAVariableIsCarriedToo() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            BundleDefaults.apply(context);
            List<String> warnings = new ArrayList<>();
            DeprecatedKeys.bundled().carry(context, Map.of("DEFENDER_API_TIMEOUT_MS", "1500"), warnings::add);
            assertEquals(1, warnings.size(), warnings.toString());
            assertEquals("PT1.5S", context.resolvePropertyPlaceholders("{{defender.api.timeout}}"));
        }
    }

    @Test
    void anOldKeyOfATenantIsCarriedToThatTenantsReplacement() throws Exception {
        Properties initial = new Properties();
        initial.put("defender.tenants", "contoso,fabrikam");
        initial.put("defender.tenant.contoso.poll.interval-minutes", "2");
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setInitialProperties(initial);
            BundleDefaults.apply(context);
            List<String> warnings = new ArrayList<>();
            DeprecatedKeys.bundled().carry(context, Map.of(), warnings::add);
            assertEquals(List.of("defender.tenant.contoso.poll.interval-minutes is deprecated: use "
                    + "defender.tenant.contoso.poll.interval instead (its value is used for now, as "
                    + "defender.tenant.contoso.poll.interval=PT2M)"), warnings);
            Settings settings = new Settings(context);
            assertEquals(Duration.ofMinutes(2), settings.forTenant("contoso").duration("defender.poll.interval"));
            assertEquals(Duration.ofMinutes(5), settings.forTenant("fabrikam").duration("defender.poll.interval"));
        }
    }

    @Test
    void anOldKeyGivenBesideItsReplacementIsRefusedInOneLine() throws Exception {
        Properties initial = new Properties();
        initial.put("defender.poll.interval-minutes", "7");
        initial.put("defender.poll.interval", "PT9M");
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setInitialProperties(initial);
            BundleDefaults.apply(context);
            InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                    () -> DeprecatedKeys.bundled().carry(context, Map.of(), w -> { }));
            assertEquals("Invalid configuration: defender.poll.interval-minutes: is the old name of defender.poll.interval, "
                    + "which is set too; remove defender.poll.interval-minutes", e.getMessage());
        }
    }

    @Test
    void anOldKeyOfATenantGivenBesideItsReplacementIsRefused() throws Exception {
        Properties initial = new Properties();
        initial.put("defender.tenants", "contoso");
        initial.put("defender.tenant.contoso.api.timeout", "PT1S");
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setInitialProperties(initial);
            BundleDefaults.apply(context);
            InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                    () -> DeprecatedKeys.bundled().carry(context, Map.of("DEFENDER_TENANT_CONTOSO_API_TIMEOUT_MS", "900"),
                            w -> { }));
            assertEquals("Invalid configuration: defender.tenant.contoso.api.timeout-ms: is the old name of "
                    + "defender.tenant.contoso.api.timeout, which is set too; remove defender.tenant.contoso.api.timeout-ms",
                    e.getMessage());
        }
    }

    @Test
    void anOldKeyThatIsNoWholeNumberIsRefusedNamingIt() throws Exception {
        Properties initial = new Properties();
        initial.put("defender.api.retry-delay-ms", "1s");
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setInitialProperties(initial);
            BundleDefaults.apply(context);
            InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                    () -> DeprecatedKeys.bundled().carry(context, Map.of(), w -> { }));
            assertEquals("Invalid configuration: defender.api.retry-delay-ms: must be a whole number of milliseconds, was '1s' "
                    + "(better: set defender.api.retry-delay, an ISO-8601 duration such as PT5M)", e.getMessage());
        }
    }
}
