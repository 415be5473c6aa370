package io.defenderalertroutes.kamelet;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.defenderalertroutes.assembly.TenantAssembly;
import io.defenderalertroutes.config.InvalidConfigurationException;
import io.defenderalertroutes.config.Settings;
import io.defenderalertroutes.sinks.SinkFormat;
import io.defenderalertroutes.sinks.SinkFormats;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.Processor;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code defender-alert-source} Kamelet's one bean. Once the Camel context has started, it adds the Kamelet's
 * tenant with the bundle's own poller, alert flow and API routes ({@link TenantAssembly}), its one sink being the
 * Kamelet's route, which hands each alert on to {@code kamelet:sink}. So a Kamelet polls exactly as the bundle does:
 * the same call budget, retries, timeouts, trust store, dedup and checkpoint. It is a step of the Kamelet's route,
 * which is what starts it with the route.
 */
public final class DefenderAlertSource extends ServiceSupport implements Processor, CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(DefenderAlertSource.class);

    private final Map<String, String> settings = new HashMap<>();
    private CamelContext camelContext;
    private String routeId;
    private boolean pollOnStart = true;
    private boolean installed;
    private String pollIntervalMinutes;
    private String formatWritten;
    private SinkFormat format = SinkFormat.DEFAULT;

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
    public void setAuthMethod(String value) { put("defender.auth.method", value); }
    public void setCertificatePath(String value) { put("defender.auth.certificate.path", value); }
    public void setCertificatePassword(String value) { put("defender.auth.certificate.password", value); }
    public void setCertificateSendX5c(String value) { put("defender.auth.certificate.send-x5c", value); }
    public void setFederatedTokenFile(String value) { put("defender.auth.federated-token-file", value); }
    public void setCloud(String value) { put("defender.cloud", value); }
    public void setSource(String value) { put("defender.source", value); }
    public void setSplitIncidentAlerts(String value) { put("defender.incidents.split-alerts", value); }
    public void setAuthorityUrl(String value) { put("defender.authority-url", value); }
    public void setApiUrl(String value) { put("defender.api-url", value); }
    public void setScope(String value) { put("defender.scope", value); }
    public void setStatus(String value) { put("defender.trigger.status", value); }
    public void setSeverity(String value) { put("defender.trigger.severity", value); }
    public void setCategory(String value) { put("defender.trigger.category", value); }
    public void setTriggerForUpdates(String value) { put("defender.trigger.updates", value); }
    public void setPollInterval(String value) { put("defender.poll.interval", value); }
    /** Deprecated for {@code pollInterval}: taken, converted, with one warning until it goes ({@link #doStart}). */
    public void setPollIntervalMinutes(String value) { pollIntervalMinutes = value == null || value.isBlank() ? null : value.strip(); }
    public void setMaxHistoricalStart(String value) { put("defender.poll.max-historical-start", value); }
    public void setPageSize(String value) { put("defender.poll.page-size", value); }
    public void setExpandEvidence(String value) { put("defender.poll.expand-evidence", value); }
    public void setStateDir(String value) { put("defender.state-dir", value); }
    public void setDedup(String value) { put("defender.dedup", value); }
    public void setRouteId(String value) { routeId = value; }
    public void setPollOnStart(String value) { pollOnStart = !"false".equalsIgnoreCase(value); }
    /** Checked at start ({@link #doStart}), where a refusal names the parameter. */
    public void setFormat(String value) { formatWritten = value == null || value.isBlank() ? null : value.strip(); }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    /** Where the tenant's alert flow delivers: the Kamelet's route ({@code from} in the Kamelet's template). */
    private static String endpoint(String routeId) {
        return "direct:defender-kamelet-" + routeId;
    }

    @Override
    protected void doStart() throws Exception {
        if (formatWritten != null) {
            format = SinkFormat.byKey(formatWritten).orElseThrow(() -> new InvalidConfigurationException("format",
                    "unknown format '" + formatWritten + "'; expected one of " + SinkFormat.choices()));
        }
        if (pollIntervalMinutes != null) {
            if (settings.containsKey("defender.poll.interval")) {
                throw new InvalidConfigurationException("pollIntervalMinutes", "is the old name of pollInterval, "
                        + "which is set too; remove pollIntervalMinutes");
            }
            try {
                settings.put("defender.poll.interval", Duration.ofMinutes(Long.parseLong(pollIntervalMinutes)).toString());
            } catch (NumberFormatException e) {
                throw new InvalidConfigurationException("pollIntervalMinutes", "must be a whole number of minutes, was '"
                        + pollIntervalMinutes + "' (better: set pollInterval, an ISO-8601 duration such as PT5M)");
            }
            LOG.warn("Kamelet defender-alert-source: pollIntervalMinutes is deprecated: use pollInterval instead (its "
                    + "value is used for now, as pollInterval={})", settings.get("defender.poll.interval"));
            // converted once: a restarted route must not see its own carried value as a second interval
            pollIntervalMinutes = null;
        }
        // routes are added to a started context: now if it is, else once it is
        camelContext.addStartupListener(new ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) throws Exception {
                if (alreadyStarted) {
                    install();
                }
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
                install();
            }
        });
    }

    private synchronized void install() throws Exception {
        if (installed) {
            return;
        }
        installed = true;
        Map<String, String> values = new HashMap<>(settings);
        values.put("defender.sinks", endpoint(routeId));
        // as the Kamelet says: named by its tenant ID unless given a name, never by the application's tenant-name
        values.putIfAbsent("defender.tenant-name", values.get("defender.tenant-id"));
        TenantAssembly.add(camelContext, Settings.of(values, new Settings(camelContext)), pollOnStart);
    }

    /**
     * Passes each alert on in the Kamelet's format: the alert flow has already described, filtered and deduplicated
     * it.
     */
    @Override
    public void process(Exchange exchange) throws Exception {
        SinkFormats.apply(exchange, format);
    }
}
