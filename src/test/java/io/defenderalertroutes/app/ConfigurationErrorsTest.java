package io.defenderalertroutes.app;

import io.defenderalertroutes.config.InvalidConfigurationException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import io.defenderalertroutes.testsupport.Bundle;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each kind of bad configuration stops start-up with one line naming the property and the problem. */
class ConfigurationErrorsTest {

    @TempDir
    static Path dir;

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("defender.tenant-id", "", "defender.tenant-id: is required but not set"),
                Arguments.of("defender.tenant-id", "not a tenant", "defender.tenant-id: must be the directory (tenant) ID"),
                Arguments.of("defender.client-id", "12345", "defender.client-id: must be the application (client) ID"),
                Arguments.of("defender.client-secret", "", "defender.client-secret: is required"),
                Arguments.of("defender.client-secret-file", "/no/such/file", "defender.client-secret-file: set either"),
                Arguments.of("defender.cloud", "mars", "defender.cloud: unknown cloud 'mars'; expected one of commercial, gcc, gcc-high, dod"),
                Arguments.of("defender.cloud", "china", "defender.cloud: Microsoft Graph alerts_v2 and the Defender for Endpoint API are not offered in the China cloud"),
                Arguments.of("defender.source", "sentinel", "defender.source: unknown source 'sentinel'; expected defender-api, graph, graph-incidents or defender-incidents"),
                Arguments.of("defender.incidents.split-alerts", "true", "defender.incidents.split-alerts: splits incidents into their alerts: it needs defender.source=graph-incidents or defender-incidents, not defender-api"),
                Arguments.of("defender.ha", "kafka", "defender.dedup: must be kafka with defender.ha=kafka"),
                Arguments.of("defender.api-url", "http://insecure.example", "defender.api-url: must be an https:// URL"),
                Arguments.of("defender.authority-url", "login.microsoftonline.com", "defender.authority-url: must be an https:// URL"),
                Arguments.of("defender.trigger.status", "Open", "defender.trigger.status: unknown value 'Open'"),
                Arguments.of("defender.trigger.severity", "Critical", "defender.trigger.severity: unknown value 'Critical'"),
                Arguments.of("defender.trigger.updates", "yes", "defender.trigger.updates: must be true or false, was 'yes'"),
                Arguments.of("defender.poll.interval", "PT0.5S", "defender.poll.interval: must be at least PT1S, was PT0.5S"),
                Arguments.of("defender.poll.interval", "P2D", "defender.poll.interval: must be at most PT24H, was PT48H"),
                Arguments.of("defender.poll.interval", "5 minutes", "defender.poll.interval: must be an ISO-8601 duration such as PT5M, was '5 minutes'"),
                Arguments.of("defender.poll.interval-minutes", "five", "defender.poll.interval-minutes: must be a whole number of minutes, was 'five'"),
                Arguments.of("defender.auth.timeout", "30", "defender.auth.timeout: must be an ISO-8601 duration such as PT5M, was '30'"),
                Arguments.of("defender.api.timeout", "PT0.05S", "defender.api.timeout: must be at least PT0.1S, was PT0.05S"),
                Arguments.of("defender.api.retry-delay", "1s", "defender.api.retry-delay: must be an ISO-8601 duration such as PT5M, was '1s'"),
                Arguments.of("defender.sink.retry-delay", "PT2M", "defender.sink.retry-delay: must be at most PT1M, was PT2M"),
                Arguments.of("defender.ha.heartbeat", "-PT1S", "defender.ha.heartbeat: must not be negative, was PT-1S"),
                Arguments.of("defender.actions.wait", "PT51M", "defender.actions.wait: must be at most PT50M, was PT51M"),
                Arguments.of("defender.actions.check-after", "soon", "defender.actions.check-after: must be an ISO-8601 duration such as PT5M, was 'soon'"),
                Arguments.of("defender.notify.email.digest", "PT0S", "defender.notify.email.digest: must be at least PT1S, was PT0S"),
                Arguments.of("defender.poll.page-size", "20000", "defender.poll.page-size: must be between 1 and 10000, was 20000"),
                Arguments.of("defender.poll.max-historical-start", "last month", "defender.poll.max-historical-start: cannot read 'last month'"),
                Arguments.of("defender.poll.overlap", "5 minutes", "defender.poll.overlap: must be an ISO-8601 duration"),
                Arguments.of("defender.api.calls-per-minute", "500", "defender.api.calls-per-minute: must be between 1 and 100, was 500"),
                Arguments.of("defender.dedup", "redis", "defender.dedup: unknown repository 'redis'"),
                Arguments.of("defender.sinks", "file,Splunk!", "defender.sinks: 'Splunk!' is neither a sink name"),
                Arguments.of("defender.sinks", "file,splunk", "defender.sinks: no route consumes direct:defender-sink-splunk"),
                Arguments.of("defender.sinks", "http", "defender.sink.http.urls: is required when defender.sinks includes http"),
                Arguments.of("defender.tenant-name", "contoso/../../etc", "defender.tenant-name: may hold only letters"),
                Arguments.of("defender.trigger.severtiy", "High", "defender.trigger.severtiy: unknown key; did you mean defender.trigger.severity?"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("mistakes")
    void startUpStopsWithOneLineNamingTheProperty(String key, String value, String expected) throws Exception {
        Map<String, String> settings = Bundle.tenantOn("https://localhost:1", dir);
        settings.put(key, value);
        if (key.equals("defender.client-secret-file")) {
            Path secret = Files.writeString(dir.resolve("secret.txt"), "from-file");
            settings.put(key, secret.toString());
            expected = "defender.client-secret-file: set either";
        }
        Exception failure = assertThrows(Exception.class, () -> Bundle.start(settings).close());
        InvalidConfigurationException mistake = Application.configurationMistake(failure);
        assertNotNull(mistake, () -> "not reported as a configuration mistake: " + failure);
        String message = mistake.getMessage();
        assertEquals("Invalid configuration: " + expected, message.substring(0, Math.min(message.length(), ("Invalid configuration: " + expected).length())));
        assertFalse(message.contains("\n"), "one line");
        assertFalse(message.contains(Bundle.CLIENT_SECRET), "no secret");
    }

    @Test
    void aBudgetAboveTheSourcesLimitIsRefused() {
        Map<String, String> settings = Bundle.tenantOn("https://localhost:1", dir);
        settings.put("defender.source", "defender-incidents");
        settings.put("defender.api.calls-per-minute", "60");
        Exception failure = assertThrows(Exception.class, () -> Bundle.start(settings).close());
        assertEquals("Invalid configuration: defender.api.calls-per-minute: must be between 1 and 50, was 60",
                Application.configurationMistake(failure).getMessage(), "Defender XDR allows 50 calls a minute");
    }
}
