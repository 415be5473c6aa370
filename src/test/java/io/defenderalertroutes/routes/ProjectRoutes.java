package io.defenderalertroutes.routes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * Loads the project's own route files from {@code routes/} (not the copies the build puts on the class path), so that
 * the route tests of this package test exactly what a user edits.
 */
final class ProjectRoutes {

    private ProjectRoutes() {
    }

    static void load(CamelContext context, String... names) throws Exception {
        List<Resource> resources = new ArrayList<>();
        for (String name : names) {
            Path file = Path.of("routes", name + ".camel.yaml").toAbsolutePath();
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException(file + " is missing: run the tests from the project's directory");
            }
            resources.add(ResourceHelper.resolveMandatoryResource(context, "file:" + file));
        }
        PluginHelper.getRoutesLoader(context).loadRoutes(resources);
    }
}
