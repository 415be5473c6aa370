package io.defenderalertroutes.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.defenderalertroutes.assembly.TenantAssembly;
import io.defenderalertroutes.auth.AccessTokens;
import io.defenderalertroutes.auth.TokenEnricher;
import io.defenderalertroutes.auth.TrustSettings;
import io.defenderalertroutes.config.BundleDefaults;
import io.defenderalertroutes.tenant.ApiLimits;
import io.defenderalertroutes.tenant.Tenant;
import io.defenderalertroutes.testsupport.LogCapture;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * routes/defender-api.camel.yaml on its own: the call to the alerts API replaced by a mock that answers as the API
 * would fail, so that each failure's handling (401, 403, 429, 5xx, a timeout) is seen without the emulator.
 */
class DefenderApiRouteTest extends CamelTestSupport {

    private static final String URL = "https://api.securitycenter.microsoft.com/api/alerts";
    private static final byte[] PAGE = "{\"value\":[]}".getBytes(StandardCharsets.UTF_8);

    /** Hands out token-1, token-2, ... and counts how often the route asked for a fresh one. */
    private final CountingTokens tokens = new CountingTokens();

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        // each test replaces the HTTP call its own way before the context starts
        configuration.withUseAdviceWith(true);
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        // a 5xx or a broken connection backs off from this delay; the shipped second would only slow the tests down
        context.getPropertiesComponent().addInitialProperty("defender.api.retry-delay", "PT0.01S");
        BundleDefaults.apply(context);
        TenantAssembly.bindSharedBeans(context, new TrustSettings(null, null, null));
        ProjectRoutes.load(context, "defender-api");
        return context;
    }

    private MockEndpoint apiAnsweredByMock() throws Exception {
        AdviceWith.adviceWith(context, "defender-api-attempt",
                a -> a.weaveById("alerts-api").replace().to("mock:api"));
        context.start();
        MockEndpoint api = getMockEndpoint("mock:api");
        api.whenAnyExchangeReceived(e -> e.getMessage().setBody(PAGE));
        return api;
    }

    /** A poll's call: the tenant (with its limits) and the token as the poller's add-access-token leaves them. */
    private Exchange call(ApiLimits limits) {
        return template.send("direct:defender-api-call", e -> {
            new Tenant("contoso", limits, null).putOn(e);
            new TokenEnricher(tokens).process(e);
            e.getMessage().setHeader(Exchange.HTTP_URI, URL);
        });
    }

    private static ApiLimits limits(int retries, int throttleRetries) {
        return new ApiLimits(100, 1500, 60_000, retries, throttleRetries);
    }

    private static HttpOperationFailedException answered(int status, Map<String, String> headers) {
        return new HttpOperationFailedException(URL, status, "HTTP " + status, null, headers, "{}");
    }

    @Test
    void a401IsRetriedOnceWithANewToken() throws Exception {
        MockEndpoint api = apiAnsweredByMock();
        api.whenExchangeReceived(1, e -> {
            throw answered(401, Map.of());
        });
        api.expectedMessageCount(2);

        Exchange done = call(limits(4, 3));

        api.assertIsSatisfied(5_000);
        assertNull(done.getException(), "the retry with a new token got the page");
        assertEquals(1, tokens.invalidated.get(), "the rejected token was dropped from the cache");
        assertEquals("Bearer token-1", api.getExchanges().get(0).getMessage().getHeader("Authorization"));
        assertEquals("Bearer token-2", api.getExchanges().get(1).getMessage().getHeader("Authorization"));
        assertEquals(new String(PAGE, StandardCharsets.UTF_8), done.getMessage().getBody(String.class));
    }

    @Test
    void a401ThatPersistsFailsTheCallAfterItsOneRetry() throws Exception {
        MockEndpoint api = apiAnsweredByMock();
        api.whenAnyExchangeReceived(e -> {
            throw answered(401, Map.of());
        });
        // one retry, not the 4 of defender.api.retries: a second 401 is a credential problem, not a passing one
        api.expectedMessageCount(2);

        Exchange done = call(limits(4, 3));

        api.assertIsSatisfied(5_000);
        assertEquals(401, assertInstanceOf(HttpOperationFailedException.class, done.getException()).getStatusCode());
        assertEquals(1, tokens.invalidated.get());
    }

    @Test
    void a403IsNotRetriedAndNamesThePermissionToGrant() throws Exception {
        MockEndpoint api = apiAnsweredByMock();
        api.whenAnyExchangeReceived(e -> {
            throw answered(403, Map.of());
        });
        api.expectedMessageCount(1);

        Exchange done;
        List<String> lines;
        try (LogCapture log = new LogCapture()) {
            done = call(limits(4, 3));
            lines = log.lines();
        }

        api.assertIsSatisfied(5_000);
        // the failure reaches the poll (which keeps its checkpoint) rather than being swallowed
        assertEquals(403, assertInstanceOf(HttpOperationFailedException.class, done.getException()).getStatusCode());
        assertEquals(0, tokens.invalidated.get(), "a 403 is no token problem");
        assertTrue(lines.stream().anyMatch(l -> l.contains("ERROR") && l.contains("HTTP 403")
                && l.contains("Alert.Read.All") && l.contains("contoso")), () -> "no ERROR naming the permission: " + lines);
    }

    @Test
    void a429WaitsForItsRetryAfterBeforeTheNextAttempt() throws Exception {
        MockEndpoint api = apiAnsweredByMock();
        api.whenExchangeReceived(1, e -> {
            throw answered(429, Map.of("Retry-After", "2"));
        });
        api.expectedMessageCount(2);

        Exchange done = call(limits(4, 3));

        api.assertIsSatisfied(5_000);
        assertNull(done.getException());
        long waited = received(api, 1) - received(api, 0);
        // exactly what the API asked for, never less (a client that comes back sooner is throttled again); 2 s, so
        // that neither the 10 ms backoff of a 5xx nor Camel's default 1 s redelivery delay would pass for it
        assertTrue(waited >= 2_000 && waited < 4_000, "waited " + waited + " ms for Retry-After: 2");
    }

    @Test
    void throttlingThatPersistsFailsTheCallAfterTheTenantsThrottleRetries() throws Exception {
        MockEndpoint api = apiAnsweredByMock();
        api.whenAnyExchangeReceived(e -> {
            throw answered(429, Map.of("Retry-After", "0"));
        });
        // the first attempt and defender.api.throttle-retries (2) more
        api.expectedMessageCount(3);

        Exchange done = call(limits(4, 2));

        api.assertIsSatisfied(5_000);
        assertEquals(429, assertInstanceOf(HttpOperationFailedException.class, done.getException()).getStatusCode());
    }

    @Test
    void a5xxIsRetriedWithBackoffUpToTheTenantsRetries() throws Exception {
        MockEndpoint api = apiAnsweredByMock();
        api.whenExchangeReceived(1, e -> {
            throw answered(500, Map.of());
        });
        api.whenExchangeReceived(2, e -> {
            throw answered(502, Map.of());
        });
        api.expectedMessageCount(3);

        Exchange done = call(limits(2, 3));

        api.assertIsSatisfied(5_000);
        assertNull(done.getException(), "the third attempt, within defender.api.retries=2, got the page");
        assertEquals(0, tokens.invalidated.get());
    }

    @Test
    void a5xxThatPersistsFailsTheCallAfterTheTenantsRetries() throws Exception {
        MockEndpoint api = apiAnsweredByMock();
        api.whenAnyExchangeReceived(e -> {
            throw answered(500, Map.of());
        });
        api.expectedMessageCount(3);

        Exchange done = call(limits(2, 3));

        api.assertIsSatisfied(5_000);
        assertEquals(500, assertInstanceOf(HttpOperationFailedException.class, done.getException()).getStatusCode());
        // no attempt beyond the retries: the mock would have seen a fourth
        assertEquals(3, api.getReceivedCounter());
    }

    /**
     * The real HTTP endpoint against a server that accepts the connection and never answers: the tenant's timeout
     * ends each attempt, the timeout is retried like a broken connection, and the call fails instead of hanging.
     */
    @Test
    // without the tenant's timeout the call would wait for ever: fail instead of hanging the build
    @Timeout(20)
    void anAnswerThatNeverComesTimesOutAndIsRetried() throws Exception {
        AdviceWith.adviceWith(context, "defender-api-attempt", a -> a.weaveById("alerts-api").before().to("mock:api"));
        context.start();
        MockEndpoint attempts = getMockEndpoint("mock:api");
        attempts.expectedMessageCount(2);
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();

            long start = System.nanoTime();
            Exchange done = template.send("direct:defender-api-call", e -> {
                new Tenant("contoso", new ApiLimits(100, 1500, 300, 1, 3), null).putOn(e);
                new TokenEnricher(tokens).process(e);
                e.getMessage().setHeader(Exchange.HTTP_URI, "https://localhost:" + silent.getLocalPort() + "/api/alerts");
            });
            long tookMillis = (System.nanoTime() - start) / 1_000_000;

            attempts.assertIsSatisfied(5_000);
            assertInstanceOf(SocketTimeoutException.class, rootCause(done.getException()), () -> String.valueOf(done.getException()));
            assertEquals(2, held.size(), "one attempt and defender.api.retries=1 retry, each on its own connection");
            // two attempts of 300 ms and a 10 ms backoff: nowhere near the shipped 60 s timeout
            assertTrue(tookMillis < 5_000, "took " + tookMillis + " ms");
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    private static Throwable rootCause(Throwable t) {
        Throwable cause = t;
        while (cause != null && !(cause instanceof SocketTimeoutException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static long received(MockEndpoint mock, int index) {
        return mock.getExchanges().get(index).getProperty(Exchange.RECEIVED_TIMESTAMP, Long.class);
    }

    private static final class CountingTokens implements AccessTokens {
        final AtomicInteger issued = new AtomicInteger();
        final AtomicInteger invalidated = new AtomicInteger();
        private volatile String current;

        @Override
        public synchronized String accessToken() {
            if (current == null) {
                current = "token-" + issued.incrementAndGet();
            }
            return current;
        }

        @Override
        public synchronized void invalidate() {
            invalidated.incrementAndGet();
            current = null;
        }
    }
}
