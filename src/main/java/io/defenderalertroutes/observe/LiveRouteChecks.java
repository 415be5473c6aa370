package io.defenderalertroutes.observe;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.NonManagedService;
import org.apache.camel.Route;
import org.apache.camel.StartupListener;
import org.apache.camel.StaticService;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckRepository;
import org.apache.camel.impl.health.ConsumerHealthCheck;
import org.apache.camel.impl.health.RouteHealthCheck;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Camel's readiness checks of each route ({@code route:<id>}) and of each route's consumer ({@code consumer:<id>}),
 * for the routes running now. Camel's own repositories of these (camel-health 4.18) keep a check for every route they
 * ever saw and never drop one, so each tenant removed while the bundle runs ({@code defender.tenants.dir}) would keep
 * its route, and through it its token client, dedup store and checks, for the life of the process. These keep the
 * same checks, made the same way, and drop those of the routes that are gone.
 */
public final class LiveRouteChecks extends ServiceSupport
        implements HealthCheckRepository, CamelContextAware, StaticService, NonManagedService {

    private final String id;
    private final Function<Route, HealthCheck> make;
    private final Map<Route, HealthCheck> checks = new ConcurrentHashMap<>();
    private CamelContext context;
    private boolean enabled = true;

    private LiveRouteChecks(String id, Function<Route, HealthCheck> make) {
        this.id = id;
        this.make = make;
    }

    /** Puts these in the place of Camel's own, keeping whether each is enabled, as the context starts. */
    public static StartupListener replacingCamelsOwn() {
        return (context, alreadyStarted) -> {
            HealthCheckRegistry registry = HealthCheckRegistry.get(context);
            if (registry == null) {
                return;
            }
            replace(context, registry, new LiveRouteChecks("routes", RouteHealthCheck::new));
            replace(context, registry, new LiveRouteChecks("consumers",
                    route -> new ConsumerHealthCheck(route, "consumer:" + route.getRouteId())));
        };
    }

    private static void replace(CamelContext context, HealthCheckRegistry registry, LiveRouteChecks ours) {
        registry.getRepository(ours.getId()).ifPresent(camels -> {
            ours.setEnabled(camels.isEnabled());
            registry.unregister(camels);
        });
        ours.setCamelContext(context);
        registry.register(ours);
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.context = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public Stream<HealthCheck> stream() {
        if (context == null || !enabled) {
            return Stream.empty();
        }
        var routes = context.getRoutes().stream().filter(route -> route.getId() != null).toList();
        Set<Route> running = routes.stream().collect(Collectors.toSet());
        checks.keySet().retainAll(running);
        return routes.stream().map(route -> checks.computeIfAbsent(route, r -> {
            HealthCheck check = make.apply(r);
            CamelContextAware.trySetCamelContext(check, r.getCamelContext());
            return check;
        }));
    }
}
