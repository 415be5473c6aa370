package io.defenderalertroutes.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static io.defenderalertroutes.emulator.EmulatorHttp.CLIENT_ID;
import static io.defenderalertroutes.emulator.EmulatorHttp.CLIENT_SECRET;
import static io.defenderalertroutes.emulator.EmulatorHttp.TENANT;
import static io.defenderalertroutes.emulator.EmulatorHttp.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThrottlingAndFaultsTest extends EmulatorTest {

    private String token;

    @BeforeEach
    void start() {
        emulator.registerClient("other-tenant", CLIENT_ID, CLIENT_SECRET);
        token = http.token();
    }

    @Test
    void pastThePerMinuteLimitCallsGet429UntilRetryAfterHasPassed() {
        emulator.setRateLimit(3, 100);
        for (int i = 0; i < 3; i++) {
            assertEquals(200, http.alerts(token, "").statusCode());
        }

        HttpResponse<String> throttled = http.alerts(token, "");
        HttpResponse<String> tooSoon = http.alerts(token, "");

        assertEquals(429, throttled.statusCode());
        long retryAfter = Long.parseLong(throttled.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 55 && retryAfter <= 60, "Retry-After " + retryAfter);
        assertEquals("TooManyRequests", json(throttled).get("error").get("code").asText());
        assertEquals(429, tooSoon.statusCode(), "retrying before Retry-After is refused again");
        assertEquals(5, emulator.apiRequests(TENANT));
    }

    @Test
    void thePerHourLimitTellsToWaitAboutAnHour() {
        emulator.setRateLimit(100, 2);
        http.alerts(token, "");
        http.alerts(token, "");

        HttpResponse<String> throttled = http.alerts(token, "");

        assertEquals(429, throttled.statusCode());
        long retryAfter = Long.parseLong(throttled.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter > 3500 && retryAfter <= 3600, "Retry-After " + retryAfter);
    }

    @Test
    void limitsArePerTenant() {
        emulator.setRateLimit(1, 100);
        String otherToken = json(http.postToken("other-tenant",
                EmulatorHttp.clientCredentials(CLIENT_ID, CLIENT_SECRET))).get("access_token").asText();

        assertEquals(200, http.alerts(token, "").statusCode());
        assertEquals(429, http.alerts(token, "").statusCode());
        assertEquals(200, http.alerts(otherToken, "").statusCode());
    }

    @Test
    void resetCountersAlsoClearsTheRateLimitWindows() {
        emulator.setRateLimit(1, 100);
        http.alerts(token, "");
        assertEquals(429, http.alerts(token, "").statusCode());

        emulator.resetCounters();

        assertEquals(200, http.alerts(token, "").statusCode());
    }

    @Test
    void queuedFaultsAreServedFirstInFirstOut() {
        emulator.enqueueFault(TENANT, 500, "{\"error\":{\"code\":\"InternalServerError\",\"message\":\"retry the operation\","
                + "\"target\":\"1\"}}", Map.of());
        emulator.enqueueFault(TENANT, 503, "", Map.of("Retry-After", "7"));

        HttpResponse<String> first = http.alerts(token, "");
        HttpResponse<String> second = http.alerts(token, "");
        HttpResponse<String> third = http.alerts(token, "");

        assertEquals(500, first.statusCode());
        assertEquals("InternalServerError", json(first).get("error").get("code").asText());
        assertTrue(first.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        assertEquals(503, second.statusCode());
        assertEquals("7", second.headers().firstValue("Retry-After").orElseThrow());
        assertEquals(200, third.statusCode());
    }

    @Test
    void faultsBelongToOneTenant() {
        emulator.enqueueFault("other-tenant", 500, "", Map.of());

        assertEquals(200, http.alerts(token, "").statusCode());
    }

    @Test
    void aMalformedPageIsA200WithTruncatedJson() {
        emulator.putAlert(TENANT, AlertJson.alert("a1", "2021-01-26T20:00:00Z", "New", "Low", "Malware"));
        emulator.enqueueMalformed(TENANT);

        HttpResponse<String> malformed = http.alerts(token, "");
        HttpResponse<String> next = http.alerts(token, "");

        assertEquals(200, malformed.statusCode());
        assertTrue(malformed.body().startsWith("{\"@odata.context\":"), malformed.body());
        assertThrows(IOException.class, () -> new ObjectMapper().readTree(malformed.body()));
        assertEquals(1, json(next).get("value").size());
    }

    @Test
    void responsesCanBeDelayed() {
        emulator.setResponseDelay(Duration.ofMillis(300));
        long start = System.nanoTime();

        assertEquals(200, http.alerts(token, "").statusCode());

        assertTrue(System.nanoTime() - start >= Duration.ofMillis(300).toNanos());
    }
}
