package io.defenderalertroutes.packaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's class-data archive, checked without a Docker engine: the Dockerfile's own training step (its RUN line,
 * variables and java command as written) is run against the packaged jar and must leave an archive, and the image's
 * ENTRYPOINT flags, with {@code -Xshare:on} added so that an archive the JVM cannot map fails the start instead of
 * being passed over, must start the bundle.
 */
class ImageClassArchiveIT {

    private static final Path DOCKERFILE = Path.of("src/main/docker/Dockerfile");
    private static final Path JAR = Path.of("target/defender-alert-routes-runnable.jar").toAbsolutePath();
    private static final Pattern ASSIGNMENT = Pattern.compile("([A-Z_]+)=(\\S+)");

    @TempDir
    Path dir;

    @Test
    void theTrainingStepLeavesAnArchiveTheEntrypointMaps() throws Exception {
        String dockerfile = Files.readString(DOCKERFILE).replace("\\\n", " ");
        String run = dockerfile.lines().filter(l -> l.startsWith("RUN ") && l.contains("ArchiveClassesAtExit"))
                .findFirst().orElseThrow(() -> new AssertionError("no RUN line makes the class-data archive"));
        String training = dir.resolve("training").toString();
        Path archive = dir.resolve("defender-alert-routes.jsa");
        String command = run.substring(4).split("&&")[0].trim()
                .replace("/app/defender-alert-routes.jsa", archive.toString())
                .replace("/app/defender-alert-routes.jar", JAR.toString())
                .replace("/tmp/training", training);
        Map<String, String> env = new HashMap<>();
        List<String> java = new ArrayList<>();
        for (String word : command.split("\\s+")) {
            Matcher assignment = ASSIGNMENT.matcher(word);
            if (java.isEmpty() && assignment.matches()) {
                env.put(assignment.group(1), assignment.group(2));
            } else {
                java.add(word);
            }
        }
        assertEquals("java", java.get(0), command);
        java.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String trained = run(java, env, dir.resolve("training.log"));
        assertTrue(Files.size(archive) > 1_000_000, "an archive of the start-up's classes: " + trained);

        String entrypoint = dockerfile.lines().filter(l -> l.startsWith("ENTRYPOINT")).findFirst().orElseThrow();
        List<String> start = new ArrayList<>(Arrays.stream(entrypoint.replaceAll(".*\\[|].*", "").split(","))
                .map(s -> s.trim().replaceAll("^\"|\"$", "")).toList());
        start.replaceAll(a -> a.replace("/app/defender-alert-routes.jsa", archive.toString())
                .replace("/app/defender-alert-routes.jar", JAR.toString()));
        assertTrue(start.stream().anyMatch(a -> a.startsWith("-XX:SharedArchiveFile=")), entrypoint);
        start.set(0, java.get(0));
        start.add(1, "-Xshare:on");
        String started = run(start, env, dir.resolve("start.log"));
        assertTrue(started.contains(") started in "), started);
    }

    private static String run(List<String> command, Map<String, String> env, Path log) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "ends by itself");
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), output);
        return output;
    }
}
