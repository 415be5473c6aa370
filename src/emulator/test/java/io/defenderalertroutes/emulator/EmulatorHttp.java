package io.defenderalertroutes.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.time.Duration;

/**
 * A plain JDK HTTP client that trusts the emulator through the trust store file a real client would be given,
 * and no JVM-wide TLS setting, so the tests prove the file and its password work on their own.
 */
final class EmulatorHttp {

    static final String TENANT = "3f6b1c52-8a4e-4d7b-9c1a-5e2f7d8b9a10";
    static final String CLIENT_ID = "b1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f";
    static final String CLIENT_SECRET = "Qk8~emulator.test-secret_1";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final DefenderEmulator emulator;
    private final HttpClient client;

    EmulatorHttp(DefenderEmulator emulator) {
        this.emulator = emulator;
        this.client = HttpClient.newBuilder()
                .sslContext(trustingEmulatorFile())
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    static SSLContext trustingEmulatorFile() {
        try (InputStream in = Files.newInputStream(DefenderEmulator.trustStoreFile())) {
            KeyStore trustStore = KeyStore.getInstance("PKCS12");
            trustStore.load(in, DefenderEmulator.TRUST_STORE_PASSWORD.toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String form(String... namesAndValues) {
        StringBuilder form = new StringBuilder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (form.length() > 0) {
                form.append('&');
            }
            form.append(URLEncoder.encode(namesAndValues[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8));
        }
        return form.toString();
    }

    static String clientCredentials(String clientId, String secret) {
        return form("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret,
                "scope", DefenderEmulator.MDE_SCOPE);
    }

    static String graphCredentials(String clientId, String secret) {
        return form("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret,
                "scope", DefenderEmulator.GRAPH_SCOPE);
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("Not JSON: " + response.body(), e);
        }
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    HttpResponse<String> postToken(String tenant, String formBody) {
        return postToken(tenant, formBody, null);
    }

    HttpResponse<String> postToken(String tenant, String formBody, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(emulator.authorityUrl() + "/" + tenant + "/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formBody));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A token for the standard test client, which the caller must have registered. */
    String token() {
        HttpResponse<String> response = postToken(TENANT, clientCredentials(CLIENT_ID, CLIENT_SECRET));
        if (response.statusCode() != 200) {
            throw new AssertionError("No token: " + response.statusCode() + " " + response.body());
        }
        return json(response).get("access_token").asText();
    }

    /** A Graph-audience token for the standard test client, which the caller must have registered. */
    String graphToken() {
        return tokenFor(DefenderEmulator.GRAPH_SCOPE);
    }

    /** A Defender XDR-audience token for the standard test client. */
    String defenderXdrToken() {
        return tokenFor(DefenderEmulator.DEFENDER_XDR_SCOPE);
    }

    /** A token of the standard test client for the scope, as the token endpoint issues it. */
    String tokenFor(String scope) {
        HttpResponse<String> response = postToken(TENANT, form("grant_type", "client_credentials", "client_id", CLIENT_ID,
                "client_secret", CLIENT_SECRET, "scope", scope));
        if (response.statusCode() != 200) {
            throw new AssertionError("No token: " + response.statusCode() + " " + response.body());
        }
        return json(response).get("access_token").asText();
    }

    /** GET /v1.0/security/alerts_v2 with an already encoded query (may be empty) and no Prefer header. */
    HttpResponse<String> graphAlerts(String token, String encodedQuery) {
        return graphAlerts(token, encodedQuery, null);
    }

    /** The same with a Prefer header when {@code prefer} is not null. */
    HttpResponse<String> graphAlerts(String token, String encodedQuery, String prefer) {
        return graph(DefenderEmulator.GRAPH_ALERTS_PATH, token, encodedQuery, prefer);
    }

    /** GET /v1.0/security/incidents with an already encoded query (may be empty). */
    HttpResponse<String> graphIncidents(String token, String encodedQuery) {
        return graph(GraphAlertsEndpoint.INCIDENTS_PATH, token, encodedQuery, null);
    }

    HttpResponse<String> graph(String path, String token, String encodedQuery, String prefer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(emulator.graphBaseUrl()
                + path + (encodedQuery.isEmpty() ? "" : "?" + encodedQuery))).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (prefer != null) {
            request.header("Prefer", prefer);
        }
        return send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GET /api/alerts with an already encoded query (may be empty). */
    HttpResponse<String> alerts(String token, String encodedQuery) {
        return get(alertsUrl(encodedQuery), token, HttpResponse.BodyHandlers.ofString());
    }

    /** GET /api/incidents (Defender XDR) with an already encoded query (may be empty). */
    HttpResponse<String> defenderIncidents(String token, String encodedQuery) {
        return get(emulator.baseUrl() + "/api/incidents" + (encodedQuery.isEmpty() ? "" : "?" + encodedQuery), token,
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> alertsBytes(String token, String encodedQuery) {
        return get(alertsUrl(encodedQuery), token, HttpResponse.BodyHandlers.ofByteArray());
    }

    <T> HttpResponse<T> get(String url, String token, HttpResponse.BodyHandler<T> handler) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build(), handler);
    }

    private String alertsUrl(String encodedQuery) {
        return emulator.baseUrl() + "/api/alerts" + (encodedQuery.isEmpty() ? "" : "?" + encodedQuery);
    }

    HttpResponse<String> send(HttpRequest request) {
        return send(request, HttpResponse.BodyHandlers.ofString());
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return client.send(request, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
