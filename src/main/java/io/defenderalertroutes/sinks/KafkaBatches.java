package io.defenderalertroutes.sinks;

import java.util.HashMap;
import java.util.List;

import io.defenderalertroutes.meters.AlertMeters;
import io.defenderalertroutes.state.PendingDeliveries;
import io.defenderalertroutes.tenant.Tenant;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.ExchangeHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka sink's page batches: each poll's window opens with one, the Kafka sink collects into it
 * (routes/sinks.camel.yaml), and after each page the poll calls defender-sink-kafka-batch (routes/sinks.camel.yaml),
 * which sends the page's records and settles Kafka's answer; the poll's commit refuses while any is unsettled. One bean shared by every tenant, each poll's batch travelling with
 * its exchanges.
 */
public final class KafkaBatches {

    public static final String BEAN = "defenderKafkaBatches";
    private static final Logger LOG = LoggerFactory.getLogger(KafkaBatches.class);
    /** Where a record Kafka refused in a batch goes again, on its own. */
    static final String SINK = "direct:defender-sink-kafka";

    private volatile ProducerTemplate template;

    /**
     * A poll's batch, for a tenant whose Kafka sink sends a page at once ({@code defender.sink.kafka.batch}): the
     * poll's window opens with one (AlertQuery), so that no route step has to.
     */
    public static PendingDeliveries pageBatch() {
        return new KafkaPageBatch();
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

    /**
     * After the page's send, whether it went through or failed: the records Kafka acknowledged are delivered (counted,
     * their dedup keys added now); each record it refused goes again on its own, in order, through the Kafka sink
     * ({@value #SINK}) with the sink's retries and failure policy, and is delivered once the sink is done with it
     * (sent, or dead-lettered by its policy). The first refused record the sink fails with fails the page, as a sink
     * that holds means to, and the records after it are not tried.
     */
    public void settle(Exchange exchange) {
        KafkaPageBatch batch = batch(exchange);
        KafkaPageBatch.Settled settled = batch.settle();
        count(exchange, settled.acknowledged());
        if (settled.refused().isEmpty()) {
            return;
        }
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.warn("Kafka did not acknowledge {} of {} records of a page of tenant {} ({}): each goes again on its own",
                settled.refused().size(), settled.refused().size() + settled.acknowledged().size(), Tenant.nameOf(exchange),
                cause == null ? "no cause given" : cause.getClass().getSimpleName() + ": " + cause.getMessage());
        ProducerTemplate sink = template(exchange.getContext());
        for (Exchange record : settled.refused()) {
            Exchange alone = alone(exchange, record);
            sink.send(SINK, alone);
            if (alone.getException() != null) {
                exchange.setException(alone.getException());
                return;
            }
            batch.delivered(record);
        }
    }

    /**
     * The alert of a refused record, as the sink first had it: the record's body and headers, on a copy of the page's
     * exchange (its tenant) without the batch, so that the sink sends it at once rather than collect it again.
     */
    private static Exchange alone(Exchange page, Exchange record) {
        Exchange alone = ExchangeHelper.createCorrelatedCopy(page, false);
        alone.removeProperty(PendingDeliveries.PROPERTY);
        alone.removeProperty(Exchange.EXCEPTION_CAUGHT);
        alone.getMessage().setHeaders(new HashMap<>(record.getMessage().getHeaders()));
        alone.getMessage().setBody(record.getMessage().getBody());
        // the record's body may be formatted: the sink formats again from the raw alert, and a dead letter keeps that
        SinkFormats.carryRaw(record, alone);
        return alone;
    }

    private ProducerTemplate template(CamelContext context) {
        ProducerTemplate made = template;
        if (made == null) {
            synchronized (this) {
                made = template;
                if (made == null) {
                    made = context.createProducerTemplate();
                    template = made;
                }
            }
        }
        return made;
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
