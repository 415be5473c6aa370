package io.defenderalertroutes.emulator;

/** A query option MDE would refuse with 400; the message is what goes into the error body. */
final class InvalidQueryException extends RuntimeException {

    InvalidQueryException(String message) {
        super(message);
    }
}
