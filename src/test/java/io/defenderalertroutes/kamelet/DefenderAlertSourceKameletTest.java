package io.defenderalertroutes.kamelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import io.defenderalertroutes.defender.Timestamps;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.emulator.DefenderEmulator;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Emulated;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A route of someone else's application starting {@code from: kamelet:defender-alert-source}. */
class DefenderAlertSourceKameletTest {

    @TempDir
    Path dir;

    @Test
    void emitsEachMatchingAlertOnceWithTheRawJsonAndTheHeaders() throws Exception {
        try (DefenderEmulator emulator = Emulated.tenant()) {
            String at = Timestamps.format(Instant.now().minus(Duration.ofHours(1)));
            emulator.putAlert(Bundle.TENANT_ID, AlertJson.alert("k-high", at, "New", "High", "Malware"));
            emulator.putAlert(Bundle.TENANT_ID, AlertJson.alert("k-low", at, "New", "Low", "Malware"));

            Main main = new Main();
            main.setDefaultPropertyPlaceholderLocation("classpath:kamelet-app/application.properties");
            main.addOverrideProperty("contoso.tenant-id", Bundle.TENANT_ID);
            main.addOverrideProperty("contoso.client-id", Bundle.CLIENT_ID);
            main.addOverrideProperty("contoso.client-secret", Bundle.CLIENT_SECRET);
            main.addOverrideProperty("contoso.url", emulator.baseUrl());
            main.addOverrideProperty("contoso.state-dir", dir.toString());
            main.start();
            try {
                MockEndpoint alerts = main.getCamelContext().getEndpoint("mock:contoso", MockEndpoint.class);
                alerts.expectedMessageCount(1);
                alerts.expectedBodiesReceived(emulator.servedJson(Bundle.TENANT_ID, "k-high", false));
                alerts.expectedHeaderReceived("Defender-Alert-Id", "k-high");
                alerts.expectedHeaderReceived("Defender-Tenant", "contoso");
                alerts.expectedHeaderReceived("Defender-Severity", "High");
                alerts.expectedHeaderReceived("Defender-Change", "new");
                alerts.assertIsSatisfied(20_000);
                // the Kamelet polls at start; it keeps its checkpoint where it was told
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                        .until(() -> Files.exists(dir.resolve("contoso.checkpoint")));
                assertEquals(at, Files.readString(dir.resolve("contoso.checkpoint")).trim());
                assertTrue(emulator.requestQueries(Bundle.TENANT_ID).get(0).contains("severity eq 'Medium' or severity eq 'High'"));
            } finally {
                main.stop();
            }
        }
    }

