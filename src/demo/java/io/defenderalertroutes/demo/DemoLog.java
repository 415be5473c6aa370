package io.defenderalertroutes.demo;

import java.nio.file.Path;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.builder.api.AppenderComponentBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;

/** The demo's log goes to a file, so that the console shows its progress and summary only. */
final class DemoLog {

    private DemoLog() {
    }

    static void toFile(Path file) {
        ConfigurationBuilder<BuiltConfiguration> builder = ConfigurationBuilderFactory.newConfigurationBuilder();
        builder.setStatusLevel(Level.WARN);
        AppenderComponentBuilder appender = builder.newAppender("file", "File")
                .addAttribute("fileName", file.toString())
                .add(builder.newLayout("PatternLayout").addAttribute("pattern", "%d{HH:mm:ss.SSS} %-5level [%t] %c{1} - %msg%n"))
                // as the shipped configuration: a line carrying a bearer token or a client secret field is dropped
                .add(builder.newFilter("RegexFilter", Filter.Result.DENY, Filter.Result.NEUTRAL)
                        .addAttribute("regex", "(?s).*(Bearer [A-Za-z0-9._~+/=-]|client_secret=).*"));
        builder.add(appender);
        builder.add(builder.newLogger("org.apache.kafka", Level.WARN));
        builder.add(builder.newLogger("org.quartz", Level.WARN));
        builder.add(builder.newRootLogger(Level.INFO).add(builder.newAppenderRef("file")));
        Configurator.reconfigure(builder.build());
    }
}
