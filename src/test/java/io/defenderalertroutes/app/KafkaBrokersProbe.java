package io.defenderalertroutes.app;

import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.main.Main;

/**
 * Run in a JVM of its own by {@link EnvironmentOverridesTest}, with the environment under test: starts a camel-main,
 * plain or with the bundle's mapping of {@code CAMEL_COMPONENT_*} variables, and prints the brokers the Kafka
 * component ended up with.
 */
public final class KafkaBrokersProbe {

    private KafkaBrokersProbe() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main();
        if (args.length > 0 && args[0].equals("with-mapping")) {
            Application.componentOptionsFromEnvironment(System.getenv(), System.getProperties())
                    .forEach(main::addOverrideProperty);
        }
        main.start();
        try {
            KafkaComponent kafka = main.getCamelContext().getComponent("kafka", KafkaComponent.class);
            System.out.println("brokers=" + kafka.getConfiguration().getBrokers());
        } finally {
            main.stop();
        }
    }
}
