package io.myelin.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.myelin.stream.Event;
import io.myelin.stream.Origin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Standard Webhooks envelope of an event, for payloads that are JSON, are not, and nest as deep as allowed. */
@Timeout(10)
class DeliveryBodyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode payloadOf(String payload) throws Exception {
        Event e = new Event("axn_a", 7, "note", Origin.USER_EVENT, "t", payload, 1_700_000_000_000L);
        JsonNode body = JSON.readTree(DeliveryBody.render(e));
        assertThat(body.get("type").asText()).isEqualTo("note");
        assertThat(body.get("data").get("sequence").asLong()).isEqualTo(7);
        return body.get("data").get("payload");
    }

    @Test
    void aJsonPayloadIsNestedAndAnythingElseIsAString() throws Exception {
        assertThat(payloadOf("{\"n\":1}").get("n").asInt()).isEqualTo(1);
        assertThat(payloadOf("not json").asText()).isEqualTo("not json");
    }

    @Test
    void aPayloadNestedNearlyAsDeepAsReadersAllowGoesAsItsString() throws Exception {
        String deep = "[".repeat(999) + "]".repeat(999); // accepted by publish; two levels deeper it could not be read
        JsonNode p = payloadOf(deep);
        assertThat(p.isTextual()).isTrue();
        assertThat(p.asText()).isEqualTo(deep);
    }
}
