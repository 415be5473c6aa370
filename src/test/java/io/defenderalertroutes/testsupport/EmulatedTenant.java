package io.defenderalertroutes.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.defenderalertroutes.emulator.DefenderEmulator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The set-up most tests share, for each test: a started emulator that knows the test tenant's app registration, a
 * directory of the test's own, and the bundle's settings for that tenant there ({@link Bundle#tenantOn}); playbook
 * handlers on demand. Everything is closed and removed after the test.
 * <pre>
 * &#64;RegisterExtension
 * final EmulatedTenant tenant = new EmulatedTenant();
 * </pre>
 */
public final class EmulatedTenant implements BeforeEachCallback, AfterEachCallback {

    private DefenderEmulator emulator;
    private Path dir;
    private Map<String, String> settings;
    private final List<PlaybookHandler> handlers = new ArrayList<>();

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("defender-test-");
        emulator = Emulated.tenant();
        settings = Bundle.tenantOn(emulator.baseUrl(), dir);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        handlers.forEach(PlaybookHandler::close);
        handlers.clear();
        emulator.close();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    public DefenderEmulator emulator() {
        return emulator;
    }

    /** The test's own directory; the bundle's state and alert files go under it. */
    public Path dir() {
        return dir;
    }

    /** The bundle's settings for the test tenant, to change before {@link #start()}. */
    public Map<String, String> settings() {
        return settings;
    }

    /** The bundle, started with the settings as they are now. */
    public Bundle start() throws Exception {
        return Bundle.start(settings);
    }

    /** The tenant run through {@code entry}: the bundle, or an application of the Kamelet alone. */
    public Bundle start(EntryPoint entry) throws Exception {
        return Bundle.start(entry, settings);
    }

    /**
     * Several tenants instead of the one: the test tenant as the first name, each other name with the tenant ID
     * given, all registered with the emulator under the test's client, in {@code defender.tenants}.
     */
    public void asTenants(String firstName, Map<String, String> otherTenantIds) {
        settings.remove("defender.tenant-name");
        String first = settings.remove("defender.tenant-id");
        List<String> names = new ArrayList<>(List.of(firstName));
        settings.put("defender.tenant." + firstName + ".tenant-id", first);
        otherTenantIds.forEach((name, id) -> {
            emulator.registerClient(id, Bundle.CLIENT_ID, Bundle.CLIENT_SECRET);
            settings.put("defender.tenant." + name + ".tenant-id", id);
            names.add(name);
        });
        settings.put("defender.tenants", String.join(",", names));
    }

    /** A new playbook handler, closed after the test. */
    public PlaybookHandler handler() throws IOException {
        PlaybookHandler handler = new PlaybookHandler();
        handlers.add(handler);
        return handler;
    }

    /** The ids of the alerts delivered to the file sink, in order. */
    public List<String> delivered() {
        return AlertFiles.alertIds(dir.resolve("alerts"));
    }
}
