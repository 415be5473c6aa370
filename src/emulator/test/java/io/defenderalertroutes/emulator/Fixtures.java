package io.defenderalertroutes.emulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Microsoft's documented response bodies (CC BY 4.0, see fixtures/SOURCES.md), and alert texts cut from them. */
final class Fixtures {

    private Fixtures() {
    }

    static String text(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("No fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first alert object of a list response, character for character (indentation included). */
    static String firstAlert(String name) {
        String text = text(name);
        try (JsonParser parser = new JsonFactory().createParser(text)) {
            while (parser.nextToken() != null) {
                if (parser.currentToken() == JsonToken.FIELD_NAME && "value".equals(parser.currentName())) {
                    parser.nextToken();
                    parser.nextToken();
                    int start = (int) parser.currentTokenLocation().getCharOffset();
                    parser.skipChildren();
                    int end = (int) parser.currentTokenLocation().getCharOffset() + 1;
                    return text.substring(start, end);
                }
            }
            throw new IllegalArgumentException("No value array in " + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
