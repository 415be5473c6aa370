package io.defenderalertroutes.defender;

/** The alerts API answered 200 with something that is not an alerts page. */
public final class MalformedPageException extends RuntimeException {

    public MalformedPageException(String message) {
        super(message);
    }
}
