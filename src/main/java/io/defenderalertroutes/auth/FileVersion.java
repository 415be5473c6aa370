package io.defenderalertroutes.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A file's modification time and size: enough to notice a rewrite. The kubelet swaps a symbolic link to update a
 * mounted Secret, so the attributes are those of the file the link leads to now.
 */
record FileVersion(long modifiedMillis, long size, Object fileKey) {

    static FileVersion of(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new FileVersion(attributes.lastModifiedTime().toMillis(), attributes.size(), attributes.fileKey());
        } catch (IOException e) {
            // unreadable now: reading it will say why
            return new FileVersion(-1, -1, null);
        }
    }
}
