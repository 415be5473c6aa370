package io.defenderalertroutes.config;

import io.defenderalertroutes.app.DefenderConfiguration;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.defenderalertroutes.testsupport.Bundle;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * Every {@code defender.*} default is written once, in application.properties: the routes, the Kamelet and the
 * Java code give none of their own, and an application that does not load the bundle's file still gets them.
 */
class DefaultsInOnePlaceTest {

    private static final Pattern DEFAULTED_PLACEHOLDER = Pattern.compile("\\{\\{(defender\\.[a-z0-9.-]+):");
    /** A Settings read of a key with what follows the key: (min, max) for integers, a fallback otherwise. */
    private static final Pattern JAVA_READ = Pattern.compile(
            "\\.(string|integer|bool|list|duration)\\(\"(defender\\.[a-z0-9.-]+)\"((?:[^()]|\\([^()]*\\))*)\\)");

    private static Map<String, String> documentedDefaults() throws Exception {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("application.properties"))) {
            Matcher m = Pattern.compile("^(defender\\.[a-z0-9.-]+)=(.+)$").matcher(line.strip());
            if (m.matches()) {
                defaults.put(m.group(1), m.group(2).strip());
            }
        }
        return defaults;
    }

    private static List<Path> files(String dir, String suffix) throws Exception {
        try (Stream<Path> walk = Files.walk(Path.of(dir))) {
            return walk.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }

    @Test
    void noRouteKameletOrClassGivesADefaultThePropertiesFileGives() throws Exception {
        Map<String, String> defaults = documentedDefaults();
        List<String> repeated = new ArrayList<>();
        for (Path file : files("routes", ".yaml")) {
            Matcher m = DEFAULTED_PLACEHOLDER.matcher(Files.readString(file));
            while (m.find()) {
                if (defaults.containsKey(m.group(1))) {
                    repeated.add(file + ": {{" + m.group(1) + ":...}}");
                }
            }
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).strip().startsWith("default:") && !lines.get(i - 4).strip().equals("pollOnStart:")) {
                    repeated.add(file + ":" + (i + 1) + ": a Kamelet parameter default");
                }
            }
        }
        for (Path file : files("src/main/java", ".java")) {
            Matcher m = JAVA_READ.matcher(Files.readString(file));
            while (m.find()) {
                long extra = m.group(3).isBlank() ? 0 : m.group(3).chars().filter(c -> c == ',').count();
                // integer(key, min, max) and duration(key, min, max) give bounds, not a fallback
                boolean fallback = switch (m.group(1)) {
                    case "integer" -> extra == 3;
                    case "duration" -> extra != 0 && extra != 2;
                    default -> extra >= 1;
                };
                if (fallback && defaults.containsKey(m.group(2))) {
                    repeated.add(file + ": a fallback for " + m.group(2));
                }
            }
        }
        assertEquals(List.of(), repeated);
    }

    @Test
    void anApplicationWithoutTheBundlesPropertiesFileGetsItsDefaultsAndItsOwnValuesWin() throws Exception {
        Properties own = new Properties();
        own.putAll(Map.of("defender.tenant-id", Bundle.TENANT_ID, "defender.client-id", Bundle.CLIENT_ID,
                "defender.client-secret", Bundle.CLIENT_SECRET, "defender.api.retries", "7",
                "defender.state-dir", Files.createTempDirectory("defaults").toString()));
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setInitialProperties(own);
            new DefenderConfiguration().configure(context);
            assertEquals("7", context.resolvePropertyPlaceholders("{{defender.api.retries}}"), "the application's own");
            Map<String, String> defaults = documentedDefaults();
            assertEquals(defaults.get("defender.api.timeout"),
                    context.resolvePropertyPlaceholders("{{defender.api.timeout}}"));
            assertEquals(defaults.get("defender.sink.kafka.topic"),
                    context.resolvePropertyPlaceholders("{{defender.sink.kafka.topic}}"));
        }
    }
}
