package io.defenderalertroutes.emulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;

/**
 * A response forced onto a tenant's next API call. A truncated fault is the real answer to that call cut short,
 * so the client sees a 200 and a plausible start of a page before the JSON breaks off.
 */
record InjectedFault(int status, String body, Map<String, String> headers, boolean truncated) {

    InjectedFault {
        headers = Map.copyOf(headers);
    }

    static InjectedFault response(int status, String body, Map<String, String> headers) {
        return new InjectedFault(status, body == null ? "" : body, headers == null ? Map.of() : headers, false);
    }

    static InjectedFault truncatedPage() {
        return new InjectedFault(200, "", Map.of(), true);
    }

    /**
     * Answers with this fault when it replaces the whole response; a truncated page is the endpoint's to cut.
     *
     * @return whether the answer was sent
     */
    boolean sentInstead(HttpExchange exchange) throws IOException {
        if (truncated) {
            return false;
        }
        boolean hasType = headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Content-Type"));
        Http.send(exchange, status, hasType || body.isEmpty() ? null : Http.JSON, body.getBytes(StandardCharsets.UTF_8),
                headers);
        return true;
    }
}
