package io.defenderalertroutes.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import io.defenderalertroutes.schedule.PollTimers;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.EmulatedTenant;
import io.defenderalertroutes.testsupport.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** At INFO the bundle says one line per poll per tenant, and nothing once per route at start-up. */
class QuietLoggingTest {

    private static final String OTHER = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
    private static final String THIRD = "7a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6e";

    @RegisterExtension
    final EmulatedTenant tenant = new EmulatedTenant();

    /** What a console at the shipped levels shows of the bundle and Camel (not the emulator's own lines). */
    private static List<String> shown(List<String> lines) {
        return lines.stream().filter(l -> l.matches("\\S+ (INFO|WARN|ERROR): (?s).*"))
                .filter(l -> !l.startsWith("io.defenderalertroutes.emulator")).toList();
    }

    @Test
    void onePollLinePerTenantAndNoLinePerRoute() throws Exception {
        tenant.asTenants("contoso", java.util.Map.of("fabrikam", OTHER, "northwind", THIRD));
        List<String> startUp;
        List<String> polls;
        try (LogCapture log = new LogCapture()) {
            try (Bundle bundle = tenant.start()) {
                startUp = shown(log.lines());
                int before = log.lines().size();
                for (String name : List.of("contoso", "fabrikam", "northwind")) {
                    PollTimers.pollNow(bundle.context(), name, Duration.ofSeconds(30));
                }
                polls = shown(log.lines().subList(before, log.lines().size()));
            }
        }
        System.out.println("start-up, at INFO (" + startUp.size() + " lines):");
        startUp.forEach(l -> System.out.println("  " + l));
        assertTrue(startUp.stream().noneMatch(l -> l.contains("defender-sink-") || l.contains("defender-api-call")
                || l.contains("Not starting Quartz") || l.contains("will not be supervised")), startUp.toString());
        // Camel's start, the management endpoints, and a line describing each tenant
        assertTrue(startUp.size() <= 9 + 3, "start-up lines: " + startUp.size() + " " + startUp);
        assertEquals(List.of("contoso", "fabrikam", "northwind"), polls.stream()
                .filter(l -> l.contains("Poll of tenant")).map(l -> l.replaceAll(".*Poll of tenant (\\S+) done.*", "$1"))
                .toList(), polls.toString());
        assertEquals(3, polls.size(), "one line per poll and nothing else: " + polls);
    }
}
