package io.defenderalertroutes.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.StartUpRefusal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every key is either per tenant, and then read for each tenant, or global, and then refused at start-up when given
 * as {@code defender.tenant.<name>.<key>}: none is silently ignored for a tenant.
 */
class TenantKeysTest {

    private static final Pattern DOCUMENTED = Pattern.compile("^#?(defender\\.[a-z0-9.-]+)=(.*)$");
    private static final String OTHER_TENANT = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

    @TempDir
    Path dir;

    private Map<String, String> twoTenants() {
        Map<String, String> p = new HashMap<>();
        p.put("defender.tenants", "contoso,contoso-eu");
        p.put("defender.tenant.contoso.tenant-id", Bundle.TENANT_ID);
        p.put("defender.tenant.contoso-eu.tenant-id", OTHER_TENANT);
        p.put("defender.client-id", Bundle.CLIENT_ID);
        p.put("defender.client-secret", Bundle.CLIENT_SECRET);
        p.put("defender.authority-url", "https://localhost:1");
        p.put("defender.api-url", "https://localhost:1");
        p.put("defender.state-dir", dir.resolve("state").toString());
        p.put("defender.sink.file.dir", dir.resolve("alerts").toString());
        return p;
    }

    /** Two tenants, contoso with every option that makes a tenant read more keys: all of them are read. */
    private Map<String, String> everythingInUse() {
        Map<String, String> p = twoTenants();
        p.put("defender.tenant.contoso.source", "graph");
        p.put("defender.tenant.contoso.dedup", "kafka");
        p.put("defender.tenant.contoso.actions.allowed", "all");
        p.put("defender.sinks", "kafka,file,http");
        p.put("defender.sink.http.urls", "https://localhost:1/a,https://localhost:1/b");
        return p;
    }

    private static String configure(Map<String, String> values) throws Exception {
        return StartUpRefusal.of(values);
    }

    @Test
    void aGlobalKeyGivenForOneTenantIsRefusedInOneLine() throws Exception {
        Map<String, String> p = twoTenants();
        p.put("defender.tenant.contoso.api.retry-delay", "PT0.05S");
        assertEquals("Invalid configuration: defender.tenant.contoso.api.retry-delay: is not used for this tenant: "
                + "it is a global key (set defender.api.retry-delay), one this tenant's other settings leave unused, "
                + "or misspelt", configure(p));
    }

    /** Once a tenant's own topic, now the one topic of every tenant: the old per-tenant key says where to go. */
    @Test
    void aTenantsOwnDedupTopicIsRefusedWithTheKeyThatReadsItOnce() throws Exception {
        Map<String, String> p = twoTenants();
        p.put("defender.dedup", "kafka");
        p.put("defender.tenant.contoso.dedup.kafka.topic", "contoso-keys");
        assertEquals("Invalid configuration: defender.tenant.contoso.dedup.kafka.topic: is not used for this tenant: "
                + "every tenant's dedup keys are in one topic, defender.dedup.kafka.topic (a global key); to read this "
                + "tenant's old topic once as it upgrades, name it in defender.tenant.contoso.dedup.kafka.upgrade-from",
                configure(p));
    }

    @Test
    void aMisspeltOrForeignTenantKeyIsRefused() throws Exception {
        Map<String, String> p = twoTenants();
        p.put("defender.tenant.contoso.trigger.severty", "High");
        assertTrue(configure(p).startsWith("Invalid configuration: defender.tenant.contoso.trigger.severty: is not "
                + "used for this tenant"), configure(p));
        p = twoTenants();
        p.put("defender.tenant.fabrikam.trigger.severity", "High");
        assertEquals("Invalid configuration: defender.tenant.fabrikam.trigger.severity: names no tenant of "
                + "defender.tenants (contoso, contoso-eu)", configure(p));
    }