    @Test
    void twoKameletsOfOneTenantNeedNamesOfTheirOwn() throws Exception {
        try (DefenderEmulator emulator = Emulated.tenant()) {
            Main main = new Main();
            main.addOverrideProperty("camel.component.kamelet.location", "classpath:defender-alert-routes/routes/kamelets");
            main.addOverrideProperty("camel.main.jmx-enabled", "false");
            main.addOverrideProperty("defender.state-dir", dir.toString());
            String uri = "kamelet:defender-alert-source?tenantId=" + Bundle.TENANT_ID + "&clientId=" + Bundle.CLIENT_ID
                    + "&clientSecret=RAW(" + Bundle.CLIENT_SECRET + ")&authorityUrl=" + emulator.baseUrl()
                    + "&apiUrl=" + emulator.baseUrl() + "&pollOnStart=false";
            main.configure().addRoutesBuilder(new org.apache.camel.builder.RouteBuilder() {
                @Override
                public void configure() {
                    from(uri + "&severity=High").to("mock:high");
                    from(uri + "&severity=Medium").to("mock:medium");
                }
            });
            Exception failure = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, main::start);
            io.defenderalertroutes.config.InvalidConfigurationException mistake =
                    io.defenderalertroutes.app.Application.configurationMistake(failure);
            org.junit.jupiter.api.Assertions.assertNotNull(mistake, failure::toString);
            assertTrue(mistake.getMessage().contains("tenant '" + Bundle.TENANT_ID + "' is already polled"), mistake.getMessage());
            main.stop();
        }
    }

    /** The old parameter still sets the interval, with one warning; beside its replacement it is refused. */
    @Test
    void pollIntervalMinutesStillWorksWithAWarningAndIsRefusedBesidePollInterval() throws Exception {
        try (DefenderEmulator emulator = Emulated.tenant()) {
            String uri = "kamelet:defender-alert-source?tenantName=contoso&tenantId=" + Bundle.TENANT_ID + "&clientId="
                    + Bundle.CLIENT_ID + "&clientSecret=RAW(" + Bundle.CLIENT_SECRET + ")&authorityUrl=" + emulator.baseUrl()
                    + "&apiUrl=" + emulator.baseUrl() + "&pollOnStart=false";
            Main old = kameletApp(uri + "&pollIntervalMinutes=2");
            try (io.defenderalertroutes.testsupport.LogCapture log = new io.defenderalertroutes.testsupport.LogCapture()) {
                old.start();
                Instant next = io.defenderalertroutes.schedule.PollTimers.nextPoll(old.getCamelContext(), "contoso");
                long seconds = Duration.between(Instant.now(), next).toSeconds();
                assertTrue(seconds > 100 && seconds <= 120, "the first poll comes one 2-minute interval after start: " + seconds);
                assertEquals(1, log.lines().stream().filter(l -> l.contains("WARN") && l.contains("pollIntervalMinutes is deprecated: use pollInterval")).count(),
                        String.join("\n", log.lines()));
            } finally {
                old.stop();
            }

            Main both = kameletApp(uri + "&pollIntervalMinutes=2&pollInterval=PT1M");
            Exception failure = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, both::start);
            io.defenderalertroutes.config.InvalidConfigurationException mistake =
                    io.defenderalertroutes.app.Application.configurationMistake(failure);
            org.junit.jupiter.api.Assertions.assertNotNull(mistake, failure::toString);
            assertTrue(mistake.getMessage().contains("pollIntervalMinutes") && mistake.getMessage().contains("pollInterval,"),
                    mistake.getMessage());
            both.stop();
        }
    }

    /** The format parameter: each alert as a CloudEvent around the raw alert; a format the bundle lacks stops start. */
    @Test
    void withFormatCloudeventsEachAlertIsACloudEventAndAnUnknownFormatIsRefused() throws Exception {
        try (DefenderEmulator emulator = Emulated.tenant()) {
            String at = Timestamps.format(Instant.now().minus(Duration.ofHours(1)));
            emulator.putAlert(Bundle.TENANT_ID, AlertJson.alert("k-ce", at, "New", "High", "Malware"));
            String uri = "kamelet:defender-alert-source?tenantName=contoso&tenantId=" + Bundle.TENANT_ID + "&clientId="
                    + Bundle.CLIENT_ID + "&clientSecret=RAW(" + Bundle.CLIENT_SECRET + ")&authorityUrl=" + emulator.baseUrl()
                    + "&apiUrl=" + emulator.baseUrl();
            Main main = kameletApp(uri + "&format=cloudevents");
            main.start();
            try {
                MockEndpoint alerts = main.getCamelContext().getEndpoint("mock:alerts", MockEndpoint.class);
                alerts.expectedMessageCount(1);
                alerts.assertIsSatisfied(20_000);
                String event = alerts.getReceivedExchanges().get(0).getMessage().getBody(String.class);
                assertEquals(java.util.List.of(), io.defenderalertroutes.sinks.CloudEventsSchema.violations(event), event);
                com.fasterxml.jackson.databind.JsonNode node = io.defenderalertroutes.sinks.CloudEventsSchema.JSON.readTree(event);
                assertEquals("contoso:k-ce:" + at, node.get("id").asText());
                assertEquals("com.microsoft.defender.alert.v1", node.get("type").asText());
                assertEquals(io.defenderalertroutes.sinks.CloudEventsSchema.JSON.readTree(
                        emulator.servedJson(Bundle.TENANT_ID, "k-ce", false)), node.get("data"));
            } finally {
                main.stop();
            }

            Main wrong = kameletApp(uri + "&format=xml&pollOnStart=false");
            Exception failure = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, wrong::start);
            io.defenderalertroutes.config.InvalidConfigurationException mistake =
                    io.defenderalertroutes.app.Application.configurationMistake(failure);
            org.junit.jupiter.api.Assertions.assertNotNull(mistake, failure::toString);
            assertEquals("Invalid configuration: format: unknown format 'xml'; expected one of raw, cloudevents, ocsf, ecs",
                    mistake.getMessage());
            wrong.stop();
        }
    }

    private Main kameletApp(String uri) {
        Main main = new Main();
        main.addOverrideProperty("camel.component.kamelet.location", "classpath:defender-alert-routes/routes/kamelets");
        main.addOverrideProperty("camel.main.jmx-enabled", "false");
        main.addOverrideProperty("defender.state-dir", dir.toString());
        main.configure().addRoutesBuilder(new org.apache.camel.builder.RouteBuilder() {
            @Override
            public void configure() {
                from(uri).to("mock:alerts");
            }
        });
        return main;
    }

    @Test
    void emitsDefenderXdrIncidentsAndTheirAlertsWhenAskedTo() throws Exception {
        try (DefenderEmulator emulator = Emulated.tenant()) {
            String at = Timestamps.format(Instant.now().minus(Duration.ofHours(1)));
            emulator.putDefenderIncident(Bundle.TENANT_ID, io.defenderalertroutes.emulator.IncidentJson.defenderIncident(
                    4242, at, "Active", "High", java.util.List.of(io.defenderalertroutes.emulator.IncidentJson
                            .defenderIncidentAlert("da-k1", at, "New", "High", "Malware"))));
            Main main = new Main();
            main.addOverrideProperty("camel.component.kamelet.location", "classpath:defender-alert-routes/routes/kamelets");
            main.addOverrideProperty("camel.main.jmx-enabled", "false");
            String uri = "kamelet:defender-alert-source?tenantId=" + Bundle.TENANT_ID + "&clientId=" + Bundle.CLIENT_ID
                    + "&clientSecret=RAW(" + Bundle.CLIENT_SECRET + ")&authorityUrl=" + emulator.baseUrl()
                    + "&apiUrl=" + emulator.baseUrl() + "&stateDir=" + dir + "&source=defender-incidents"
                    + "&splitIncidentAlerts=true";
            main.configure().addRoutesBuilder(new org.apache.camel.builder.RouteBuilder() {
                @Override
                public void configure() {
                    from(uri).to("mock:incidents");
                }
            });
            main.start();
            try {
                MockEndpoint events = main.getCamelContext().getEndpoint("mock:incidents", MockEndpoint.class);
                events.expectedMessageCount(2);
                events.message(0).header("Defender-Incident-Id").isEqualTo("4242");
                events.message(0).header("Defender-Source").isEqualTo("defender-incidents");
                events.message(0).body().isEqualTo(emulator.servedDefenderIncidentJson(Bundle.TENANT_ID, "4242"));
                events.message(1).header("Defender-Alert-Id").isEqualTo("da-k1");
                events.message(1).header("Defender-Incident-Id").isEqualTo("4242");
                events.assertIsSatisfied(20_000);
            } finally {
                main.stop();
            }
        }
    }

    @Test
    void signsInWithACertificateInsteadOfASecret() throws Exception {
        try (DefenderEmulator emulator = Emulated.tenant()) {
            var issued = io.defenderalertroutes.testsupport.Certificates.create(dir, "kamelet-cert", 365, 0);
            emulator.registerCertificate(Bundle.TENANT_ID, Bundle.CLIENT_ID, issued.certificate());
            Path pem = issued.writePem(dir.resolve("kamelet.pem"));
            String at = Timestamps.format(Instant.now().minus(Duration.ofHours(1)));
            emulator.putAlert(Bundle.TENANT_ID, AlertJson.alert("k-cert", at, "New", "High", "Malware"));
            Main main = new Main();
            main.addOverrideProperty("camel.component.kamelet.location", "classpath:defender-alert-routes/routes/kamelets");
            main.addOverrideProperty("camel.main.jmx-enabled", "false");
            String uri = "kamelet:defender-alert-source?tenantId=" + Bundle.TENANT_ID + "&clientId=" + Bundle.CLIENT_ID
                    + "&authMethod=certificate&certificatePath=" + pem + "&authorityUrl=" + emulator.baseUrl()
                    + "&apiUrl=" + emulator.baseUrl() + "&stateDir=" + dir.resolve("state");
            main.configure().addRoutesBuilder(new org.apache.camel.builder.RouteBuilder() {
                @Override
                public void configure() {
                    from(uri).to("mock:signed-in");
                }
            });
            main.start();
            try {
                MockEndpoint alerts = main.getCamelContext().getEndpoint("mock:signed-in", MockEndpoint.class);
                alerts.expectedMessageCount(1);
                alerts.expectedHeaderReceived("Defender-Alert-Id", "k-cert");
                alerts.assertIsSatisfied(20_000);
                assertEquals(1, emulator.assertionsAccepted(Bundle.TENANT_ID), "signed in with the certificate");
            } finally {
                main.stop();
            }
        }
    }
}
