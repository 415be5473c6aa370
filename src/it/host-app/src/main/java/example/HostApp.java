package example;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import io.defenderalertroutes.schedule.PollTimers;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.main.Main;
import org.quartz.Scheduler;
import org.quartz.TriggerKey;

/**
 * A host application with routes, a bean and a Quartz job of its own, and the bundle switched on by the lines the
 * bundle's docs/kamelet-and-embedding.md gives. It reports what it sees, polls the tenant once and stops.
 */
public final class HostApp {

    private HostApp() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation("classpath:host-app/application.properties");
        main.start();
        try {
            CamelContext context = main.getCamelContext();
            String greeting = context.createConsumerTemplate().receiveBody("seda:host-greetings", 30_000, String.class);
            System.out.println("host greeting: " + greeting);
            System.out.println("routes: " + context.getRoutes().stream().map(Route::getRouteId).sorted().toList());
            Object bean = context.getRegistry().lookupByName("fileEnvelope");
            System.out.println("host bean fileEnvelope: " + (bean == null ? null : bean.getClass().getName()));
            Scheduler scheduler = context.getComponent("quartz", QuartzComponent.class).getScheduler();
            System.out.println("quartz started: " + scheduler.isStarted() + ", host job: "
                    + (scheduler.getTrigger(TriggerKey.triggerKey("nightly", "host")) != null));
            PollTimers.pollNow(context, "contoso", Duration.ofSeconds(60));
            Path alerts = Path.of(context.resolvePropertyPlaceholders("{{defender.sink.file.dir}}"));
            try (Stream<Path> files = Files.walk(alerts)) {
                List<String> names = files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
                System.out.println("alert files: " + names);
            }
        } finally {
            main.stop();
        }
    }
}
