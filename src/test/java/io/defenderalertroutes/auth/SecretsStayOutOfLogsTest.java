package io.defenderalertroutes.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.defenderalertroutes.defender.Timestamps;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.emulator.DefenderEmulator;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.LogCapture;
import io.defenderalertroutes.testsupport.PlaybookHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run with the root logger at TRACE, a good poll and a wrong secret: nothing logged, no file written and nothing
 * sent to a handler holds the client secret or a bearer token.
 */
class SecretsStayOutOfLogsTest {

    private static final String TENANT = Bundle.TENANT_ID;

    @TempDir
    Path dir;

    @Test
    void neitherSecretNorTokenLeaks() throws Exception {
        try (LogCapture log = new LogCapture(); DefenderEmulator emulator = Emulated.tenant();
                PlaybookHandler handler = new PlaybookHandler()) {
            emulator.putAlert(TENANT, AlertJson.alert("s1", Timestamps.format(Instant.now().minus(Duration.ofHours(1))),
                    "New", "High", "Malware"));
            Map<String, String> settings = Bundle.tenantOn(emulator.baseUrl(), dir);
            settings.put("defender.sinks", "file,http");
            settings.put("defender.sink.http.urls", handler.url("/hook"));
            try (Bundle bundle = Bundle.start(settings)) {
                bundle.pollNow();
                bundle.pollNow();
            }
            assertTrue(handler.requests().size() == 1, "the good run delivered");

            settings.put("defender.client-secret", Bundle.CLIENT_SECRET + "-but-wrong");
            settings.put("defender.state-dir", dir.resolve("state-wrong").toString());
            try (Bundle bundle = Bundle.start(settings)) {
                bundle.pollNow();
            }

            List<String> lines = log.lines();
            assertTrue(lines.size() > 100, "TRACE logging was captured: " + lines.size());
            assertTrue(lines.stream().anyMatch(l -> l.contains("AADSTS7000215")), "the wrong secret was reported");
            for (String line : lines) {
                assertFalse(line.contains(Bundle.CLIENT_SECRET), () -> "secret in a log line: " + line);
                assertFalse(line.contains("Bearer "), () -> "token in a log line: " + line);
            }
            for (PlaybookHandler.Request request : handler.requests()) {
                assertFalse(request.headers().keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Authorization")));
            }
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    assertFalse(Files.readString(file).contains(Bundle.CLIENT_SECRET), "secret in " + file);
                    assertFalse(Files.readString(file).contains("Bearer"), "token in " + file);
                }
            }
        }
    }
}
