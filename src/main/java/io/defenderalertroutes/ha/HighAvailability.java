package io.defenderalertroutes.ha;

import io.defenderalertroutes.config.KafkaClientSettings;
import io.defenderalertroutes.config.Settings;
import io.defenderalertroutes.defender.AlertQuery;
import io.defenderalertroutes.observe.LeadershipChanges;
import io.defenderalertroutes.observe.PollHealthCheck;
import io.defenderalertroutes.observe.TenantMeters;
import io.defenderalertroutes.state.CheckpointStore;
import io.defenderalertroutes.state.DedupStore;
import io.defenderalertroutes.state.KafkaCheckpoints;
import io.defenderalertroutes.tenant.Tenant;
import io.defenderalertroutes.tenant.TenantNames;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.time.Duration;
import java.util.concurrent.TimeUnit;


import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.MicrometerUtils;
import org.apache.camel.support.cluster.ClusterServiceHelper;

/**
 * Several instances of the bundle for one tenant, one polling at a time: each tenant's poll timer becomes a
 * {@code master:} consumer, started only on the instance that leads the tenant's namespace of a Camel cluster
 * service. {@code defender.ha=file} uses a file lock in a directory all instances share (a docker-compose volume);
 * {@code defender.ha=cluster-service} uses whichever cluster service the deployment configured, such as a
 * Kubernetes Lease. Takeover after the leader dies takes a few heartbeats. {@code defender.ha=kafka} needs no shared
 * disk: Kafka's consumer-group protocol gives each instance its share of the tenants ({@link KafkaClusterService}),
 * and the checkpoints live in a compacted topic.
 */
public final class HighAvailability {

    /** Heartbeats a leader may miss before another instance takes over. */
    private static final int MISSED_HEARTBEATS = 3;

    private final String mode;
    private final Duration takeoverTime;
    private KafkaClusterService kafka;
    private KafkaCheckpoints checkpoints;
    /** The tenants' queries by namespace, which say whether a poll is in flight. */
    private final Map<String, AlertQuery> inFlight = new java.util.concurrent.ConcurrentHashMap<>();

    private HighAvailability(String mode, Duration takeoverTime) {
        this.mode = mode;
        this.takeoverTime = takeoverTime;
    }

    public static HighAvailability configure(Settings settings, CamelContext context) throws Exception {
        String mode = settings.string("defender.ha");
        long heartbeatMillis = settings.duration("defender.ha.heartbeat", Duration.ofMillis(100), Duration.ofMinutes(1))
                .toMillis();
        switch (mode) {
            case "none", "cluster-service" -> {
            }
            case "file" -> {
                Path root = Path.of(settings.string("defender.ha.file.root",
                        Path.of(settings.string("defender.state-dir")).resolve("cluster").toString()));
                FileLockClusterService service = new FileLockClusterService();
                service.setId("defender-ha-file");
                service.setRoot(root.toString());
                service.setAcquireLockInterval(heartbeatMillis, TimeUnit.MILLISECONDS);
                service.setAcquireLockDelay(100, TimeUnit.MILLISECONDS);
                // a leader whose heartbeat is 3 intervals old is taken over
                service.setHeartbeatTimeoutMultiplier(MISSED_HEARTBEATS);
                context.addService(service);
            }
            case "kafka" -> {
                if (!settings.string("defender.dedup").equals("kafka")) {
                    throw settings.problem("defender.dedup", "must be kafka with defender.ha=kafka: the instances share "
                            + "no disk, so the dedup keys are kept in Kafka too");
                }
                int sessionTimeout = (int) settings.duration("defender.ha.kafka.session-timeout", Duration.ofSeconds(6),
                        Duration.ofMinutes(5)).toMillis();
                java.util.function.Supplier<java.util.Properties> client = () -> KafkaClientSettings.of(context);
                HighAvailability ha = new HighAvailability(mode, Duration.ofMillis(sessionTimeout));
                ha.kafka = new KafkaClusterService(client, settings.string("defender.ha.kafka.topic"),
                        settings.string("defender.ha.kafka.group"), settings.integer("defender.ha.kafka.slots", 1, 10_000),
                        sessionTimeout);
                ha.checkpoints = new KafkaCheckpoints(client, settings.string("defender.ha.kafka.checkpoint-topic"));
                // the checkpoints first: a tenant's first poll as leader reads its checkpoint
                context.addService(ha.checkpoints);
                context.addService(ha.kafka);
                ha.kafka.drainWith(ns -> {
                    AlertQuery query = ha.inFlight.get(ns);
                    // and its exchange still in flight (the namespace is the poll route's id): a poll that the
                    // lost lead cut short (the master consumer stops the route's processors, and the exchange ends
                    // rejected, without the steps that clear polling()) would otherwise hold the revocation, and
                    // with it every slot's handover, for the whole drain timeout
                    return query != null && query.polling() && context.getInflightRepository().size(ns) > 0;
                });
                return ha;
            }
            default -> throw settings.problem("defender.ha", "unknown mode '" + mode
                    + "'; expected none, file (a lock in a shared directory), kafka (a consumer group, for instances that "
                    + "share no disk) or cluster-service (one you configured)");
        }
        return new HighAvailability(mode, Duration.ofMillis((long) heartbeatMillis * MISSED_HEARTBEATS));
    }

