package io.defenderalertroutes.config;

/**
 * A user mistake in configuration. Its message is one line that names the property and what is wrong,
 * and is shown as is, without a stack trace.
 */
public final class InvalidConfigurationException extends RuntimeException {

    public InvalidConfigurationException(String property, String problem) {
        super("Invalid configuration: " + property + ": " + problem);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
