package io.defenderalertroutes.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.defenderalertroutes.defender.Timestamps;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.emulator.DefenderEmulator;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.KafkaBroker;
import io.defenderalertroutes.testsupport.PlaybookHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's worked edits, each loaded from its edited YAML as a user would after making it. */
class ReshapingTest {

    private static final String TENANT = Bundle.TENANT_ID;
    private static final String PRODUCTION = "classpath:defender-alert-routes/routes/";

    @TempDir
    Path dir;

    private DefenderEmulator emulator;
    private Map<String, String> settings;

    @BeforeEach
    void start() {
        emulator = Emulated.tenant();
        String at = Timestamps.format(Instant.now().minus(Duration.ofHours(1)));
        emulator.putAlert(TENANT, AlertJson.alert("r-high", at, "New", "High", "Malware"));
        emulator.putAlert(TENANT, AlertJson.alert("r-medium", at, "New", "Medium", "Malware"));
        settings = Bundle.tenantOn(emulator.baseUrl(), dir);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void aSecondKafkaTopicForHighSeverityOnly() throws Exception {
        String all = KafkaBroker.uniqueTopic("all");
        String high = KafkaBroker.uniqueTopic("high");
        settings.put("camel.main.routes-include-pattern",
                PRODUCTION + "*.camel.yaml,classpath:reshaped/high-severity-topic.camel.yaml");
        settings.put("defender.sinks", "kafka,kafka-high");
        settings.put("defender.sink.kafka.topic", all);
        settings.put("high-severity-topic", high);
        settings.put("camel.component.kafka.brokers", KafkaBroker.bootstrapServers());
        try (Bundle bundle = Bundle.start(settings)) {
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
            settings.put("camel.main.routes-include-pattern", PRODUCTION + "defender-poll.camel.yaml,"
                    + PRODUCTION + "defender-api.camel.yaml," + PRODUCTION + "sinks.camel.yaml,"
                    + "classpath:reshaped/defender-alert.camel.yaml");
            settings.put("defender.sinks", "http");
            settings.put("defender.sink.http.urls", handler.url("/enriched"));
            try (Bundle bundle = Bundle.start(settings)) {
                bundle.pollNow();
            }
            assertEquals(2, handler.requests().size());
            for (PlaybookHandler.Request request : handler.requests()) {
                String id = request.header("Defender-Alert-Id");
                String served = emulator.servedJson(TENANT, id, false);
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
