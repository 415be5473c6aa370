package io.defenderalertroutes.auth;

import java.util.concurrent.atomic.AtomicLong;

import com.microsoft.aad.msal4j.MsalServiceException;

/**
 * What msal4j's two kinds of application (a confidential client's, a managed identity's) share here: counting the
 * tokens that came from the sign-in endpoint rather than msal4j's cache, and telling an operator why a request failed.
 */
final class TokenOutcome {

    private final AtomicLong issued = new AtomicLong();
    private volatile int lastFingerprint;

    /** Counts {@code token} when it was not seen before (msal4j's cache hands out the same one again), and returns it. */
    String counted(String token) {
        int fingerprint = token.hashCode();
        if (issued.get() == 0 || fingerprint != lastFingerprint) {
            lastFingerprint = fingerprint;
            issued.incrementAndGet();
        }
        return token;
    }

    long issued() {
        return issued.get();
    }

    /**
     * Why a token request failed: the sign-in's own reason (a token file gone, a certificate expired), or Entra's
     * status and code, or the error's kind and first line.
     */
    static String reason(Throwable failure) {
        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
        while (!(cause instanceof TokenAcquisitionException) && !(cause instanceof MsalServiceException)
                && cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause instanceof TokenAcquisitionException signIn) {
            return signIn.getMessage();
        }
        if (cause instanceof MsalServiceException service) {
            return "HTTP " + service.statusCode() + " " + service.errorCode() + ": " + firstLine(service.getMessage());
        }
        return cause.getClass().getSimpleName() + ": " + firstLine(cause.getMessage());
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
