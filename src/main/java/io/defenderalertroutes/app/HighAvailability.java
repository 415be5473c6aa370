package io.defenderalertroutes.app;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.support.cluster.ClusterServiceHelper;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several instances of the bundle for one tenant, one polling at a time: each tenant's poll timer becomes a
 * {@code master:} consumer, started only on the instance that leads the tenant's namespace of a Camel cluster
 * service. {@code defender.ha=file} uses a file lock in a directory all instances share (a docker-compose volume);
 * {@code defender.ha=cluster-service} uses whichever cluster service the deployment configured, such as a
 * Kubernetes Lease. Takeover after the leader dies takes a few heartbeats.
 */
final class HighAvailability {

    private static final Logger LOG = LoggerFactory.getLogger(HighAvailability.class);

    private final String mode;

    private HighAvailability(String mode) {
        this.mode = mode;
    }

    static HighAvailability configure(Settings settings, CamelContext context) throws Exception {
        String mode = settings.string("defender.ha", "none");
        switch (mode) {
            case "none", "cluster-service" -> {
            }
            case "file" -> {
                Path root = Path.of(settings.string("defender.ha.file.root",
                        Path.of(settings.string("defender.state-dir", "state")).resolve("cluster").toString()));
                int heartbeatMillis = settings.integer("defender.ha.heartbeat-ms", 2000, 100, 60_000);
                FileLockClusterService service = new FileLockClusterService();
                service.setId("defender-ha-file");
                service.setRoot(root.toString());
                service.setAcquireLockInterval(heartbeatMillis, TimeUnit.MILLISECONDS);
                service.setAcquireLockDelay(100, TimeUnit.MILLISECONDS);
                // a leader whose heartbeat is 3 intervals old is taken over
                service.setHeartbeatTimeoutMultiplier(3);
                context.addService(service);
            }
            default -> throw settings.problem("defender.ha", "unknown mode '" + mode
                    + "'; expected none, file (a lock in a shared directory) or cluster-service (one you configured)");
        }
        return new HighAvailability(mode);
    }

    boolean enabled() {
        return !mode.equals("none");
    }

    String leadershipPrefix(String tenant) {
        return enabled() ? "master:" + namespace(tenant) + ":" : "";
    }

    static String namespace(String tenant) {
        return "defender-poll-" + tenant;
    }

    /**
     * Lets the tenant's readiness say whether this instance leads it or stands by, and makes a new leader poll at
     * once: the instance it replaces may have died mid-poll, and the timer would otherwise wait a whole interval.
     */
    void watchLeadership(CamelContext context, TenantPipeline tenant) throws Exception {
        if (!enabled()) {
            return;
        }
        String namespace = namespace(tenant.name());
        tenant.health().leadership(() -> {
            CamelClusterService service = ClusterServiceHelper.lookupService(context).orElse(null);
            return service != null && service.isLeader(namespace);
        });
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) throws Exception {
                CamelClusterService service = ClusterServiceHelper.mandatoryLookupService(ctx);
                CamelClusterView view = service.getView(namespace);
                view.addEventListener((CamelClusterEventListener.Leadership) (v, leader) -> {
                    if (leader != null && leader.isLocal()) {
                        pollOnceStarted(ctx, tenant);
                    }
                });
                if (view.getLocalMember().isLeader()) {
                    pollOnceStarted(ctx, tenant);
                }
            }
        });
    }

    /**
     * Polls as soon as the master consumer has started the tenant's timer, which it does shortly after election;
     * until then Quartz runs the job without a consumer, which does nothing, so the trigger is repeated until a
     * poll has opened its window.
     */
    private static void pollOnceStarted(CamelContext context, TenantPipeline tenant) {
        String name = tenant.name();
        Thread poll = new Thread(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            long before = tenant.alertQuery().pollsStarted();
            try {
                Scheduler scheduler = context.getComponent("quartz", QuartzComponent.class).getScheduler();
                while (System.nanoTime() < deadline && context.getStatus().isStarted()) {
                    scheduler.triggerJob(JobKey.jobKey("poll-" + name, "defender"));
                    Thread.sleep(500);
                    if (tenant.alertQuery().pollsStarted() > before) {
                        LOG.info("This instance now leads tenant {} and polled at once", name);
                        return;
                    }
                }
                LOG.warn("Tenant {}: leadership taken but its poll timer did not start; it polls at its next interval", name);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.warn("Tenant {}: could not poll at takeover ({}); it polls at its next interval", name, e.toString());
            }
        }, "defender-takeover-" + name);
        poll.setDaemon(true);
        poll.start();
    }
}
