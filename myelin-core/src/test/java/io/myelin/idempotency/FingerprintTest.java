package io.myelin.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class FingerprintTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static Fingerprint of(String... parts) {
        Fingerprint.Builder b = Fingerprint.builder();
        for (String p : parts) {
            b.add(p);
        }
        return b.build();
    }

    static Fingerprint json(String text) throws Exception {
        return Fingerprint.builder().add(JSON.readTree(text)).build();
    }

    @Test
    void partsCannotBeShiftedAcrossBoundaries() {
        assertThat(of("ab", "c")).isNotEqualTo(of("a", "bc"));
        assertThat(of("a|b", "c")).isNotEqualTo(of("a", "b|c"));
        assertThat(of("", "x")).isNotEqualTo(of("x", ""));
        assertThat(of((String) null)).isNotEqualTo(of(""));
        assertThat(of("same", "parts")).isEqualTo(of("same", "parts"));
    }

    @Test
    void jsonIsCanonical() throws Exception {
        assertThat(json("{\"a\":1,\"b\":[true,null,\"x\"]}")).isEqualTo(json("{ \"b\" : [true, null, \"x\"],\n\"a\":1 }"));
        assertThat(json("{\"a\":\"1\"}")).as("a string is not a number").isNotEqualTo(json("{\"a\":1}"));
        assertThat(json("{\"a\":1}")).as("an integer is not a fraction").isNotEqualTo(json("{\"a\":1.0}"));
        assertThat(json("{\"a\":[1,2]}")).isNotEqualTo(json("{\"a\":[2,1]}"));
        assertThat(json("{\"a\":{\"b\":1}}")).isNotEqualTo(json("{\"a\":{},\"b\":1}"));
        assertThat(json("[\"a\",\"b\"]")).isNotEqualTo(json("[\"ab\"]"));
        assertThat(json("{\"ab\":\"c\"}")).isNotEqualTo(json("{\"a\":\"bc\"}"));
    }

    @Test
    void deepDocumentsNeedNoDeepStack() throws Exception {
        String deep = "[".repeat(900) + "]".repeat(900);
        assertThat(json(deep)).isEqualTo(json(deep));
    }
}
