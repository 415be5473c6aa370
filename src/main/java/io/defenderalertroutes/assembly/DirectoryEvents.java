package io.defenderalertroutes.assembly;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks for a look at the tenant directory (the route {@code direct:defender-tenants-reload}) as soon as the file
 * system reports a change in it, so that a tenant added by hand polls within seconds rather than at the next rescan.
 * Events that come together (an editor's save, the kubelet's swap of its {@code ..data} link) make one look. Some
 * changes are never reported (a symlink swapped under a watched directory, a network file system): the periodic
 * rescan is what guarantees a change is taken.
 */
final class DirectoryEvents extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryEvents.class);
    private static final long SETTLE_MILLIS = 200;

    private final CamelContext context;
    private final Path dir;
    private final String endpoint;
    private WatchService watcher;
    private Thread thread;

    DirectoryEvents(CamelContext context, Path dir, String endpoint) {
        this.context = context;
        this.dir = dir;
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws IOException {
        watcher = dir.getFileSystem().newWatchService();
        dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        thread = new Thread(this::watch, "defender-tenants-dir");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch() {
        ProducerTemplate producer = context.createProducerTemplate();
        try {
            while (true) {
                WatchKey key = watcher.take();
                drain(key);
                // let a burst of events settle into one look
                WatchKey more;
                while ((more = watcher.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS)) != null) {
                    drain(more);
                }
                try {
                    producer.sendBody(endpoint, null);
                } catch (RuntimeException e) {
                    LOG.warn("A look at the tenant directory {} failed: {}", dir, e.toString());
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException stopping) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                producer.stop();
            } catch (RuntimeException ignored) {
                // stopping anyway
            }
        }
    }

    private static void drain(WatchKey key) {
        key.pollEvents();
        key.reset();
    }

    @Override
    protected void doStop() throws IOException {
        if (watcher != null) {
            watcher.close();
        }
    }
}
