package io.defenderalertroutes.auth;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.defenderalertroutes.config.Settings;

/**
 * Reads how a tenant signs in ({@code defender.auth.method} and the keys of its method) and refuses, in one line
 * naming the key, a method it does not know, a file it cannot use, and keys given for a method the tenant does not
 * use (which would otherwise be silently ignored).
 */
public final class SignInSettings {

    public static final String METHOD = "defender.auth.method";
    private static final String SECRET = "defender.client-secret";
    private static final String SECRET_FILE = "defender.client-secret-file";
    private static final String CERTIFICATE = "defender.auth.certificate.path";
    private static final String PASSWORD = "defender.auth.certificate.password";
    private static final String PASSWORD_FILE = "defender.auth.certificate.password-file";
    private static final String SEND_X5C = "defender.auth.certificate.send-x5c";
    private static final String TOKEN_FILE = "defender.auth.federated-token-file";
    /** The keys that belong to each method; any of them given for a tenant using another method is refused. */
    private static final Map<String, List<String>> KEYS = Map.of(
            "client-secret", List.of(SECRET, SECRET_FILE),
            "certificate", List.of(CERTIFICATE, PASSWORD, PASSWORD_FILE),
            "workload-identity", List.of(TOKEN_FILE),
            "managed-identity", List.of());

    private SignInSettings() {
    }

    /** The tenant's method: client-secret (the default), certificate, workload-identity or managed-identity. */
    public static String method(Settings settings) {
        String method = settings.string(METHOD);
        if (!KEYS.containsKey(method)) {
            throw settings.problem(METHOD, "unknown method '" + method + "'; expected client-secret, certificate, "
                    + "workload-identity or managed-identity");
        }
        return method;
    }

    /**
     * @param environment the process's environment variables (AZURE_FEDERATED_TOKEN_FILE)
     */
    public static SignIn read(Settings settings, Clock clock, Function<String, String> environment) {
        String method = method(settings);
        KEYS.forEach((other, keys) -> {
            if (!other.equals(method)) {
                for (String key : keys) {
                    if (settings.sensitiveOwn(key).isPresent()) {
                        throw settings.problem(key, "belongs to " + METHOD + "=" + other + ", but this tenant signs in "
                                + "with " + method + "; remove it, or set " + settings.name(METHOD) + "=" + other);
                    }
                }
            }
        });
        // read for every tenant, so that it is a tenant's key like the others; true means something for certificates
        // only, and only a tenant's own true (or a single tenant's) is refused: a shared one is for the others
        settings.bool(SEND_X5C);
        if (!method.equals("certificate") && settings.optionalOwn(SEND_X5C).map(Boolean::parseBoolean).orElse(false)) {
            throw settings.problem(SEND_X5C, "is true, but this tenant signs in with " + method + "; it applies to "
                    + METHOD + "=certificate only");
        }
        return switch (method) {
            case "certificate" -> certificate(settings, clock);
            case "workload-identity" -> workloadIdentity(settings, environment);
            case "managed-identity" -> new ManagedIdentitySignIn();
            default -> secret(settings);
        };
    }

    private static SignIn secret(Settings settings) {
        ValueOrFile given = ValueOrFile.of(settings, SECRET, SECRET_FILE);
        Optional<String> inline = given.value();
        Optional<String> file = given.file();
        if (file.isPresent()) {
            try {
                return SecretSignIn.fromFile(Path.of(file.get()), settings.name(SECRET_FILE));
            } catch (IllegalArgumentException e) {
                throw settings.problem(SECRET_FILE, e.getMessage());
            }
        }
        return SecretSignIn.of(new ClientSecret(inline.orElseThrow(() -> settings.problem(SECRET,
                "is required: set it (for example as an environment variable), or " + settings.name(SECRET_FILE)
                        + " to a file holding it, or sign in with a certificate or a workload identity ("
                        + settings.name(METHOD) + ")"))));
    }

    private static SignIn certificate(Settings settings, Clock clock) {
        Path file = Path.of(settings.optional(CERTIFICATE).orElseThrow(() -> settings.problem(CERTIFICATE,
                "is required with " + METHOD + "=certificate: a PEM file with the private key and the certificate, or "
                        + "a PKCS#12 file (.p12, .pfx)")));
        ValueOrFile given = ValueOrFile.of(settings, PASSWORD, PASSWORD_FILE);
        Optional<String> inline = given.value();
        Optional<String> passwordFile = given.file();
        String passwordKey = passwordFile.isPresent() ? PASSWORD_FILE : inline.isPresent() ? PASSWORD : CERTIFICATE;
        try {
            return new CertificateSignIn(file, settings.name(CERTIFICATE), inline.map(String::toCharArray).orElse(null),
                    passwordFile.map(Path::of).orElse(null), settings.bool(SEND_X5C), clock);
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            // a wrong or unreadable password is the password's key's fault, everything else the file's
            throw settings.problem(message.startsWith("the password") || message.contains("the password file")
                    ? passwordKey : CERTIFICATE, message);
        }
    }

    /** A secret given as a value or as a file holding it: at most one of the two. */
    private record ValueOrFile(Optional<String> value, Optional<String> file) {

        /**
         * A tenant's own value or file wins over the shared pair, so that a secret shared by the other tenants does
         * not clash with a tenant's own file; of one kind (the tenant's, or the shared ones), both at once is a mistake.
         */
        static ValueOrFile of(Settings settings, String valueKey, String fileKey) {
            Optional<String> value = settings.sensitiveOwn(valueKey);
            Optional<String> file = settings.optionalOwn(fileKey);
            if (value.isEmpty() && file.isEmpty()) {
                value = settings.sensitive(valueKey);
                file = settings.optional(fileKey);
            }
            if (value.isPresent() && file.isPresent()) {
                throw settings.problem(fileKey, "set either " + settings.name(valueKey) + " or this file, not both");
            }
            return new ValueOrFile(value, file);
        }
    }

    private static SignIn workloadIdentity(Settings settings, Function<String, String> environment) {
        Optional<String> file = settings.optional(TOKEN_FILE)
                .or(() -> Optional.ofNullable(environment.apply("AZURE_FEDERATED_TOKEN_FILE")).filter(v -> !v.isBlank()));
        if (file.isEmpty()) {
            throw settings.problem(TOKEN_FILE, "is required with " + METHOD + "=workload-identity (or the environment "
                    + "variable AZURE_FEDERATED_TOKEN_FILE, which AKS workload identity sets)");
        }
        try {
            return new FederatedTokenSignIn(Path.of(file.get()), settings.name(TOKEN_FILE));
        } catch (IllegalArgumentException e) {
            throw settings.problem(TOKEN_FILE, e.getMessage());
        }
    }
}
