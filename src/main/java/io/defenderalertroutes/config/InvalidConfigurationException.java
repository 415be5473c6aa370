package io.defenderalertroutes.config;

/**
 * A user mistake in configuration. Its message is one line that names the property and what is wrong,
 * and is shown as is, without a stack trace.
 */
public final class InvalidConfigurationException extends RuntimeException {

    public InvalidConfigurationException(String property, String problem) {
        super("Invalid configuration: " + property + ": " + problem);
    }

    private InvalidConfigurationException(String message) {
        super(message);
    }

    /**
     * The same mistake told under another name for its property: a key of {@code from} as {@code to} followed by the
     * rest of the key (a tenant file's own key); unchanged when the mistake is about another property.
     */
    public InvalidConfigurationException renamed(String from, String to) {
        String head = "Invalid configuration: ";
        String message = getMessage();
        return message.startsWith(head + from) ? new InvalidConfigurationException(head + to
                + message.substring(head.length() + from.length())) : this;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
