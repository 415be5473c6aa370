package io.defenderalertroutes.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files that hold one secret value (a client secret, a PKCS#12 password, a federated token), as mounted Secrets do. */
final class SecretFiles {

    private SecretFiles() {
    }

    /**
     * The file's text without surrounding blanks (a mounted Secret often ends in a newline).
     *
     * @param called how errors name the file, e.g. "file /run/secrets/x"
     * @throws IllegalArgumentException saying the file is empty or cannot be read, never what it holds
     */
    static String read(Path file, String called) {
        try {
            String value = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (value.isEmpty()) {
                throw new IllegalArgumentException(called + " is empty");
            }
            return value;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + called + " (" + e.getClass().getSimpleName() + ")");
        }
    }
}
