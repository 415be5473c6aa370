package io.defenderalertroutes.app;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.Scheduler;
import org.quartz.TriggerKey;

/**
 * Starts the Quartz scheduler once every route is up, after moving each tenant's first poll one interval into
 * the future unless it should poll at once. Camel's Quartz endpoint always starts a simple trigger now when
 * the scheduler is not running yet, and the seed service's first poll comes one interval after activation.
 * Needs {@code camel.component.quartz.auto-start-scheduler=false}.
 */
final class PollScheduleStarter implements ExtendedStartupListener {

    private final Map<TriggerKey, Long> firstPollDelayMillis;

    PollScheduleStarter(Map<TriggerKey, Long> firstPollDelayMillis) {
        this.firstPollDelayMillis = Map.copyOf(firstPollDelayMillis);
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // the routes and their triggers exist only once the context is fully started
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
        Scheduler scheduler = context.getComponent("quartz", QuartzComponent.class).getScheduler();
        for (Map.Entry<TriggerKey, Long> entry : firstPollDelayMillis.entrySet()) {
            if (entry.getValue() > 0) {
                TenantRoutes.fireIn(scheduler, entry.getKey(), entry.getValue());
            }
        }
        if (!scheduler.isStarted()) {
            scheduler.start();
        }
    }
}
