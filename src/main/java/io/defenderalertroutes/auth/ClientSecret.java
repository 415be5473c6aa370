package io.defenderalertroutes.auth;

/**
 * Holds the client secret so that it cannot leak by accident: printing, logging or concatenating it
 * shows a mask. Only {@link #reveal()} hands the value over, to msal4j and nothing else.
 */
public final class ClientSecret {

    private final String value;

    public ClientSecret(String value) {
        this.value = value;
    }

    String reveal() {
        return value;
    }

    /** Replaces any occurrence of the secret in a text that is about to leave our hands. */
    public String scrub(String text) {
        if (text == null || value.isEmpty()) {
            return text;
        }
        return text.replace(value, "****");
    }

    @Override
    public String toString() {
        return "****";
    }
}
