package io.defenderalertroutes.observe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.defenderalertroutes.schedule.PollTimers;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * {@code POST <path>/tenants/{tenant}/poll}: a tenant's poll now, whatever its timer says (after a sink or a
 * permission was fixed, say). It runs as the tenant's Quartz job, so it never overlaps a running poll, and the answer
 * waits for it: 200 with how the poll ended, 202 when it is still running after {@code wait}, 404 for a tenant this
 * deployment does not serve, 409 when another instance leads the tenant (its timer is not here).
 */
public final class PollOnDemand {

    /** The header that names the tenant (the path's {@code {tenant}}). */
    public static final String TENANT = "DefenderPollTenant";

    /** How long the answer waits for the poll: a catch-up may take longer, and goes on after a 202. */
    public static final Duration WAIT = Duration.ofMinutes(1);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final java.util.Collection<StatusReport.TenantView> tenants;
    private final Duration wait;

    /** @param tenants read at each request: tenants come and go while the bundle runs ({@code defender.tenants.dir}) */
    public PollOnDemand(java.util.Collection<StatusReport.TenantView> tenants, Duration wait) {
        this.tenants = tenants;
        this.wait = wait;
    }

    public void poll(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        String name = message.getHeader(TENANT, String.class);
        StatusReport.TenantView tenant = tenants.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
        ObjectNode answer = JSON.createObjectNode().put("tenant", name);
        int status;
        if (tenant == null) {
            status = 404;
            answer.put("status", "unknown").put("reason", "no tenant of that name is served here");
        } else if (!tenant.health().snapshot().leading()) {
            status = 409;
            answer.put("status", "not-led-here").put("reason", "another instance leads this tenant; ask that one");
        } else {
            status = 200;
            try {
                PollTimers.pollNow(exchange.getContext(), name, wait);
            } catch (IllegalArgumentException notScheduled) {
                status = 409;
                answer.put("status", "not-led-here").put("reason", "this instance runs no timer for the tenant");
            } catch (IllegalStateException stillRunning) {
                status = 202;
                answer.put("status", "running").put("reason", "the poll goes on; the status page shows how it ends");
            }
            if (status == 200) {
                PollHealthCheck.Snapshot after = tenant.health().snapshot();
                answer.put("status", after.lastPollFailed() ? "failed" : "polled");
                if (after.lastPollFailed()) {
                    answer.put("reason", after.lastError());
                }
                answer.put("checkpoint", tenant.checkpoints().readForPoll().orElse(null));
            }
        }
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(JSON.writeValueAsString(answer));
    }
}
