package io.defenderalertroutes.assembly;

import io.defenderalertroutes.config.Settings;
import io.defenderalertroutes.sinks.DeadLetterReplay;
import io.defenderalertroutes.sinks.DeadLetters;
import io.defenderalertroutes.tenant.Tenant;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.MicrometerUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead letter's replay ({@code defender.dead-letter.replay-interval}): on when the dead letter is a directory,
 * its letters indexed at start-up, the timer route made from its template (led by one instance with
 * {@code defender.ha}), and the beans of the replay and hold routes bound.
 */
public final class DeadLetterSetup {

    static final String TIMER_TEMPLATE = "defender-dead-letter-replay-timer";
    static final String TIMER_ROUTE = "defender-dead-letter-replay-timer";
    public static final String HA_NAMESPACE = "defender-dead-letter-replay";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterSetup.class);

    private DeadLetterSetup() {
    }

    /** The routes' beans where there is no replay (a Kamelet-only application, a dead letter that is no directory). */
    static void bindUnused(CamelContext context) {
        DeadLetters none = new DeadLetters(null);
        context.getRegistry().bind(DeadLetters.BEAN, none);
        context.getRegistry().bind("defenderDeadLetterReplay", new DeadLetterReplay(none, Map.of(), Duration.ofMinutes(1),
                Duration.ofMinutes(1), Clock.systemUTC()));
    }

    /** @return the replay, or null when it is off */
    /** @param tenants the tenants by name, read at each replay (tenants come and go while the bundle runs) */
    public static DeadLetterReplay configure(CamelContext context, Settings settings, Map<String, Tenant> tenants,
            TenantRoutes routes, String leadership, Clock clock) throws Exception {
        String uri = settings.string("defender.dead-letter");
        Duration interval = settings.duration("defender.dead-letter.replay-interval");
        Duration max = settings.duration("defender.dead-letter.replay-max-interval");
        Path directory = DeadLetters.directoryOf(uri);
        if (interval.isZero() || uri.equals("none")) {
            return null;
        }
        if (directory == null) {
            throw settings.problem("defender.dead-letter.replay-interval", "replays a dead letter in a directory "
                    + "(file:...), not " + uri + ": set it to PT0S for this dead letter, whose letters are yours to replay");
        }
        if (interval.compareTo(Duration.ofSeconds(1)) < 0 || max.compareTo(interval) < 0) {
            throw settings.problem("defender.dead-letter.replay-max-interval", "must be at least "
                    + "defender.dead-letter.replay-interval (" + interval + "), which must be at least PT1S; was " + max);
        }
        DeadLetters letters = new DeadLetters(directory);
        DeadLetterReplay replay = new DeadLetterReplay(letters, tenants, interval, max, clock);
        context.getRegistry().bind(DeadLetters.BEAN, letters);
        context.getRegistry().bind("defenderDeadLetterReplay", replay);
        routes.addRoute(TIMER_ROUTE, Map.of(org.apache.camel.spi.RouteTemplateParameterSource.TEMPLATE_ID, TIMER_TEMPLATE,
                "leadership", leadership, "intervalMillis", interval.toMillis()));
        context.addStartupListener(new StartupListener() {
            private boolean loaded;

            /** Before the polls: an alert must find the letters of earlier runs it is to wait behind. */
            @Override
            public synchronized void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) throws Exception {
                if (!loaded) {
                    loaded = true;
                    MeterRegistry meters = MicrometerUtils.getOrCreateMeterRegistry(ctx.getRegistry(),
                            MicrometerConstants.METRICS_REGISTRY_NAME);
                    letters.load(ctx, meters);
                    if (!leadership.isEmpty()) {
                        var view = org.apache.camel.support.cluster.ClusterServiceHelper.mandatoryLookupService(ctx)
                                .getView(HA_NAMESPACE);
                        replay.leadership(() -> view.getLocalMember().isLeader());
                    }
                }
            }
        });
        LOG.debug("Dead letters in {} are replayed every {} (backing off up to {})", directory, interval, max);
        return replay;
    }
}
