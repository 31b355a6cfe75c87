package io.myelin.bench.workload;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PayloadClockTest {

    @Test
    void roundTripsThroughAnEventView() {
        long t = 123_456_789_012_345L;
        String payload = PayloadClock.encode(t, 128);
        assertThat(payload).hasSize(128).startsWith("123456789012345|");
        String view = "{\"axon_id\":\"axn_1\",\"sequence\":9,\"event_type\":\"bench\",\"origin\":\"AGENT_EVENT\","
                + "\"source\":\"myelin-bench\",\"payload\":\"" + payload + "\",\"timestamp_ms\":1}";
        assertThat(PayloadClock.decodeFromEventJson(view)).isEqualTo(t);
    }

    @Test
    void toleratesWhitespaceAroundTheColonAndNegativeClocks() {
        assertThat(PayloadClock.decodeFromEventJson("{\"payload\" : \"-42|xx\"}")).isEqualTo(-42);
    }

    @Test
    void reportsAbsence() {
        assertThat(PayloadClock.decodeFromEventJson("{\"sequence\":1}")).isEqualTo(Long.MIN_VALUE);
        assertThat(PayloadClock.decodeFromEventJson("{\"payload\":\"not a number\"}")).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void aPayloadShorterThanTheStampIsNotTruncated() {
        assertThat(PayloadClock.encode(1234567, 3)).isEqualTo("1234567|");
    }
}
