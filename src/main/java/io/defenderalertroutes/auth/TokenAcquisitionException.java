package io.defenderalertroutes.auth;

/** A token could not be had. The message never carries the secret nor a token. */
public final class TokenAcquisitionException extends RuntimeException {

    public TokenAcquisitionException(String message) {
        super(message);
    }
}
