package io.myelin.webhook;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.JsonParser;
import io.myelin.stream.Event;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The body of a delivery, the Standard Webhooks envelope around one event:
 * {@code {"type", "timestamp", "data": {axon_id, sequence, event_type, origin, source, timestamp_ms, payload}}}.
 * {@code type} is the event type, {@code timestamp} the event's commit time in ISO-8601, and {@code payload} the
 * event's payload parsed when it is one JSON value (so an intent event carries the IntentView object), else the payload
 * string as it is (also when it nests so deep that the envelope would pass the 1000 levels JSON readers accept). The same event always renders the same bytes, so every attempt of a delivery sends one body.
 */
public final class DeliveryBody {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private DeliveryBody() {}

    public static byte[] render(Event e) {
        try {
            return render(e, true);
        } catch (RuntimeException tooDeep) {
            // A payload nested nearly as deep as readers allow cannot be nested two levels deeper in the envelope:
            // it goes as the string it is, as a payload that is not JSON does (the same bytes on every attempt).
            return render(e, false);
        }
    }

    private static byte[] render(Event e, boolean structured) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + e.payload().length());
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", e.eventType());
            g.writeStringField("timestamp", Instant.ofEpochMilli(e.timestampMs()).toString());
            g.writeObjectFieldStart("data");
            g.writeStringField("axon_id", e.axonId());
            g.writeNumberField("sequence", e.sequence());
            g.writeStringField("event_type", e.eventType());
            g.writeStringField("origin", e.origin().name());
            g.writeStringField("source", e.source());
            g.writeNumberField("timestamp_ms", e.timestampMs());
            g.writeFieldName("payload");
            JsonNode parsed = structured ? parse(e.payload()) : null;
            if (parsed != null) {
                JSON.writeTree(g, parsed);
            } else {
                g.writeString(e.payload());
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    /** The payload as one JSON value, or null when it is not exactly one. */
    private static JsonNode parse(String payload) {
        try {
            JsonNode n = JSON.readTree(payload);
            return n == null || n.isMissingNode() ? null : n;
        } catch (IOException | RuntimeException notJson) {
            return null;
        }
    }
}
