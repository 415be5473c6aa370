package io.defenderalertroutes.emulator;

import java.util.Map;

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
}
