package io.defenderalertroutes.benchmark;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.defenderalertroutes.testsupport.Bundle;

/**
 * The bundle as deployed, polling on its own timer every minute (first poll at start), until the parent says stop.
 * The parent puts alerts into its emulator and reads the topic; the latency is measured there, on one clock.
 *
 * <p>Args: result file, emulator URL, kafka bootstrap, topic, work directory.
 */
public final class LatencyRun {

    public static void main(String[] args) throws Exception {
        BenchSupport.trustEmulator();
        Path out = Path.of(args[0]);
        Path dir = Files.createDirectories(Path.of(args[4]));
        Map<String, String> settings = BenchSupport.bundleSettings(args[1], dir);
        settings.put("defender.sinks", "kafka,file");
        settings.put("defender.sink.kafka.topic", args[3]);
        settings.put("camel.component.kafka.brokers", args[2]);
        settings.put("defender.poll.interval", "PT1M");
        settings.put("defender.poll.on-start", "true");
        long started;
        try (Bundle bundle = Bundle.start(settings)) {
            started = System.currentTimeMillis();
            BenchSupport.event("started " + started);
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("startedAtMillis", started);
        BenchSupport.writeResult(out, result);
        System.exit(0);
    }
}
