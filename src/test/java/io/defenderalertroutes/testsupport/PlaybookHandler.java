package io.defenderalertroutes.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;

/** A real HTTP server standing in for a playbook handler: it records every request it gets. */
public final class PlaybookHandler implements AutoCloseable {

    /** A request as it came, and the status it was answered with. */
    public record Request(String method, String path, Map<String, List<String>> headers, byte[] body, int status) {
        public boolean accepted() {
            return status >= 200 && status < 300;
        }

        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile java.util.function.ToIntFunction<String> status = path -> 200;

    public PlaybookHandler() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/", exchange -> {
            int answer = status.applyAsInt(exchange.getRequestURI().getPath());
            try (InputStream in = exchange.getRequestBody()) {
                requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        Map.copyOf(exchange.getRequestHeaders()), in.readAllBytes(), answer));
            }
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public void answerWith(int status) {
        this.status = path -> status;
    }

    /** Answers each request with the status given for its path. */
    public void answerWith(java.util.function.ToIntFunction<String> statusByPath) {
        this.status = statusByPath;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
