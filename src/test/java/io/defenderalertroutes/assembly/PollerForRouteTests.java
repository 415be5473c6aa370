package io.defenderalertroutes.assembly;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.spi.RouteTemplateParameterSource;

/**
 * A tenant's poller added from the defender-poller template with the parameters the bundle gives it, for route tests
 * that load the route files themselves (TenantAssembly.add would load the jar's copies into a context not yet started).
 */
public final class PollerForRouteTests {

    private PollerForRouteTests() {
    }

    public static String add(CamelContext context, TenantParts tenant) {
        Map<String, Object> parameters = TenantRoutes.pollerParameters(tenant, "");
        String template = (String) parameters.remove(RouteTemplateParameterSource.TEMPLATE_ID);
        String routeId = tenant.names().pollRouteId();
        TemplatedRouteBuilder.builder(context, template).routeId(routeId).parameters(parameters).add();
        return routeId;
    }
}
