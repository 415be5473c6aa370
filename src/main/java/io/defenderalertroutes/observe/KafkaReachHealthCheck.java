package io.defenderalertroutes.observe;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.camel.Route;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckAware;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of a Kafka consumer route that is only as good as its brokers: DOWN with the reason while they do not
 * answer, else what Camel's own check of the route's consumer says. Registered under the id of Camel's consumer check
 * ({@code consumer:<routeId>}), which it replaces: Camel's says UP for a Kafka consumer that has never reached a
 * broker (its client is created, so its task counts as ready).
 */
public final class KafkaReachHealthCheck extends AbstractHealthCheck {

    private final String routeId;
    private final Supplier<String> brokers;
    private final Supplier<Optional<String>> problem;

    /** @param problem why the brokers are unreachable, or empty while they answer */
    public KafkaReachHealthCheck(String routeId, Supplier<String> brokers, Supplier<Optional<String>> problem) {
        super("camel", "consumer:" + routeId);
        this.routeId = routeId;
        this.brokers = brokers;
        this.problem = problem;
    }

    @Override
    public boolean isLiveness() {
        // a broker away is no reason to restart the process
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("route.id", routeId).detail("bootstrap.servers", brokers.get());
        Optional<String> why = problem.get();
        if (why.isPresent()) {
            builder.down().message(why.get());
            return;
        }
        Route route = getCamelContext() == null ? null : getCamelContext().getRoute(routeId);
        if (route != null && route.getConsumer() instanceof HealthCheckAware aware && aware.getHealthCheck() != null) {
            HealthCheck.Result own = aware.getHealthCheck().call(options);
            builder.state(own.getState());
            own.getMessage().ifPresent(builder::message);
            own.getError().ifPresent(builder::error);
            return;
        }
        builder.up();
    }
}
