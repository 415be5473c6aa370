package io.defenderalertroutes.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import com.fasterxml.jackson.core.type.TypeReference;

/**
 * A part of the benchmark in a JVM of its own, so that its heap limit, JIT state and garbage are its own. Its
 * output goes to a log file; lines it marks as events go to a handler that may answer on the fork's stdin.
 */
final class Fork {

    private final String name;
    private final Process process;
    private final Path result;
    private final Path log;
    private final Thread reader;
    private final PrintWriter stdin;

    private Fork(String name, Process process, Path result, Path log, Thread reader) {
        this.name = name;
        this.process = process;
        this.result = result;
        this.log = log;
        this.reader = reader;
        this.stdin = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    /**
     * @param args the main class's arguments after the result file, which always comes first
     */
    static Fork start(String name, Path outDir, List<String> jvmFlags, Class<?> mainClass, List<String> args,
            BiConsumer<Fork, String> onEvent) throws IOException {
        Path result = outDir.resolve(name + ".json");
        Path log = outDir.resolve("logs").resolve(name + ".log");
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(result);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.addAll(BenchSupport.trustFlags());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.add(result.toString());
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Fork[] self = new Fork[1];
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                String line;
                while ((line = lines.readLine()) != null) {
                    out.write(line);
                    out.write('\n');
                    if (line.startsWith(BenchSupport.EVENT) && onEvent != null) {
                        out.flush();
                        synchronized (self) {
                            while (self[0] == null) {
                                self.wait();
                            }
                        }
                        onEvent.accept(self[0], line.substring(BenchSupport.EVENT.length()));
                    }
                }
            } catch (IOException e) {
                // the fork ended; its exit code tells the rest
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "fork-" + name);
        reader.setDaemon(true);
        reader.start();
        Fork fork = new Fork(name, process, result, log, reader);
        synchronized (self) {
            self[0] = fork;
            self.notifyAll();
        }
        return fork;
    }

    void tell(String line) {
        stdin.println(line);
    }

    /** Waits for the fork; its result, or an exception naming its log when it failed or took too long. */
    Map<String, Object> await(long timeoutSeconds) throws Exception {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(name + " did not finish within " + timeoutSeconds + " s; see " + log);
        }
        reader.join(5_000);
        if (process.exitValue() != 0 || !Files.exists(result)) {
            throw new IllegalStateException(name + " failed (exit " + process.exitValue() + "); see " + log);
        }
        return BenchSupport.JSON.readValue(result.toFile(), new TypeReference<Map<String, Object>>() { });
    }

    void kill() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
