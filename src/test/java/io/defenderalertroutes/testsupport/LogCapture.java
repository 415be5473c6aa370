package io.defenderalertroutes.testsupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Every log line of the process at the most verbose level, as a user who turned logging up would see it (each with
 * its exceptions and their causes), for a test to search for secrets; the shipped configuration comes back on close.
 */
public final class LogCapture implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final LoggerContext logging = (LoggerContext) LogManager.getContext(false);
    private final LoggerConfig root;
    private final Level before;
    private final List<LoggerConfig> loggers;

    public LogCapture() {
        Configuration config = logging.getConfiguration();
        AbstractAppender capture = new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                StringBuilder text = new StringBuilder(event.getLoggerName() + " " + event.getLevel() + ": "
                        + event.getMessage().getFormattedMessage());
                for (Throwable t = event.getThrown(); t != null; t = t.getCause()) {
                    text.append(' ').append(t);
                }
                lines.add(text.toString());
            }
        };
        capture.start();
        root = config.getRootLogger();
        before = root.getLevel();
        root.setLevel(Level.ALL);
        // on the root only: every logger of the shipped configuration passes its events on to it (additive), each
        // through its own level and filters, as on the console
        loggers = List.of(root);
        root.addAppender(capture, Level.ALL, null);
        logging.updateLoggers();
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        loggers.forEach(l -> l.removeAppender("capture"));
        root.setLevel(before);
        logging.updateLoggers();
    }
}