    @Test
    void aTenantWhoseNameStartsLikeAnothersKeepsItsKeys() throws Exception {
        Map<String, String> p = twoTenants();
        p.put("defender.tenant.contoso-eu.trigger.severity", "High");
        p.put("defender.tenant.contoso.trigger.severity", "Low");
        assertNull(configure(p));
    }

    /** Every key application.properties documents, set or commented out, with its value there. */
    private static Map<String, String> documented() throws Exception {
        Map<String, String> documented = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("application.properties"))) {
            Matcher m = DOCUMENTED.matcher(line.strip());
            if (m.matches() && !m.group(1).equals("defender.tenants") && !m.group(1).startsWith("defender.tenant.")) {
                documented.putIfAbsent(m.group(1), m.group(2).strip());
            }
        }
        assertTrue(documented.size() > 40, documented.keySet().toString());
        return documented;
    }

    @Test
    void everyDocumentedKeyIsPerTenantOrRefusedForATenant() throws Exception {
        Map<String, String> documented = documented();
        List<String> perTenant = new ArrayList<>();
        List<String> global = new ArrayList<>();
        List<String> neither = new ArrayList<>();
        for (Map.Entry<String, String> key : documented.entrySet()) {
            String forTenant = "defender.tenant.contoso." + key.getKey().substring("defender.".length());
            Map<String, String> p = everythingInUse();
            p.put(forTenant, key.getValue());
            String error = configure(p);
            if (error == null || error.startsWith("Invalid configuration: " + forTenant + ": ")
                    && !error.contains("is not used for this tenant")) {
                perTenant.add(key.getKey());
            } else if (error.equals("Invalid configuration: " + forTenant + ": is not used for this tenant: it is a "
                    + "global key (set " + key.getKey() + "), one this tenant's other settings leave unused, or misspelt")
                    || error.startsWith("Invalid configuration: " + forTenant + ": is not used for this tenant: ")
                    && error.contains(key.getKey() + " (a global key)")) {
                global.add(key.getKey());
            } else {
                neither.add(key.getKey() + " -> " + error);
            }
        }
        System.out.println("Per tenant (" + perTenant.size() + "): " + perTenant);
        System.out.println("Global, refused per tenant (" + global.size() + "): " + global);
        assertEquals(List.of(), neither);
        assertTrue(perTenant.containsAll(List.of("defender.trigger.severity", "defender.poll.interval",
                "defender.client-secret", "defender.source", "defender.sinks", "defender.dedup",
                "defender.api.calls-per-minute", "defender.api.calls-per-hour", "defender.api.timeout",
                "defender.api.retries", "defender.api.throttle-retries", "defender.graph.service-source",
                "defender.dedup.kafka.max-keys", "defender.dedup.kafka.upgrade-from", "defender.sink.kafka.topic",
                "defender.sink.file.dir", "defender.sink.http.urls", "defender.sink.http.handler.2.signing-secret",
                "defender.sink.retries", "defender.actions.allowed", "defender.actions.api-url")), perTenant.toString());
        // what is left is the process's: its trust store, its HA and dead letter, one backoff for the shared routes,
        // where action requests come from and results go, where notices go, which tenants there are, the one topic of
        // every tenant's dedup keys; nothing else
        List<String> processWide = List.of("defender.tenant-name", "defender.tenants.dir", "defender.tls.",
                "defender.dedup.kafka.topic", "defender.dedup.kafka.partitions", "defender.dedup.kafka.create-topic",
                "defender.api.retry-delay",
                "defender.sink.retry-delay", "defender.ha", "defender.dead-letter", "defender.actions.",
                "defender.restart.", "defender.notify.", "defender.management.");
        assertEquals(List.of(), global.stream().filter(k -> processWide.stream().noneMatch(k::startsWith)).toList(),
                "global keys outside the process-wide families");
        assertTrue(global.containsAll(List.of("defender.tls.trust-store", "defender.api.retry-delay", "defender.ha",
                "defender.dedup.kafka.topic", "defender.dedup.kafka.partitions", "defender.dedup.kafka.create-topic",
                "defender.dead-letter", "defender.actions.topic", "defender.notify.url", "defender.notify.email.to",
                "defender.notify.smtp.password")), global.toString());
    }

    /**
     * The same walk for the keys given globally: every documented key is known, whatever features are off (its value
     * may still be refused, by the check of that value, never as an unknown key), in the property and the variable form.
     */
    @Test
    void everyDocumentedKeyIsAcceptedGlobally() throws Exception {
        KnownKeys known = KnownKeys.bundled();
        List<String> refused = new ArrayList<>();
        for (Map.Entry<String, String> key : documented().entrySet()) {
            for (Map<String, String> p : List.of(twoTenants(), oneTenant())) {
                p.put(key.getKey(), key.getValue().isEmpty() ? "x" : key.getValue());
                String error = configure(p);
                if (error != null && error.contains(": unknown key")) {
                    refused.add(key.getKey() + " -> " + error);
                }
            }
            if (!known.knowsVariable(Settings.envForm(key.getKey()))) {
                refused.add(Settings.envForm(key.getKey()) + " not known as a variable");
            }
        }
        assertEquals(List.of(), refused);
    }

    private Map<String, String> oneTenant() {
        Map<String, String> p = twoTenants();
        p.remove("defender.tenants");
        p.remove("defender.tenant.contoso.tenant-id");
        p.remove("defender.tenant.contoso-eu.tenant-id");
        p.put("defender.tenant-id", Bundle.TENANT_ID);
        return p;
    }

    static Stream<Arguments> typos() {
        return Stream.of(
                Arguments.of("defender.trigger.severtiy", "did you mean defender.trigger.severity?"),
                Arguments.of("defender.trigger.categroy", "did you mean defender.trigger.category?"),
                Arguments.of("defender.poll.intervall", "did you mean defender.poll.interval?"),
                Arguments.of("defender.poll.on-strat", "did you mean defender.poll.on-start?"),
                Arguments.of("defender.api.timout", "did you mean defender.api.timeout?"),
                Arguments.of("defender.sink.file.dirr", "did you mean defender.sink.file.dir?"),
                Arguments.of("defender.sink.kafka.topik", "did you mean defender.sink.kafka.topic?"),
                Arguments.of("defender.sink.file.formatt", "did you mean defender.sink.file.format?"),
                Arguments.of("defender.sink.file.layout", "(the bundle's keys are those of its application.properties)"),
                Arguments.of("defender.actions.alowed", "did you mean defender.actions.allowed?"),
                Arguments.of("defender.ha.hartbeat", "did you mean defender.ha.heartbeat?"),
                Arguments.of("defender.notify.smtp.hots", "did you mean defender.notify.smtp.host?"),
                Arguments.of("defender.management.tokn", "did you mean defender.management.token?"),
                Arguments.of("defender.tenant-nmae", "did you mean defender.tenant-name?"));
    }

    /** A typo in each group of global keys, for one tenant and for several: refused, with the key it meant. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("typos")
    void aMistypedGlobalKeyIsRefusedWithTheKeyItProbablyMeant(String key, String suggestion) throws Exception {
        String expected = "Invalid configuration: " + key + ": unknown key" + (suggestion.startsWith("(") ? " " : "; ")
                + suggestion;
        for (Map<String, String> p : List.of(twoTenants(), oneTenant())) {
            p.put(key, "High");
            assertEquals(expected, configure(p));
        }
    }

    @Test
    void aMistypedKeyIsNamedRatherThanTheRequiredKeyItLeftUnset() throws Exception {
        Map<String, String> p = oneTenant();
        p.remove("defender.tenant-id");
        p.put("defender.tenant-idd", Bundle.TENANT_ID);
        assertEquals("Invalid configuration: defender.tenant-idd: unknown key; did you mean defender.tenant-id?",
                configure(p));
    }
}
