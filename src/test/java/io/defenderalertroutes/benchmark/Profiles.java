package io.defenderalertroutes.benchmark;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads a flight recording into where the CPU samples (or sampled allocations) were: by part of the pipeline,
 * by the first caller outside the JDK, and by thread. A sample counts for the first frame, from the top of its
 * stack, that belongs to a part we name, so a regex match inside a log filter counts as logging.
 */
final class Profiles {

    private static final String[][] PARTS = {
            {"org.apache.logging.log4j", "logging (log4j, its RegexFilter included)"},
            {"org.apache.camel.processor.LogProcessor", "logging (log4j, its RegexFilter included)"},
            {"org.apache.camel.component.file", "file sink (camel-file)"},
            {"io.defenderalertroutes.sinks.FileEnvelope", "file sink (envelope)"},
            {"io.defenderalertroutes.state.LocalDedupStore", "dedup repository"},
            {"io.defenderalertroutes.defender.AlertPageSplitter", "page split"},
            {"io.defenderalertroutes.defender.AlertHeaders", "describe-alert"},
            {"io.defenderalertroutes.criteria", "trigger criteria"},
            {"org.apache.camel.component.kafka", "camel-kafka producer"},
            {"org.apache.kafka", "kafka client"},
            {"org.apache.hc", "HTTP client (page fetch)"},
            {"org.apache.camel.component.http", "HTTP client (page fetch)"},
            {"io.defenderalertroutes.emulator", "emulator (serving pages)"},
            {"io.defenderalertroutes.benchmark", "benchmark harness"},
            {"com.microsoft.aad", "msal4j"},
            {"org.apache.camel.dsl.yaml", "YAML DSL"},
            {"org.snakeyaml", "YAML DSL"},
            {"org.apache.camel.support.DefaultHeaderFilterStrategy", "Camel header filtering"},
            {"org.apache.camel.support.builder.ExpressionBuilder", "Camel expressions"},
            {"org.apache.camel.language.simple", "Camel simple language"},
            {"org.apache.camel.main", "camel-main boot"},
            {"org.apache.camel.impl", "Camel context"},
            {"org.apache.camel", "Camel routing engine"},
            {"org.quartz", "Quartz"},
            {"com.fasterxml.jackson", "Jackson"},
    };

    private Profiles() {
    }

    /**
     * @param eventType {@code jdk.ExecutionSample} (weight 1) or {@code jdk.ObjectAllocationSample} (weight bytes)
     * @param when      which samples count, by their time
     */
    static Map<String, Object> summarize(Path jfr, String eventType, Predicate<Instant> when) throws Exception {
        Map<String, Double> byPart = new LinkedHashMap<>();
        Map<String, Double> byCaller = new LinkedHashMap<>();
        Map<String, Double> byThread = new LinkedHashMap<>();
        double total = 0;
        int samples = 0;
        boolean allocation = eventType.equals("jdk.ObjectAllocationSample");
        for (RecordedEvent event : RecordingFile.readAllEvents(jfr)) {
            if (!event.getEventType().getName().equals(eventType) || event.getStackTrace() == null
                    || event.getStackTrace().getFrames().isEmpty() || !when.test(event.getStartTime())) {
                continue;
            }
            double weight = allocation ? event.getLong("weight") : 1;
            samples++;
            total += weight;
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            byPart.merge(part(frames), weight, Double::sum);
            byCaller.merge(caller(frames), weight, Double::sum);
            String thread = event.getThread(allocation ? "eventThread" : "sampledThread") == null ? "?"
                    : event.getThread(allocation ? "eventThread" : "sampledThread").getJavaName();
            byThread.merge(BenchSupport.role(String.valueOf(thread)), weight, Double::sum);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("event", eventType);
        summary.put("classesLoaded", classesLoaded(jfr));
        summary.put("samples", samples);
        summary.put("partsPercent", percentages(byPart, total, 14));
        summary.put("callersOutsideJdkPercent", percentages(byCaller, total, 14));
        summary.put("threadsPercent", percentages(byThread, total, 8));
        return summary;
    }

    /** The most classes the JVM had loaded at any point of the recording. */
    private static long classesLoaded(Path jfr) throws Exception {
        long most = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(jfr)) {
            if (event.getEventType().getName().equals("jdk.ClassLoadingStatistics")) {
                most = Math.max(most, event.getLong("loadedClassCount"));
            }
        }
        return most;
    }

    private static String part(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            for (String[] part : PARTS) {
                if (type.startsWith(part[0])) {
                    return part[1];
                }
            }
        }
        return "other: " + frames.get(0).getMethod().getType().getName();
    }

    private static String caller(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            if (!type.startsWith("java.") && !type.startsWith("jdk.") && !type.startsWith("sun.")
                    && !type.startsWith("com.sun.") && !type.startsWith("javax.")) {
                return type + "." + frame.getMethod().getName();
            }
        }
        RecordedFrame top = frames.get(0);
        return top.getMethod().getType().getName() + "." + top.getMethod().getName();
    }

    private static Map<String, Double> percentages(Map<String, Double> weights, double total, int n) {
        Map<String, Double> result = new LinkedHashMap<>();
        weights.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(n)
                .forEach(e -> result.put(e.getKey(), Math.round(1000.0 * e.getValue() / Math.max(1, total)) / 10.0));
        return result;
    }
}
