package io.defenderalertroutes.sinks;

import java.util.List;

import io.defenderalertroutes.meters.AlertMeters;
import io.defenderalertroutes.state.PendingDeliveries;
import io.defenderalertroutes.tenant.Tenant;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the Kafka sink's page batches (routes/defender-poll.camel.yaml opens one per poll and sends it after
 * each page; routes/sinks.camel.yaml collects and sends): one bean shared by every tenant, each poll's batch
 * travelling with its exchanges.
 */
public final class KafkaBatches {

    public static final String BEAN = "defenderKafkaBatches";
    private static final Logger LOG = LoggerFactory.getLogger(KafkaBatches.class);
    /** On a record sent again on its own: the record, and the batch it came from. */
    private static final String RECORD = "DefenderKafkaRecord";
    private static final String BATCH = "DefenderKafkaBatch";

    /** A poll's batch, when its tenant's Kafka sink sends a page at once ({@code defender.sink.kafka.batch}). */
    public void open(Exchange exchange) {
        if (Tenant.of(exchange).sinks().kafkaBatch()) {
            exchange.setProperty(PendingDeliveries.PROPERTY, new KafkaPageBatch());
        }
    }

    /** The Kafka sink's step within a poll: the record waits for its page. */
    public void collect(Exchange exchange) {
        batch(exchange).collect(exchange);
    }

    /** Whether the page just done left records to send. */
    public boolean waiting(Exchange exchange) {
        KafkaPageBatch batch = batch(exchange);
        return batch != null && !batch.isEmpty();
    }

    /** The page's records, the body of the batch send. */
    public List<Exchange> records(Exchange exchange) {
        return batch(exchange).records();
    }

    /** Kafka acknowledged every record of the page. */
    public void acknowledged(Exchange exchange) {
        KafkaPageBatch.Settled settled = batch(exchange).settle(false);
        count(exchange, settled.acknowledged());
    }

    /**
     * The batch send failed: the records Kafka acknowledged are delivered, the others (in order) are the body, to go
     * again one by one through the sink with its retries and failure policy.
     */
    public List<Exchange> refused(Exchange exchange) {
        KafkaPageBatch.Settled settled = batch(exchange).settle(true);
        count(exchange, settled.acknowledged());
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.warn("Kafka did not acknowledge {} of {} records of a page of tenant {} ({}): each goes again on its own",
                settled.refused().size(), settled.refused().size() + settled.acknowledged().size(), Tenant.nameOf(exchange),
                cause == null ? "no cause given" : cause.getClass().getSimpleName() + ": " + cause.getMessage());
        return settled.refused();
    }

    /** Makes the exchange (an element of the refused records' split) the alert of the record it carries. */
    public void unpack(Exchange exchange) {
        Exchange record = exchange.getMessage().getBody(Exchange.class);
        exchange.setProperty(BATCH, batch(exchange));
        exchange.removeProperty(PendingDeliveries.PROPERTY);
        exchange.setProperty(RECORD, record);
        exchange.getMessage().setHeaders(new java.util.HashMap<>(record.getMessage().getHeaders()));
        exchange.getMessage().setBody(record.getMessage().getBody());
    }

    /** A refused record went through the sink on its own (delivered, or dead-lettered by its policy). */
    public void deliveredAlone(Exchange exchange) {
        exchange.getProperty(BATCH, KafkaPageBatch.class).delivered(exchange.getProperty(RECORD, Exchange.class));
    }

    private static KafkaPageBatch batch(Exchange exchange) {
        return exchange.getProperty(PendingDeliveries.PROPERTY, KafkaPageBatch.class);
    }

    private static void count(Exchange exchange, List<Exchange> delivered) {
        AlertMeters meters = exchange.getContext().getRegistry().lookupByNameAndType("defenderAlertMeters", AlertMeters.class);
        for (Exchange record : delivered) {
            meters.delivered(record, "kafka");
        }
    }
}
