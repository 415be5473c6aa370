package io.defenderalertroutes.sinks;

import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Whether a sink's failure will be the same however often it is tried: a handler that refuses the request itself
 * (HTTP 4xx but 408 and 429), Kafka refusing the record (a non-retriable Kafka error, such as a record too large), or
 * a dead letter naming a handler the tenant no longer has. Such an alert must not hold a poll, nor the letters
 * behind it, for ever.
 */
public final class PermanentFailure {

    private PermanentFailure() {
    }

    public static boolean is(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof HttpOperationFailedException http) {
                int status = http.getStatusCode();
                return status >= 400 && status < 500 && status != 408 && status != 429;
            }
            if (cause instanceof org.apache.kafka.common.errors.ApiException
                    && !(cause instanceof org.apache.kafka.common.errors.RetriableException)) {
                return true;
            }
            if (cause instanceof NoSuchHandlerException) {
                return true;
            }
        }
        return false;
    }

    /** A dead letter names a handler position the tenant's list no longer has. */
    public static final class NoSuchHandlerException extends IllegalStateException {
        public NoSuchHandlerException(String message) {
            super(message);
        }
    }
}
