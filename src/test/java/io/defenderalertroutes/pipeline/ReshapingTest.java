package io.defenderalertroutes.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.defenderalertroutes.defender.Timestamps;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.EmulatedTenant;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.KafkaBroker;
import io.defenderalertroutes.testsupport.PlaybookHandler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's worked edits, each loaded from its edited YAML as a user would after making it. */
class ReshapingTest {

    private static final String TENANT = Bundle.TENANT_ID;
    private static final String PRODUCTION = "classpath:defender-alert-routes/routes/";

    @RegisterExtension
    final EmulatedTenant tenant = new EmulatedTenant();

    @BeforeEach
    void start() {
        String at = Timestamps.format(Instant.now().minus(Duration.ofHours(1)));
        tenant.emulator().putAlert(TENANT, AlertJson.alert("r-high", at, "New", "High", "Malware"));
        tenant.emulator().putAlert(TENANT, AlertJson.alert("r-medium", at, "New", "Medium", "Malware"));
    }

    @Test
    void aSecondKafkaTopicForHighSeverityOnly() throws Exception {
        String all = KafkaBroker.uniqueTopic("all");
        String high = KafkaBroker.uniqueTopic("high");
        tenant.settings().put("camel.main.routes-include-pattern",
                PRODUCTION + "*.camel.yaml,classpath:reshaped/high-severity-topic.camel.yaml");
        tenant.settings().put("defender.sinks", "kafka,kafka-high");
        tenant.settings().put("defender.sink.kafka.topic", all);
        tenant.settings().put("high-severity-topic", high);
        tenant.settings().put("camel.component.kafka.brokers", KafkaBroker.bootstrapServers());
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
        }
        assertEquals(List.of("r-high", "r-medium"), KafkaBroker.consume(all, 2, Duration.ofSeconds(20)).stream()
                .map(r -> r.key()).sorted().toList());
        assertEquals(List.of("r-high"), KafkaBroker.consume(high, 2, Duration.ofSeconds(5)).stream()
                .map(r -> r.key()).toList());
    }

    @Test
    void anEnrichmentStepAddsJsonPathProjectionsAsHeaders() throws Exception {
        try (PlaybookHandler handler = new PlaybookHandler()) {
            tenant.settings().put("camel.main.routes-include-pattern", PRODUCTION + "defender-poll.camel.yaml,"
                    + PRODUCTION + "defender-api.camel.yaml," + PRODUCTION + "sinks.camel.yaml,"
                    + "classpath:reshaped/defender-alert.camel.yaml");
            tenant.settings().put("defender.sinks", "http");
            tenant.settings().put("defender.sink.http.urls", handler.url("/enriched"));
            try (Bundle bundle = tenant.start()) {
                bundle.pollNow();
            }
            assertEquals(2, handler.requests().size());
            for (PlaybookHandler.Request request : handler.requests()) {
                String id = request.header("Defender-Alert-Id");
                String served = tenant.emulator().servedJson(TENANT, id, false);
                assertEquals(served, new String(request.body(), StandardCharsets.UTF_8), "the body is untouched");
                String machine = request.header("Defender-Machine");
                assertTrue(machine != null && served.contains("\"computerDnsName\": \"" + machine + "\""), machine);
                String technique = request.header("Defender-Mitre-Technique");
                assertTrue(technique != null && technique.startsWith("T"), technique);
            }
            assertFalse(handler.requests().isEmpty());
        }
    }
}
