package io.myelin.bench.stats;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PercentilesTest {

    private static long[] oneToN(int n) {
        long[] a = new long[n];
        for (int i = 0; i < n; i++) a[i] = i + 1;
        return a;
    }

    @Test
    void nearestRankOnOneToHundred() {
        long[] a = oneToN(100);
        assertThat(Percentiles.nearestRank(a, 50)).isEqualTo(50);
        assertThat(Percentiles.nearestRank(a, 99)).isEqualTo(99);
        assertThat(Percentiles.nearestRank(a, 100)).isEqualTo(100);
        assertThat(Percentiles.nearestRank(a, 0)).isEqualTo(1);
        assertThat(Percentiles.nearestRank(a, 0.5)).isEqualTo(1);
    }

    @Test
    void fractionalPercentilesAreNotBumpedByRounding() {
        assertThat(Percentiles.nearestRank(oneToN(1000), 99.9)).isEqualTo(999);
        assertThat(Percentiles.nearestRank(oneToN(10), 90)).isEqualTo(9);
        assertThat(Percentiles.nearestRank(oneToN(3), 50)).isEqualTo(2);
    }

    @Test
    void singleSampleIsEveryPercentile() {
        Percentiles p = Percentiles.ofSorted(new long[] {7});
        assertThat(p.p50()).isEqualTo(7);
        assertThat(p.p99()).isEqualTo(7);
        assertThat(p.max()).isEqualTo(7);
    }

    @Test
    void samplesAreSortedAndMergedBeforeRanking() {
        LongSamples a = new LongSamples(16);
        LongSamples b = new LongSamples(16);
        for (int i = 100; i >= 51; i--) a.add(i);
        for (int i = 1; i <= 50; i++) b.add(i);
        for (int i = 0; i < 40; i++) a.add(1000); // forces growth past the initial capacity
        Percentiles p = Percentiles.of(LongSamples.merge(java.util.List.of(a, b)));
        assertThat(p.count()).isEqualTo(140);
        assertThat(p.p50()).isEqualTo(70);
        assertThat(p.max()).isEqualTo(1000);
        assertThat(p.mean()).isCloseTo((5050 + 40_000) / 140.0, within(1e-9));
    }

    @Test
    void emptyInputGivesZeros() {
        assertThat(Percentiles.of(new LongSamples())).isEqualTo(Percentiles.EMPTY);
    }
}
