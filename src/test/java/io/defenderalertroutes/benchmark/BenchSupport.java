package io.defenderalertroutes.benchmark;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.defenderalertroutes.emulator.DefenderEmulator;
import io.defenderalertroutes.testsupport.Bundle;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What the benchmark's parts share: TLS trust, result files, HTTP to the emulator, topics, heap and CPU probes. */
final class BenchSupport {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final String TENANT = Bundle.TENANT_ID;
    /** A fork tells the parent something on a stdout line with this prefix. */
    static final String EVENT = "@@ ";

    private BenchSupport() {
    }

    /** The emulator speaks HTTPS with its own certificate; every client in the JVM must trust it before first TLS use. */
    static void trustEmulator() {
        System.setProperty("javax.net.ssl.trustStore", DefenderEmulator.trustStoreFile().toString());
        System.setProperty("javax.net.ssl.trustStorePassword", DefenderEmulator.TRUST_STORE_PASSWORD);
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
    }

    static List<String> trustFlags() {
        return List.of("-Djavax.net.ssl.trustStore=" + DefenderEmulator.trustStoreFile(),
                "-Djavax.net.ssl.trustStorePassword=" + DefenderEmulator.TRUST_STORE_PASSWORD,
                "-Djavax.net.ssl.trustStoreType=PKCS12");
    }

    static void writeResult(Path file, Map<String, Object> result) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), result);
    }

    static void event(String text) {
        System.out.println(EVENT + text);
        System.out.flush();
    }

    /** A plain HTTPS client of the emulator, for the raw baseline and for measuring pages the bundle was served. */
    static final class ApiClient {
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(DefenderEmulator.trustingSslContext()).connectTimeout(Duration.ofSeconds(10)).build();
        private final String baseUrl;
        private final String token;

        ApiClient(String baseUrl) throws IOException, InterruptedException {
            this.baseUrl = baseUrl;
            String form = "grant_type=client_credentials&client_id=" + enc(Bundle.CLIENT_ID) + "&client_secret="
                    + enc(Bundle.CLIENT_SECRET) + "&scope=" + enc(DefenderEmulator.MDE_SCOPE);
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create(baseUrl + "/" + TENANT + "/oauth2/v2.0/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("token request failed: " + response.statusCode() + " " + response.body());
            }
            this.token = JSON.readTree(response.body()).get("access_token").asText();
        }

        /** The page for a query as the emulator logged it (percent-decoded), re-encoded as the bundle sent it. */
        byte[] page(String decodedQuery) throws IOException, InterruptedException {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(
                            URI.create(baseUrl + "/api/alerts?" + encodeQuery(decodedQuery)))
                    .header("Authorization", "Bearer " + token).header("Accept", "application/json")
                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("page request failed: " + response.statusCode());
            }
            return response.body();
        }

        private static String encodeQuery(String decoded) {
            List<String> parts = new ArrayList<>();
            for (String pair : decoded.split("&")) {
                int eq = pair.indexOf('=');
                parts.add(pair.substring(0, eq + 1) + enc(pair.substring(eq + 1)));
            }
            return String.join("&", parts);
        }

        private static String enc(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
        }
    }

    /** A one-partition topic; {@code LogAppendTime} makes each record's timestamp the broker's time of arrival. */
    static void createTopic(String bootstrap, String topic, boolean logAppendTime) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            NewTopic newTopic = new NewTopic(topic, 1, (short) 1);
            if (logAppendTime) {
                newTopic.configs(Map.of("message.timestamp.type", "LogAppendTime"));
            }
            admin.createTopics(List.of(newTopic)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create topic " + topic, e.getCause());
        }
    }

    static KafkaConsumer<String, byte[]> consumer(String bootstrap, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "benchmark-" + topic + "-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    /** Records on a topic, counted from the start, until {@code expected} or the timeout; values are not kept. */
    static long countRecords(String bootstrap, String topic, long expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long count = 0;
        try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrap, topic)) {
            while (count < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> ignored : consumer.poll(Duration.ofMillis(200))) {
                    count++;
                }
            }
        }
        return count;
    }

    /** CPU time of every live thread, by id, with its name; threads started later show up in the next snapshot. */
    static Map<Long, long[]> threadCpu() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, long[]> cpu = new HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            long nanos = threads.getThreadCpuTime(id);
            if (nanos >= 0) {
                cpu.put(id, new long[] {nanos});
            }
        }
        return cpu;
    }

    static Map<Long, String> threadNames() {
        Map<Long, String> names = new HashMap<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            names.put(thread.getId(), thread.getName());
        }
        return names;
    }

    /** CPU milliseconds spent between two snapshots, summed over threads whose names share a role. */
    static Map<String, Long> cpuByRole(Map<Long, long[]> before, Map<Long, long[]> after, Map<Long, String> names) {
        Map<String, Long> byRole = new LinkedHashMap<>();
        after.forEach((id, now) -> {
            long then = before.containsKey(id) ? before.get(id)[0] : 0;
            long ms = TimeUnit.NANOSECONDS.toMillis(now[0] - then);
            if (ms > 0) {
                byRole.merge(role(names.getOrDefault(id, "?")), ms, Long::sum);
            }
        });
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(byRole.entrySet());
        sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        Map<String, Long> result = new LinkedHashMap<>();
        sorted.forEach(e -> result.put(e.getKey(), e.getValue()));
        return result;
    }

    /** Thread names without their numbers, so a pool's threads add up. */
    static String role(String threadName) {
        return threadName.replaceAll("[-_#]?\\d+", "").replaceAll("\\s+", " ").trim();
    }

    /** Total bytes allocated so far by each live thread (HotSpot's per-thread TLAB accounting). */
    static Map<Long, Long> allocatedBytes() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        Map<Long, Long> result = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0) {
                result.put(ids[i], bytes[i]);
            }
        }
        return result;
    }

    static long allocatedBetween(Map<Long, Long> before, Map<Long, Long> after) {
        long total = 0;
        for (Map.Entry<Long, Long> e : after.entrySet()) {
            total += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        }
        return total;
    }

    static void resetHeapPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** Sum of each heap pool's peak since the reset: an upper bound of the heap in use at any one moment. */
    static long heapPeaks() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    static long heapUsedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static long[] gcCountAndMillis() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    /** Nearest-rank percentile. */
    static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static Map<String, String> bundleSettings(String emulatorUrl, Path dir) {
        return new HashMap<>(Bundle.tenantOn(emulatorUrl, dir));
    }
}
