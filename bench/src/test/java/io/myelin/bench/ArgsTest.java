package io.myelin.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArgsTest {

    @Test
    void parsesValuesListsFlagsAndDurations() {
        Args a = new Args(List.of("--publishers", "1,16,64", "--seconds=2.5", "--verbose", "--rate", "1_000"));
        assertThat(a.intList("publishers", "1")).containsExactly(1, 16, 64);
        assertThat(a.duration("seconds", "10")).isEqualTo(Duration.ofMillis(2500));
        assertThat(a.flag("verbose")).isTrue();
        assertThat(a.integer("rate", 1)).isEqualTo(1000);
        assertThat(a.integer("absent", 7)).isEqualTo(7);
        a.rejectUnknown();
    }

    @Test
    void durationSuffixes() {
        assertThat(Args.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Args.parseDuration("3s")).isEqualTo(Duration.ofSeconds(3));
        assertThat(Args.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Args.parseDuration("10")).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void typosAreRejected() {
        Args a = new Args(List.of("--publisher", "4"));
        a.intList("publishers", "1");
        assertThatThrownBy(a::rejectUnknown).hasMessageContaining("--publisher");
    }
}
