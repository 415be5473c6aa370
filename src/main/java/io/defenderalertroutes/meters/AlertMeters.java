package io.defenderalertroutes.meters;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.defenderalertroutes.tenant.Tenant;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.MicrometerUtils;

/**
 * The per-alert counters, called from the alert flow and the sink routes ({@code bean} steps). Per-poll and
 * per-call meters are {@code micrometer:} steps; per alert, those cost 12 % of the bundle's CPU in the benchmark
 * (the producer clears its control headers by a regular expression against every header), so these counters are
 * looked up once and incremented directly. Same registry, same names, a {@code tenant} tag on each.
 */
public final class AlertMeters {

    /** The exchange property the sinks' error handler sets on an alert it dead-lettered (routes/dead-letters.camel.yaml). */
    public static final String DEAD_LETTERED = "DefenderDeadLettered";

    /**
     * The header naming the sink that failed, which the sinks' error handler sets on a dead letter. Defined here, below
     * the sinks that set it, because the meters count by it and the sinks count through the meters.
     */
    public static final String FAILED_SINK = "Defender-Failed-Sink";

    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private volatile MeterRegistry registry;

    public void fetched(Exchange exchange) {
        count(exchange, "defender.alerts.fetched", null);
    }

    public void matched(Exchange exchange) {
        count(exchange, "defender.alerts.matched", null);
    }

    public void duplicate(Exchange exchange) {
        count(exchange, "defender.alerts.duplicates", null);
    }

    /**
     * Called at the end of a sink route. A sink that failed hands the alert to the dead letter and goes on
     * ({@code continued}), so a dead-lettered alert reaches this step too, marked, and is not counted here.
     */
    public void delivered(Exchange exchange, String sink) {
        if (!exchange.getProperty(DEAD_LETTERED, false, Boolean.class)) {
            count(exchange, "defender.alerts.delivered", sink);
        }
    }

    /** An alert a {@code stop} ended on purpose: in the alert flow ({@code by} alert-flow) or in a sink's route. */
    public void dropped(Exchange exchange, String by) {
        count(exchange, "defender.alerts.dropped", "by", by);
    }

    public void deadLettered(Exchange exchange) {
        count(exchange, "defender.alerts.dead.lettered",
                exchange.getMessage().getHeader(FAILED_SINK, "unknown", String.class));
    }

    private void count(Exchange exchange, String name, String sink) {
        count(exchange, name, "sink", sink);
    }

    private void count(Exchange exchange, String name, String tag, String value) {
        String tenant = Tenant.nameOf(exchange);
        String key = name + '|' + tenant + '|' + value;
        Counter counter = counters.get(key);
        if (counter == null) {
            counter = counters.computeIfAbsent(key, k -> {
                Counter.Builder builder = Counter.builder(name).tag("tenant", tenant);
                if (value != null) {
                    builder.tag(tag, value);
                }
                return builder.register(registry(exchange));
            });
        }
        counter.increment();
    }

    private MeterRegistry registry(Exchange exchange) {
        if (registry == null) {
            registry = MicrometerUtils.getOrCreateMeterRegistry(exchange.getContext().getRegistry(),
                    MicrometerConstants.METRICS_REGISTRY_NAME);
        }
        return registry;
    }
}
