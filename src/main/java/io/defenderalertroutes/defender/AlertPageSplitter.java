package io.defenderalertroutes.defender;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.apache.camel.Exchange;

/**
 * Splits an alerts page into alerts, one at a time. The page is read once as bytes and walked with a streaming
 * parser; each alert is cut out of those bytes at its start and end offsets, so its JSON stays exactly as the API
 * wrote it and no tree of the whole page is ever built.
 */
public final class AlertPageSplitter {

    private static final JsonFactory JSON = new JsonFactory();

    private final AlertApi api;

    public AlertPageSplitter() {
        this(AlertApi.DEFENDER);
    }

    public AlertPageSplitter(AlertApi api) {
        this.api = api;
    }

    public Iterator<DefenderAlert> split(Exchange exchange) {
        PollWindow window = exchange.getProperty(PollWindow.PROPERTY, PollWindow.class);
        byte[] page = exchange.getMessage().getBody(byte[].class);
        if (page == null || page.length == 0) {
            throw new MalformedPageException("the alerts API answered with an empty body");
        }
        try {
            return new PageIterator(page, window, api, exchange);
        } catch (IOException e) {
            throw new MalformedPageException("the alerts page is not JSON: " + describe(e));
        }
    }

    private static String describe(IOException e) {
        return e instanceof com.fasterxml.jackson.core.JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
    }

    private static final class PageIterator implements Iterator<DefenderAlert> {
        private final byte[] page;
        private final PollWindow window;
        private final AlertApi api;
        private final JsonParser parser;
        private boolean sawValue;
        private boolean done;
        private DefenderAlert next;
        /** The poll's record: once a sink that holds failed an alert, the split takes no more (the poll fails). */
        private final UndeliveredAlerts undelivered;

        PageIterator(byte[] page, PollWindow window, AlertApi api, Exchange pageExchange) throws IOException {
            // the poll's exchange as Camel gives it to a method expression is a copy, but its properties are the poll's
            this.undelivered = UndeliveredAlerts.of(pageExchange);
            this.page = page;
            this.window = window;
            this.api = api;
            this.parser = JSON.createParser(page);
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedPageException("the alerts page is not a JSON object");
            }
        }

        @Override
        public boolean hasNext() {
            if (undelivered != null && undelivered.isHeld()) {
                return false;
            }
            if (next == null && !done) {
                advance();
            }
            return next != null;
        }

        @Override
        public DefenderAlert next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            DefenderAlert current = next;
            next = null;
            return current;
        }

        private void advance() {
            try {
                next = read();
            } catch (IOException e) {
                throw new MalformedPageException("the alerts page is not valid JSON: " + describe(e));
            } catch (RuntimeException e) {
                closeQuietly();
                throw e;
            }
        }

        /** Reads up to the next alert; at the end of the page reads the trailing fields and returns null. */
        private DefenderAlert read() throws IOException {
            while (true) {
                if (sawValue && parser.getParsingContext().inArray()) {
                    JsonToken token = parser.nextToken();
                    if (token == JsonToken.START_OBJECT) {
                        return readAlert();
                    }
                    if (token != JsonToken.END_ARRAY) {
                        throw new MalformedPageException("an element of 'value' is not a JSON object");
                    }
                    continue;
                }
                JsonToken token = parser.nextToken();
                if (token == JsonToken.END_OBJECT || token == null) {
                    finish(token);
                    return null;
                }
                String field = parser.currentName();
                JsonToken valueToken = parser.nextToken();
                if ("value".equals(field)) {
                    if (valueToken != JsonToken.START_ARRAY) {
                        throw new MalformedPageException("'value' is not an array");
                    }
                    sawValue = true;
                } else if ("@odata.nextLink".equals(field) && valueToken == JsonToken.VALUE_STRING) {
                    window.pageNextLink(parser.getText());
                } else {
                    parser.skipChildren();
                }
            }
        }

        private DefenderAlert readAlert() throws IOException {
            DefenderAlert alert = AlertReader.read(parser, page, api, null);
            try {
                window.seen(alert.lastUpdateTime());
            } catch (MalformedPageException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new MalformedPageException("alert " + alert.id() + " has " + api.timeField() + " '"
                        + alert.lastUpdateTime() + "', not a timestamp");
            }
            return alert;
        }

        private void finish(JsonToken last) throws IOException {
            done = true;
            closeQuietly();
            if (last == null) {
                throw new MalformedPageException("the alerts page ends early (truncated JSON)");
            }
            if (!sawValue) {
                throw new MalformedPageException("the alerts page has no 'value' array");
            }
        }

        private void closeQuietly() {
            try {
                parser.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
