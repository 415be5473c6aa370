package io.defenderalertroutes.sinks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.List;
import java.util.Map;

import io.defenderalertroutes.defender.AlertHeaders;
import io.defenderalertroutes.state.DedupStore;
import io.defenderalertroutes.state.PendingDeliveries;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * The Kafka records of one page of a poll, collected as the page's alerts go through the alert flow and sent together
 * when the page is done (routes/sinks.camel.yaml, defender-sink-kafka-batch). An alert's dedup key waits here until
 * its record is acknowledged, so the keys, like the checkpoint, never pass an alert Kafka does not have. A poll keeps
 * one, emptied after each page: nothing is held past the page that fetched it.
 */
final class KafkaPageBatch implements PendingDeliveries {

    private final List<Exchange> records = new ArrayList<>();
    private final Map<Exchange, String> keys = new IdentityHashMap<>();
    private final Map<String, Exchange> waiting = new HashMap<>();
    private final Map<String, DedupStore> deferred = new HashMap<>();

    /**
     * The alert as the Kafka sink made it (key and topic headers set), to be sent with the page: the sink's own copy
     * of the alert (the fan-out gives each sink one), which ends its route here and is not used again.
     */
    synchronized void collect(Exchange record) {
        records.add(record);
        String key = record.getProperty(AlertHeaders.DEDUP_KEY, String.class);
        if (key != null) {
            keys.put(record, key);
            waiting.put(key, record);
        }
    }

    synchronized boolean isEmpty() {
        return records.isEmpty();
    }

    synchronized int size() {
        return records.size();
    }

    /** The page's records, in the order of their alerts: the body camel-kafka sends as one record each. */
    synchronized List<Exchange> records() {
        return new ArrayList<>(records);
    }

    @Override
    public synchronized int unsettled() {
        Set<Exchange> open = Collections.newSetFromMap(new IdentityHashMap<>());
        open.addAll(records);
        open.addAll(waiting.values());
        return open.size();
    }

    @Override
    public synchronized boolean deferKey(String key, DedupStore dedup) {
        if (!waiting.containsKey(key)) {
            return false;
        }
        deferred.put(key, dedup);
        return true;
    }

    /**
     * After the send: each record Kafka acknowledged is delivered (its dedup key added now); the others are returned,
     * in order, to be sent again one by one. The send's endpoint sets {@code recordMetadata=true}: a record's metadata
     * is how Kafka's acknowledgement shows on it, whether the batch as a whole failed or not. The batch is empty
     * afterwards.
     */
    synchronized Settled settle() {
        List<Exchange> acknowledged = new ArrayList<>();
        List<Exchange> refused = new ArrayList<>();
        for (Exchange record : records) {
            if (record.getException() == null && record.getMessage().getHeader(KafkaConstants.KAFKA_RECORD_META) != null) {
                delivered(record);
                acknowledged.add(record);
            } else {
                record.setException(null);
                refused.add(record);
            }
        }
        records.clear();
        return new Settled(acknowledged, refused);
    }

    /** A refused record delivered on its own (or dead-lettered by the sink's policy): its key is added now. */
    synchronized void delivered(Exchange record) {
        String key = keys.remove(record);
        if (key != null) {
            waiting.remove(key);
            DedupStore dedup = deferred.remove(key);
            if (dedup != null) {
                dedup.add(key);
            }
        }
    }

    record Settled(List<Exchange> acknowledged, List<Exchange> refused) {
    }
}
