package io.defenderalertroutes.gate;

/**
 * A caller the {@link HttpGate} does not let in, with the answer it gets. Thrown rather than returned so that a
 * gated route needs one step to ask: the route configuration {@code defender-gate} ({@code routes/gate.camel.yaml})
 * catches it and answers with its status, type, challenge and reason, and nothing after the gate runs. A route that
 * loses that configuration still lets no one through (its caller gets a 500).
 */
public final class Refused extends Exception {

    private final int status;
    private final String contentType;
    private final String challenge;

    /** @param challenge a {@code WWW-Authenticate} value, or null */
    Refused(int status, String contentType, String challenge, String reason) {
        // no stack trace: a refusal is an answer, not a fault, and is never logged
        super(reason, null, false, false);
        this.status = status;
        this.contentType = contentType;
        this.challenge = challenge;
    }

    public int getStatus() {
        return status;
    }

    public String getContentType() {
        return contentType;
    }

    public String getChallenge() {
        return challenge;
    }
}
