package io.myelin.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.myelin.client.json.MyelinJson;
import java.io.IOException;

/** The client's mapper ({@link MyelinJson}) and the two ways this package uses it. Thread-safe. */
final class Json {
    static final ObjectMapper MAPPER = MyelinJson.newMapper();

    private Json() {
    }

    /** {@code value} as JSON text; a value Jackson cannot serialize is the caller's mistake. */
    static String text(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize " + value.getClass().getName() + " to JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** Reads {@code json} as a {@code type}; throws the parser's exception for text that is not one. */
    static <T> T read(byte[] json, Class<T> type) throws IOException {
        return MAPPER.readValue(json, type);
    }

    static <T> T read(String json, Class<T> type) throws IOException {
        return MAPPER.readValue(json, type);
    }
}
