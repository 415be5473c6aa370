package io.defenderalertroutes.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import io.defenderalertroutes.defender.Timestamps;
import io.defenderalertroutes.emulator.AlertJson;
import io.defenderalertroutes.emulator.DefenderEmulator;
import io.defenderalertroutes.testsupport.Bundle;
import io.defenderalertroutes.testsupport.Emulated;
import io.defenderalertroutes.testsupport.PlaybookHandler;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
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
        List<String> lines = new CopyOnWriteArrayList<>();
        LoggerContext logging = (LoggerContext) LogManager.getContext(false);
        Configuration config = logging.getConfiguration();
        AbstractAppender capture = new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                StringBuilder text = new StringBuilder(event.getLoggerName() + " " + event.getLevel() + ": " + event.getMessage().getFormattedMessage());
                for (Throwable t = event.getThrown(); t != null; t = t.getCause()) {
                    text.append(' ').append(t);
                }
                lines.add(text.toString());
            }
        };
        capture.start();
        // as a user would: the root logger to the most verbose level, the shipped logging configuration as it is
        LoggerConfig root = config.getRootLogger();
        Level before = root.getLevel();
        root.setLevel(Level.ALL);
        List<LoggerConfig> all = new java.util.ArrayList<>(config.getLoggers().values());
        all.forEach(l -> l.addAppender(capture, Level.ALL, null));
        logging.updateLoggers();

        try (DefenderEmulator emulator = Emulated.tenant(); PlaybookHandler handler = new PlaybookHandler()) {
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
        } finally {
            all.forEach(l -> l.removeAppender("capture"));
            root.setLevel(before);
            logging.updateLoggers();
        }
    }
}
