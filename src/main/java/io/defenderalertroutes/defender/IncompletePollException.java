package io.defenderalertroutes.defender;

/** A poll that did not get through every alert of every page: its checkpoint stays where it was. */
public final class IncompletePollException extends RuntimeException {

    public IncompletePollException(String message) {
        super(message, null, false, false);
    }
}
