package io.defenderalertroutes.ha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.defenderalertroutes.defender.AlertQuery;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.testsupport.AlertFiles;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.EmulatedTenant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A poll that loses the tenant's lead part-way (another instance took the tenant over, as a Kafka rebalance or an
 * expired lock does) delivers what it fetched but does not move the checkpoint: the instance that leads now does. A
 * poll that begins after the lead was lost (its timer fired as the lead went) reads nothing.
 */
class LeadTermFenceTest {

    @RegisterExtension
    final EmulatedTenant tenant = new EmulatedTenant();

    @Test
    void aPollWhoseLeadTermChangedDoesNotCommitItsCheckpoint() throws Exception {
        tenant.emulator().putAlert(Bundle.TENANT_ID, AlertJson.alert("t1", Emulated.ago(Duration.ofMinutes(30)), "New", "High", "Malware"));
        Path checkpoint = tenant.dir().resolve("state/contoso.checkpoint");
        try (Bundle bundle = tenant.start()) {
            AlertQuery query = bundle.context().getRegistry().lookupByNameAndType("defenderAlertQuery-contoso", AlertQuery.class);
            // the poll begins in term 1; by its commit the lead was lost and won back: term 2
            AtomicLong asked = new AtomicLong();
            query.fence(() -> asked.incrementAndGet() <= 2 ? 1 : 2);
            bundle.pollNow();
            assertEquals(3, asked.get(), "asked as the timer fired, when the poll began and when it would commit");
            assertEquals(java.util.List.of("t1"), AlertFiles.alertIds(tenant.dir().resolve("alerts/contoso")),
                    "what the poll fetched was delivered");
            assertFalse(Files.exists(checkpoint), "the checkpoint did not move under the old term");
            assertFalse(query.polling(), "the failed poll is over");

            // in a steady term the next poll commits
            query.fence(() -> 2);
            bundle.pollNow();
            assertTrue(Files.exists(checkpoint), "the poll in one term commits");
        }
    }

    @Test
    void aPollThatBeginsWithoutTheLeadReadsNothingAndIsNoFailure() throws Exception {
        tenant.emulator().putAlert(Bundle.TENANT_ID, AlertJson.alert("t2", Emulated.ago(Duration.ofMinutes(30)), "New", "High", "Malware"));
        Path checkpoint = tenant.dir().resolve("state/contoso.checkpoint");
        try (Bundle bundle = tenant.start()) {
            AlertQuery query = bundle.context().getRegistry().lookupByNameAndType("defenderAlertQuery-contoso", AlertQuery.class);
            var health = bundle.context().getRegistry().lookupByNameAndType("defenderPollHealth-contoso",
                    io.defenderalertroutes.observe.PollHealthCheck.class);
            query.fence(() -> -1);
            bundle.pollNow();
            assertEquals(0, tenant.emulator().apiRequests(Bundle.TENANT_ID), "the alerts API was not called");
            assertEquals(java.util.List.of(), AlertFiles.alertIds(tenant.dir().resolve("alerts/contoso")), "nothing delivered");
            assertFalse(Files.exists(checkpoint), "no checkpoint");
            assertFalse(query.polling(), "no poll in flight");
            assertEquals(0, health.snapshot().consecutiveFailures(), "not a failed poll: " + health.snapshot());

            // leading again, it polls
            query.fence(() -> 1);
            bundle.pollNow();
            assertEquals(java.util.List.of("t2"), AlertFiles.alertIds(tenant.dir().resolve("alerts/contoso")));
            assertTrue(Files.exists(checkpoint));
        }
    }
}
