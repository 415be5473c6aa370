package io.defenderalertroutes.observe;

import java.time.Clock;
import java.time.Duration;

import io.defenderalertroutes.auth.AccessTokens;
import io.defenderalertroutes.defender.AlertQuery;
import io.defenderalertroutes.defender.PollGuard;
import io.defenderalertroutes.defender.Timestamps;
import io.defenderalertroutes.state.CheckpointStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The meters of a tenant that are states rather than events, read when scraped: checkpoint lag, token
 * requests, poll outcomes and, with high availability, leadership changes. Events are counted where they happen, in the routes: API calls and poll
 * duration by {@code micrometer:} steps, alerts by {@link AlertMeters}; all under the {@code defender_} prefix
 * and a {@code tenant} tag.
 */
public final class TenantMeters {

    private TenantMeters() {
    }

    public static void bind(MeterRegistry registry, String tenant, PollHealthCheck health, CheckpointStore checkpoints,
            AccessTokens tokens, AlertQuery query, PollGuard guard, Clock clock) {
        // function counters hold their object weakly: each is given an object the pipeline keeps, never a lambda
        Gauge.builder("defender.checkpoint.lag", () -> lagSeconds(checkpoints, clock))
                .description("Now minus the tenant's checkpoint (newest lastUpdateTime delivered); NaN before the first")
                .baseUnit("seconds").tag("tenant", tenant).register(registry);
        FunctionCounter.builder("defender.token.requests", tokens, AccessTokens::tokensIssued)
                .description("Access tokens fetched from Microsoft's sign-in (not from msal4j's cache)")
                .tag("tenant", tenant).register(registry);
        FunctionCounter.builder("defender.polls", health, PollHealthCheck::succeededCount)
                .description("Polls that ended, by outcome").tag("tenant", tenant).tag("outcome", "succeeded")
                .register(registry);
        FunctionCounter.builder("defender.polls", health, PollHealthCheck::failedCount)
                .description("Polls that ended, by outcome").tag("tenant", tenant).tag("outcome", "failed")
                .register(registry);
        FunctionCounter.builder("defender.polls", guard, PollGuard::skipped)
                .description("Polls that ended, by outcome").tag("tenant", tenant).tag("outcome", "skipped")
                .register(registry);
        FunctionCounter.builder("defender.windows.skipped", query, AlertQuery::windowsSkipped)
                .description("Poll windows given up after defender.poll.skip-window-after failed polls")
                .tag("tenant", tenant).register(registry);
        if (tokens.credentialExpires().isPresent()) {
            Gauge.builder("defender.credential.expiry", tokens, t -> secondsUntil(t, clock))
                    .description("Seconds until the certificate the tenant signs in with expires (negative once it has); "
                            + "a renewed file moves it")
                    .baseUnit("seconds").tag("tenant", tenant).register(registry);
        }
        Gauge.builder("defender.polls.failed.consecutive", health, PollHealthCheck::consecutiveFailures)
                .description("Polls failed in a row; readiness goes DOWN at defender.health.failed-polls")
                .tag("tenant", tenant).register(registry);
    }

    /** What {@link #bind} and {@link #bindLeadership} bound: each holds the objects of one build of the tenant. */
    private static final java.util.Set<String> BOUND = java.util.Set.of("defender.checkpoint.lag",
            "defender.token.requests", "defender.polls", "defender.windows.skipped", "defender.credential.expiry",
            "defender.polls.failed.consecutive", "defender.leadership.changes", "defender.leadership.flaps");

    /**
     * Removes a tenant's meters when it stops while the bundle runs: those bound to its objects always (a
     * registered meter is never bound again, so a reloaded tenant would be scraped from its old objects), and with
     * {@code counted} those its routes count in too, for a tenant removed for good.
     */
    public static void unbind(MeterRegistry registry, String tenant, boolean counted) {
        registry.getMeters().stream()
                .filter(m -> tenant.equals(m.getId().getTag("tenant")))
                .filter(m -> counted || BOUND.contains(m.getId().getName()))
                .toList().forEach(registry::remove);
    }

    private static double secondsUntil(AccessTokens tokens, Clock clock) {
        return tokens.credentialExpires().map(at -> (double) java.time.Duration.between(clock.instant(), at).toSeconds())
                .orElse(Double.NaN);
    }

    /** With high availability: this instance's gains and losses of the tenant's leadership. */
    public static void bindLeadership(MeterRegistry registry, String tenant, LeadershipChanges changes) {
        FunctionCounter.builder("defender.leadership.changes", changes, LeadershipChanges::gained)
                .description("Times this instance took or lost the lead of the tenant").tag("tenant", tenant)
                .tag("change", "gained").register(registry);
        FunctionCounter.builder("defender.leadership.changes", changes, LeadershipChanges::lost)
                .description("Times this instance took or lost the lead of the tenant").tag("tenant", tenant)
                .tag("change", "lost").register(registry);
        FunctionCounter.builder("defender.leadership.flaps", changes, LeadershipChanges::flaps)
                .description("Leadership changes that came sooner after the previous one than a takeover can")
                .tag("tenant", tenant).register(registry);
    }

    private static double lagSeconds(CheckpointStore checkpoints, Clock clock) {
        return checkpoints.read()
                .map(c -> Duration.between(Timestamps.parse(c), clock.instant()).toMillis() / 1000.0)
                .orElse(Double.NaN);
    }
}
