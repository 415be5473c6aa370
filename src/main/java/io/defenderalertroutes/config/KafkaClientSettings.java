package io.defenderalertroutes.config;

import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;

/** The Kafka client settings (brokers, security, timeouts) of the bundle's Kafka component, for its own clients. */
public final class KafkaClientSettings {

    private KafkaClientSettings() {
    }

    public static Properties of(CamelContext context) {
        KafkaConfiguration kafka = context.getComponent("kafka", KafkaComponent.class).getConfiguration();
        Properties client = kafka.createConsumerProperties();
        // the component adds the brokers per endpoint, not to these properties
        client.put("bootstrap.servers", kafka.getBrokers());
        client.remove("group.id");
        return client;
    }
}