    /** What the HA wiring needs of a tenant to share the tenants among the instances. */
    public record Tenant(String name, AlertQuery query, CheckpointStore checkpoints) {
    }

    /**
     * A tenant joins this instance's share: with {@code defender.ha=kafka} its checkpoint is kept in the topic, and a
     * slot taken away waits for its poll in flight. Its slot comes from its name ({@link KafkaClusterService}), so
     * a tenant that joins or leaves while the bundle runs moves no other.
     */
    public void join(Tenant tenant) {
        if (kafka == null) {
            return;
        }
        inFlight.put(namespace(tenant.name()), tenant.query());
        tenant.checkpoints().keepIn(checkpoints);
    }

    /**
     * With {@code defender.ha=kafka}: tombstones the checkpoint of a tenant removed for longer than
     * {@code defender.tenants.dir.keep-state}, so that its file put back starts afresh. Without, nothing.
     */
    public void forgetCheckpoint(String tenant) {
        if (checkpoints != null) {
            checkpoints.forget(tenant);
        }
    }

    /** A tenant removed while the bundle runs, after its last poll ended. */
    public void leave(String tenant) {
        inFlight.remove(namespace(tenant));
    }

    public boolean enabled() {
        return !mode.equals("none");
    }

    public String leadershipPrefix(String tenant) {
        return leadershipOf(namespace(tenant));
    }

    /** The prefix that makes a consumer run on the instance leading the namespace only; empty without HA. */
    public String leadershipOf(String namespace) {
        return enabled() ? "master:" + namespace + ":" : "";
    }

    /**
     * Like {@link #leadershipOf}, for work on files in {@code defender.state-dir}: with {@code defender.ha=kafka} each
     * instance has a directory of its own, so each does its own (empty prefix).
     */
    public String leadershipOfStateDir(String namespace) {
        return kafka != null ? "" : leadershipOf(namespace);
    }

    static String namespace(String tenant) {
        return new TenantNames(tenant).haNamespace();
    }

    /**
     * Lets the tenant's readiness say whether this instance leads it or stands by, counts and logs each change of
     * that role (warning when changes come faster than a takeover can), and has a new leader poll at once, once.
     * Watching starts with the context, or at once for a tenant added to a running one.
     *
     * @param takeoverPoll given whether this instance still leads the tenant, what to run on each takeover
     * @return what ends the watch, for a tenant removed while the bundle runs
     */
    public AutoCloseable watchLeadership(CamelContext context, String tenant, PollHealthCheck health, AlertQuery query,
            DedupStore dedup, Function<BooleanSupplier, Runnable> takeoverPoll) throws Exception {
        if (!enabled()) {
            return () -> { };
        }
        String namespace = namespace(tenant);
        LeadershipChanges changes = new LeadershipChanges(tenant, takeoverTime);
        health.leadership(changes::leading);
        // a poll that loses the lead part-way keeps its checkpoint from moving
        query.fence(changes::term);
        // and a new lead's first poll reads the keys its predecessor delivered, all of them
        dedup.followLeadTerm(changes::term);
        Runnable takeover = takeoverPoll.apply(changes::leading);
        LeadershipWatch watch = new LeadershipWatch(namespace, tenant, changes, takeover);
        if (context.isStarted()) {
            watch.onCamelContextStarted(context, true);
        } else {
            context.addStartupListener(watch);
        }
        return watch;
    }

    /** One tenant's watch on its namespace's leadership, from the first election on. */
    private static final class LeadershipWatch implements StartupListener, AutoCloseable {

        private final String namespace;
        private final String tenant;
        private final LeadershipChanges changes;
        private final Runnable takeover;
        private boolean watching;
        private boolean closed;
        private CamelClusterService service;
        private CamelClusterView view;
        private CamelClusterEventListener.Leadership listener;

        LeadershipWatch(String namespace, String tenant, LeadershipChanges changes, Runnable takeover) {
            this.namespace = namespace;
            this.tenant = tenant;
            this.changes = changes;
            this.takeover = takeover;
        }

        /** Before the routes' consumers start, so that the first election is seen too. */
        @Override
        public synchronized void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) throws Exception {
            if (watching || closed) {
                return;
            }
            watching = true;
            service = ClusterServiceHelper.mandatoryLookupService(ctx);
            view = service.getView(namespace);
            listener = (v, leader) -> {
                if (changes.observe(v.getLocalMember().isLeader())) {
                    takeover.run();
                }
            };
            view.addEventListener(listener);
            if (changes.observe(view.getLocalMember().isLeader())) {
                takeover.run();
            }
            TenantMeters.bindLeadership(MicrometerUtils.getOrCreateMeterRegistry(ctx.getRegistry(),
                    MicrometerConstants.METRICS_REGISTRY_NAME), tenant, changes);
        }

        @Override
        public synchronized void close() throws Exception {
            closed = true;
            if (view != null) {
                view.removeEventListener(listener);
                // the view is counted per user: the poller's master consumer has released its own
                service.releaseView(view);
                view = null;
            }
        }
    }
}
