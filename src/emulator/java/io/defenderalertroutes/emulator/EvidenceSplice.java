package io.defenderalertroutes.emulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * Derives the unexpanded text of an alert by cutting its top-level evidence array out of the original text.
 * Re-serialising the alert would change whitespace, number spelling and key order, and the client under test is
 * checked to forward the served bytes unchanged; so only the array's own characters are replaced.
 */
final class EvidenceSplice {

    private static final JsonFactory JSON = new JsonFactory();

    private EvidenceSplice() {
    }

    /** The same text with a non-empty top-level {@code "evidence"} array replaced by {@code []}; else the text. */
    static String withoutEvidence(String alertJson) {
        try (JsonParser parser = JSON.createParser(alertJson)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("An alert must be a JSON object");
            }
            String result = alertJson;
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                boolean isEvidence = "evidence".equals(parser.currentName());
                JsonToken value = parser.nextToken();
                if (isEvidence && value == JsonToken.START_ARRAY) {
                    int start = Math.toIntExact(parser.currentTokenLocation().getCharOffset());
                    parser.skipChildren();
                    int end = Math.toIntExact(parser.currentTokenLocation().getCharOffset()) + 1;
                    if (!alertJson.substring(start + 1, end - 1).isBlank()) {
                        result = alertJson.substring(0, start) + "[]" + alertJson.substring(end);
                    }
                } else {
                    parser.skipChildren();
                }
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new IllegalArgumentException("An alert must be exactly one JSON object");
            }
            return result;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the alert text", e);
        }
    }
}
