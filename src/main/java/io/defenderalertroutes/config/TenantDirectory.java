package io.defenderalertroutes.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code defender.tenants.dir}: a directory with one {@code <name>.properties} file per tenant, holding the tenant's
 * keys without the {@code defender.tenant.<name>.} prefix (as a Kubernetes ConfigMap of tenant files mounts them).
 * A mistake in a file is reported naming the file and its key.
 */
public final class TenantDirectory {

    public static final String KEY = "defender.tenants.dir";
    private static final String SUFFIX = ".properties";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** One tenant's file: its name (the file's, less {@code .properties}) and its keys. */
    public record TenantFile(String name, Path file, Map<String, String> keys) {

        /** The file's keys as the tenant's settings spell them: {@code defender.tenant.<name>.<key>}. */
        public Map<String, String> scoped() {
            Map<String, String> scoped = new LinkedHashMap<>();
            keys.forEach((key, value) -> scoped.put(prefix() + key, value));
            return scoped;
        }

        private String prefix() {
            return "defender.tenant." + name + ".";
        }

        /** A mistake reported for one of this tenant's keys, told as the file's own key. */
        public InvalidConfigurationException inFile(InvalidConfigurationException mistake) {
            return mistake.renamed("defender.tenant." + name + ".", file + ": ");
        }
    }

    private TenantDirectory() {
    }

    /**
     * What a look at the directory found: the files read, and those that could not be, by the name of the tenant
     * they are for (their file name, less {@code .properties}).
     */
    public record Scan(List<TenantFile> files, Map<String, InvalidConfigurationException> unreadable,
            java.util.Set<String> vanished) {
    }

    /** A file listed that was gone when read: being replaced (an editor's save, the kubelet's swap), or removed. */
    private static final class Vanished extends RuntimeException {
        Vanished() {
            super(null, null, false, false);
        }
    }

    /** The tenant files of {@code dir}, by name; other files (the kubelet's {@code ..data} links) are left alone. */
    public static List<TenantFile> read(Path dir) {
        Scan scan = scan(dir);
        if (!scan.unreadable().isEmpty()) {
            throw scan.unreadable().values().iterator().next();
        }
        return scan.files();
    }

    /**
     * Like {@link #read}, but a file that cannot be read is set aside rather than thrown: while the bundle runs,
     * one bad file must not stop the others from being taken.
     */
    public static Scan scan(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InvalidConfigurationException(KEY, dir + " is not a directory");
        }
        List<TenantFile> tenants = new ArrayList<>();
        Map<String, InvalidConfigurationException> unreadable = new TreeMap<>();
        java.util.Set<String> vanished = new java.util.TreeSet<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path file : entries.filter(f -> f.getFileName().toString().endsWith(SUFFIX))
                    .filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList()) {
                String name = file.getFileName().toString();
                name = name.substring(0, name.length() - SUFFIX.length());
                if (!NAME.matcher(name).matches()) {
                    unreadable.put(name, new InvalidConfigurationException(KEY, file + ": '" + name + "' is not a tenant "
                            + "name (letters, digits, '.', '_', '-', at most 64)"));
                    continue;
                }
                try {
                    tenants.add(new TenantFile(name, file, keysOf(file)));
                } catch (InvalidConfigurationException mistake) {
                    unreadable.put(name, mistake);
                } catch (Vanished gone) {
                    vanished.add(name);
                }
            }
        } catch (IOException e) {
            throw new InvalidConfigurationException(KEY, "cannot list " + dir + " (" + e.getClass().getSimpleName() + ")");
        }
        return new Scan(tenants, unreadable, vanished);
    }

    private static Map<String, String> keysOf(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new Vanished();
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidConfigurationException(KEY, file + ": cannot be read as a properties file ("
                    + e.getClass().getSimpleName() + ")");
        }
        Map<String, String> keys = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            String value = properties.getProperty(key).trim();
            if (key.startsWith("defender.")) {
                throw new InvalidConfigurationException(file + ": " + key, "give the key without its prefix, as "
                        + key.replaceFirst("^defender\\.(tenant\\.[^.]+\\.)?", ""));
            }
            DeprecatedKeys.Rename renamed = DeprecatedKeys.RENAMED.get("defender." + key);
            if (renamed != null) {
                // tenant files are new: they take the current names only
                throw new InvalidConfigurationException(file + ": " + key, "was renamed; use "
                        + renamed.replacement().substring("defender.".length()) + (renamed.unit() == null ? ""
                        : ", an ISO-8601 duration such as PT5M"));
            }
            keys.put(key, value);
        }
        return keys;
    }
}
