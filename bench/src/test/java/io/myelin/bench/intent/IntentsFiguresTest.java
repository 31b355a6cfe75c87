package io.myelin.bench.intent;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class IntentsFiguresTest {

    @Test
    void timersAreSpreadEvenlyOverTheWindowAndNoneLiesPastIt() {
        assertThat(IntentBodies.fireAt(1000, 10_000, 0, 10_000)).isEqualTo(1000);
        assertThat(IntentBodies.fireAt(1000, 10_000, 5000, 10_000)).isEqualTo(6000);
        assertThat(IntentBodies.fireAt(1000, 10_000, 9999, 10_000)).isEqualTo(10_999);
    }

    @Test
    void bodiesAreValidJsonWithTheFieldsTheServerNeeds() throws Exception {
        ObjectMapper json = new ObjectMapper();
        var human = json.readTree(IntentBodies.human("bench.x.approval", 7, 123));
        assertThat(human.path("waiting_for").asText()).isEqualTo("human");
        assertThat(human.path("deadline_ms").asLong()).isEqualTo(123);
        assertThat(human.path("kind").asText()).isEqualTo("bench.x.approval");
        var timer = json.readTree(IntentBodies.timer("bench.x.timer", 7, 456));
        assertThat(timer.path("waiting_for").asText()).isEqualTo("time");
        assertThat(timer.path("fire_at_ms").asLong()).isEqualTo(456);
    }

    @Test
    void leadIsTwiceTheCreateTimeAndAtLeastFiveSeconds() {
        assertThat(TimerLateness.autoLead(10_000, 1000)).isEqualTo(Duration.ofSeconds(20));
        assertThat(TimerLateness.autoLead(100, 1000)).isEqualTo(Duration.ofSeconds(5));
        assertThat(TimerLateness.autoLead(10_000, 0)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void heapGrowthPerItemIsInBytesAndUnknownWithoutBothFigures() {
        assertThat(IntentsWorkload.perItemBytes(1000, 2000, 1024)).isEqualTo(1000.0);
        assertThat(IntentsWorkload.perItemBytes(-1, 2000, 10)).isNaN();
    }

    @Test
    void gaugeIsReadFromItsUnlabelledSampleOnly() {
        String text = """
                # HELP myelin_intents_waiters long polls parked on intents
                # TYPE myelin_intents_waiters gauge
                myelin_intents_waiters_other 5.0
                myelin_intents_waiters 10000.0
                """;
        assertThat(MetricsText.value(text, "myelin_intents_waiters")).isEqualTo(10_000.0);
        assertThatThrownBy(() -> MetricsText.value(text, "myelin_absent")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("myelin_absent");
    }
}
