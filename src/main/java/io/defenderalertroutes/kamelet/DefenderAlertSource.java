package io.defenderalertroutes.kamelet;

import java.time.Clock;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

import io.defenderalertroutes.app.Settings;
import io.defenderalertroutes.app.TenantPipeline;
import io.defenderalertroutes.defender.DefenderAlert;
import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The {@code defender-alert-source} Kamelet's one bean: a tenant's pipeline built from the Kamelet's parameters,
 * with the methods its route calls. It is also the route's idempotent repository, so that the idempotent
 * consumer starts it, which builds and checks everything before the first poll.
 */
public final class DefenderAlertSource extends ServiceSupport implements IdempotentRepository {

    private final Map<String, String> settings = new HashMap<>();
    private volatile TenantPipeline pipeline;

    private void put(String key, String value) {
        if (value != null && !value.isBlank()) {
            settings.put(key, value);
        }
    }

    // Kamelet parameters, set by Camel from the Kamelet's bean properties
    public void setTenantName(String value) { put("defender.tenant-name", value); }
    public void setTenantId(String value) { put("defender.tenant-id", value); }
    public void setClientId(String value) { put("defender.client-id", value); }
    public void setClientSecret(String value) { put("defender.client-secret", value); }
    public void setCloud(String value) { put("defender.cloud", value); }
    public void setSource(String value) { put("defender.source", value); }
    public void setAuthorityUrl(String value) { put("defender.authority-url", value); }
    public void setApiUrl(String value) { put("defender.api-url", value); }
    public void setScope(String value) { put("defender.scope", value); }
    public void setStatus(String value) { put("defender.trigger.status", value); }
    public void setSeverity(String value) { put("defender.trigger.severity", value); }
    public void setCategory(String value) { put("defender.trigger.category", value); }
    public void setTriggerForUpdates(String value) { put("defender.trigger.updates", value); }
    public void setPollIntervalMinutes(String value) { put("defender.poll.interval-minutes", value); }
    public void setMaxHistoricalStart(String value) { put("defender.poll.max-historical-start", value); }
    public void setPageSize(String value) { put("defender.poll.page-size", value); }
    public void setExpandEvidence(String value) { put("defender.poll.expand-evidence", value); }
    public void setStateDir(String value) { put("defender.state-dir", value); }
    public void setDedup(String value) { put("defender.dedup", value); }

    @Override
    protected void doStart() {
        Map<String, String> values = new HashMap<>(settings);
        // the Kamelet hands alerts to whatever follows it; it has no sinks of its own
        values.put("defender.sinks", "kamelet:sink");
        pipeline = TenantPipeline.build(Settings.of(values), Settings.of(values), null, Clock.systemUTC());
        pipeline.dedup().start();
    }

    @Override
    protected void doStop() {
        if (pipeline != null) {
            pipeline.dedup().stop();
        }
    }

    private TenantPipeline pipeline() {
        if (pipeline == null) {
            throw new IllegalStateException("the defender-alert-source Kamelet's bean was not started");
        }
        return pipeline;
    }

    public void openWindow(Exchange exchange) {
        pipeline().alertQuery().openWindow(exchange);
    }

    public void nextPage(Exchange exchange) throws Exception {
        pipeline().alertQuery().nextPage(exchange);
        pipeline().tokenEnricher().process(exchange);
    }

    public Iterator<DefenderAlert> split(Exchange exchange) {
        return pipeline().splitter().split(exchange);
    }

    public void pageDone(Exchange exchange) {
        pipeline().alertQuery().pageDone(exchange);
    }

    public void commit(Exchange exchange) {
        pipeline().alertQuery().commit(exchange);
    }

    public void describe(Exchange exchange) throws Exception {
        pipeline().alertHeaders().describe(exchange);
    }

    public boolean matches(Exchange exchange) {
        return pipeline().criteria().matches(exchange);
    }

    @Override
    public boolean add(String key) {
        return pipeline().dedup().add(key);
    }

    @Override
    public boolean contains(String key) {
        return pipeline().dedup().contains(key);
    }

    @Override
    public boolean remove(String key) {
        return pipeline().dedup().remove(key);
    }

    @Override
    public boolean confirm(String key) {
        return pipeline().dedup().confirm(key);
    }

    @Override
    public void clear() {
        pipeline().dedup().clear();
    }
}
