package io.defenderalertroutes.observe;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.defenderalertroutes.defender.Timestamps;
import io.defenderalertroutes.sinks.DeadLetters;
import io.defenderalertroutes.state.CheckpointStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.MicrometerUtils;

/**
 * The status page's data ({@code GET /observe/status.json}) and the page itself ({@code GET /observe/status}): a row
 * per tenant, failing tenants first. Built from what the bundle already keeps (readiness, checkpoints, counters, the
 * dead letter), never from settings that could hold a secret.
 */
public final class StatusReport {

    /** What the page shows of a tenant that does not change while the bundle runs. */
    /**
     * @param configuredBy where the tenant's settings come from: its file in {@code defender.tenants.dir},
     *                     {@code defender.tenants} or the {@code defender.*} keys of a single tenant
     * @param loadedAt     when they were read
     */
    public record TenantView(String name, String source, String criteria, String sinks, PollHealthCheck health,
            CheckpointStore checkpoints, String configuredBy, Instant loadedAt) {
    }

    /** A problem of the process rather than of a tenant (the response actions' Kafka, say): what, why, the fix. */
    public record Notice(String what, String problem, String fix) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final java.util.Collection<TenantView> tenants;
    private final Function<String, Instant> nextPoll;
    private final Supplier<List<Notice>> notices;
    private final Clock clock;

    public StatusReport(java.util.Collection<TenantView> tenants, Function<String, Instant> nextPoll, Clock clock) {
        this(tenants, nextPoll, List::of, clock);
    }

    /** @param notices the process's problems as of now, asked at each request of the page */
    /** @param tenants read at each request: tenants come and go while the bundle runs ({@code defender.tenants.dir}) */
    public StatusReport(java.util.Collection<TenantView> tenants, Function<String, Instant> nextPoll, Supplier<List<Notice>> notices,
            Clock clock) {
        this.tenants = tenants;
        this.nextPoll = nextPoll;
        this.notices = notices;
        this.clock = clock;
    }

    /** The rows, failing tenants first, then by name. */
    public List<Map<String, Object>> rows(Exchange exchange) {
        MeterRegistry meters = MicrometerUtils.getOrCreateMeterRegistry(exchange.getContext().getRegistry(),
                MicrometerConstants.METRICS_REGISTRY_NAME);
        DeadLetters letters = exchange.getContext().getRegistry().lookupByNameAndType(DeadLetters.BEAN, DeadLetters.class);
        Map<String, Map<String, Long>> delivered = bySink(meters, "defender.alerts.delivered");
        Map<String, Map<String, Long>> duplicates = bySink(meters, "defender.alerts.duplicates");
        Instant now = clock.instant();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (TenantView tenant : tenants) {
            PollHealthCheck.Snapshot polls = tenant.health().snapshot();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("tenant", tenant.name());
            row.put("failing", polls.down());
            row.put("source", tenant.source());
            row.put("criteria", tenant.criteria());
            row.put("sinks", tenant.sinks());
            row.put("configuredBy", tenant.configuredBy());
            row.put("loadedAt", Timestamps.format(tenant.loadedAt()));
            row.put("role", polls.leading() ? "leader" : "standby");
            row.put("lastPoll", polls.lastPoll() == null ? null : Timestamps.format(polls.lastPoll()));
            row.put("lastPollOutcome", polls.lastPoll() == null ? "none yet" : polls.lastPollFailed() ? "failed" : "succeeded");
            row.put("lastPollMillis", polls.lastPollMillis() < 0 ? null : polls.lastPollMillis());
            row.put("failedInARow", polls.consecutiveFailures());
            row.put("certificateExpires", polls.credentialExpiring() == null ? null : Timestamps.format(polls.credentialExpiring()));
            Instant next = polls.leading() ? nextPoll.apply(tenant.name()) : null;
            row.put("nextPoll", next == null ? null : Timestamps.format(next));
            java.util.Optional<String> checkpoint = tenant.checkpoints().read();
            row.put("checkpoint", checkpoint.orElse(null));
            row.put("checkpointLagSeconds", checkpoint.map(c -> Duration.between(Timestamps.parse(c), now).toSeconds())
                    .orElse(null));
            row.put("delivered", delivered.getOrDefault(tenant.name(), Map.of()));
            row.put("duplicates", duplicates.getOrDefault(tenant.name(), Map.of()).values().stream().mapToLong(Long::longValue).sum());
            row.put("deadLettersPending", letters == null ? Map.of() : letters.pendingOf(tenant.name()));
            String error = polls.unstartable() != null ? polls.unstartable() : polls.lastError();
            row.put("lastError", error);
            row.put("lastErrorAt", polls.lastFailure() == null ? null : Timestamps.format(polls.lastFailure()));
            row.put("fix", error == null ? null : NoticeMailComposer.fix(polls.unstartable() != null ? "restarts-exhausted"
                    : "tenant-failing", error));
            rows.add(row);
        }
        rows.sort(Comparator.comparing((Map<String, Object> r) -> !(Boolean) r.get("failing"))
                .thenComparing(r -> (String) r.get("tenant")));
        return rows;
    }

    private static Map<String, Map<String, Long>> bySink(MeterRegistry meters, String name) {
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        for (Counter counter : meters.find(name).counters()) {
            String tenant = counter.getId().getTag("tenant");
            String sink = counter.getId().getTag("sink");
            counts.computeIfAbsent(tenant, t -> new TreeMap<>()).merge(sink == null ? "all" : sink,
                    (long) counter.count(), Long::sum);
        }
        return counts;
    }

    public String json(Exchange exchange) throws JsonProcessingException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("generated", Timestamps.format(clock.instant()));
        List<Map<String, Object>> rows = rows(exchange);
        body.put("tenants", rows.size());
        body.put("failing", rows.stream().filter(r -> (Boolean) r.get("failing")).count());
        body.put("notices", notices.get());
        body.put("rows", rows);
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body);
    }

    public String html(Exchange exchange) {
        List<Map<String, Object>> rows = rows(exchange);
        long failing = rows.stream().filter(r -> (Boolean) r.get("failing")).count();
        StringBuilder page = new StringBuilder(4096 + rows.size() * 900);
        page.append(StatusPage.HEAD)
                .append("<p id=\"summary\"><b>").append(rows.size()).append("</b> tenants, <b class=\"")
                .append(failing > 0 ? "bad" : "good").append("\">").append(failing).append("</b> failing &middot; as of ")
                .append(Timestamps.format(clock.instant())).append("</p>\n");
        StatusPage.notices(page, notices.get());
        page.append(StatusPage.TABLE_HEAD).append("<tbody id=\"rows\">\n");
        for (Map<String, Object> row : rows) {
            StatusPage.row(page, row);
        }
        page.append("</tbody></table>\n").append(StatusPage.SCRIPT).append("</body></html>\n");
        return page.toString();
    }
}
