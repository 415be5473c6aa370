package io.defenderalertroutes.sinks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.testsupport.AlertFiles;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.EmulatedTenant;
import io.defenderalertroutes.testsupport.KafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A holding sink holds what may pass later, never what cannot pass at all. */
class FailurePolicyTest {

    @RegisterExtension
    final EmulatedTenant tenant = new EmulatedTenant();

    @Test
    void aRecordKafkaRefusesForGoodIsDeadLetteredEvenByTheHoldingKafkaSinkAndThePollGoesOn() throws Exception {
        tenant.emulator().putAlert(Bundle.TENANT_ID, AlertJson.alert("big", Emulated.ago(Duration.ofMinutes(30)), "New", "High", "Malware"));
        tenant.settings().put("defender.sinks", "kafka");
        tenant.settings().put("defender.sink.kafka.topic", KafkaBroker.uniqueTopic("refused"));
        tenant.settings().put("camel.component.kafka.brokers", KafkaBroker.bootstrapServers());
        // smaller than any alert: the producer refuses the record itself (RecordTooLargeException, not retriable)
        tenant.settings().put("camel.component.kafka.max-request-size", "256");
        tenant.settings().put("defender.sink.retries", "0");
        try (Bundle bundle = tenant.start()) {
            bundle.pollNow();
        }
        List<JsonNode> dead = AlertFiles.envelopes(tenant.dir().resolve("state/dead-letter"));
        assertEquals(1, dead.size(), "dead-lettered, not held for ever");
        assertEquals("defender-sink-kafka", dead.get(0).get("failedSink").asText());
        assertTrue(dead.get(0).get("failure").asText().contains("RecordTooLarge"), dead.get(0).get("failure").asText());
        assertTrue(Files.exists(tenant.dir().resolve("state/contoso.checkpoint")), "the poll went through");
    }
}
