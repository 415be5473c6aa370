package io.defenderalertroutes.observe;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

import io.micrometer.core.instrument.Counter;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.MicrometerUtils;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenant files of {@code defender.tenants.dir} refused while the bundle runs: each is logged once, counted in
 * {@code defender_tenant_config_errors_total{tenant}}, shown on the status page and held DOWN in readiness under the
 * tenant's name until its file is mended or removed. A tenant that was running keeps running on its previous
 * settings meanwhile; the refusal says so.
 */
public final class TenantFileRefusals {

    private static final Logger LOG = LoggerFactory.getLogger(TenantFileRefusals.class);

    /** One refused file: why, and whether the tenant runs on its previous settings meanwhile. */
    private record Refusal(String reason, boolean stillRunning, Instant at, Check check) {
    }

    private final CamelContext context;
    private final Clock clock;
    private final Map<String, Refusal> refused = new ConcurrentSkipListMap<>();

    public TenantFileRefusals(CamelContext context, Clock clock) {
        this.context = context;
        this.clock = clock;
    }

    /**
     * @param reason       one line naming the file and the key
     * @param stillRunning whether the tenant polls on with the settings it had before the file changed
     */
    public synchronized void refuse(String tenant, String reason, boolean stillRunning) {
        Refusal previous = refused.get(tenant);
        if (previous != null && previous.reason().equals(reason) && previous.stillRunning() == stillRunning) {
            return;
        }
        LOG.warn("Tenant file refused: {}{}", reason, stillRunning ? "; the tenant runs on with its previous settings"
                : "; the tenant is not polled");
        Counter.builder("defender.tenant.config.errors")
                .description("Tenant files of defender.tenants.dir refused while the bundle runs").tag("tenant", tenant)
                .register(MicrometerUtils.getOrCreateMeterRegistry(context.getRegistry(),
                        MicrometerConstants.METRICS_REGISTRY_NAME)).increment();
        Check check = previous != null ? previous.check() : register(tenant);
        refused.put(tenant, new Refusal(reason, stillRunning, clock.instant(), check));
    }

    /** The tenant's file is taken, or gone: its refusal ends. */
    public synchronized void clear(String tenant) {
        Refusal gone = refused.remove(tenant);
        if (gone != null && gone.check() != null) {
            HealthCheckRegistry health = HealthCheckRegistry.get(context);
            if (health != null) {
                health.unregister(gone.check());
            }
        }
    }

    /** For the status page, above the tenants. */
    public List<StatusReport.Notice> notices() {
        return refused.entrySet().stream().map(e -> new StatusReport.Notice("Tenant " + e.getKey(), e.getValue().reason(),
                (e.getValue().stillRunning() ? "It polls on with the settings loaded before. " : "It is not polled. ")
                        + "Mend the file: it is read again within defender.tenants.dir.rescan, or at once with "
                        + "POST /observe/tenants/reload.")).toList();
    }

    private Check register(String tenant) {
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health == null) {
            return null;
        }
        Check check = new Check(tenant);
        check.setCamelContext(context);
        health.register(check);
        return check;
    }

    /** Readiness of a refused file's tenant: DOWN with the reason. */
    private final class Check extends AbstractHealthCheck {

        private final String tenant;

        Check(String tenant) {
            super("defender", "defender-tenant-file-" + tenant);
            this.tenant = tenant;
        }

        @Override
        public boolean isLiveness() {
            // a file to mend is no reason to restart the process
            return false;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            Refusal refusal = refused.get(tenant);
            builder.detail("tenant", tenant);
            if (refusal == null) {
                builder.up();
            } else {
                builder.detail("refused.at", refusal.at().toString()).down().message(refusal.reason());
            }
        }
    }
}
