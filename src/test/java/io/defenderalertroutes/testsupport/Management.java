package io.defenderalertroutes.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The bundle's management port as an operator or a Prometheus scraper sees it. */
public final class Management {

    /**
     * HTTP/1.1, as Prometheus scrapes: the JDK client's default asks every call to upgrade to HTTP/2 (h2c), a path no
     * scraper takes, and the one stalled scrape ever seen was on a pooled connection of that default client.
     */
    private static final HttpClient HTTP = client();

    private final int port;

    public Management(int port) {
        this.port = port;
    }

    /** A free management port, written into a bundle's {@code settings}, and its endpoints there. */
    public static Management on(java.util.Map<String, String> settings) throws IOException {
        Management management = new Management(freePort());
        settings.put("camel.management.port", String.valueOf(management.port));
        return management;
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    /**
     * A GET that cannot hang a test run: at most 30 s, and a call that stalls is tried once more on a connection of
     * its own (a stall was seen once in a full run, on a pooled connection; a wrong answer is never retried).
     */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30)).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.net.http.HttpTimeoutException stalled) {
            // said aloud, so that a run of many shows whether it ever happens
            System.out.println("STALLED management call, tried again on a new connection: " + request.uri());
            return client().send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    /** A GET with the {@code Authorization} header given. */
    public HttpResponse<String> get(String path, String authorization) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", authorization).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A POST of no body, with the {@code Authorization} header given (null for none). */
    public HttpResponse<String> post(String path, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    public String metrics() throws IOException, InterruptedException {
        return get("/observe/metrics").body();
    }

    /**
     * The value of the Prometheus sample {@code name} whose labels include every {@code label="value"} given,
     * or empty when there is none.
     */
    public static OptionalDouble sample(String exposition, String name, String... labels) {
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(exposition);
        while (m.find()) {
            String found = m.group(1);
            boolean all = true;
            for (String label : labels) {
                all &= found.contains(label);
            }
            if (all) {
                return OptionalDouble.of(Double.parseDouble(m.group(2)));
            }
        }
        return OptionalDouble.empty();
    }
}
