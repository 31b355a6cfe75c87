package io.myelin.bench.probe;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CpuMeterTest {

    @Test
    void readsUtimeAndStimeAfterACommandNameWithSpacesAndParens() {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
        String stat = "4242 (java (worker) 1) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 566 0 0 20 0 40 0 1000";
        assertThat(CpuMeter.parseStat(stat)).isCloseTo(18.0, within(1e-9));
    }

    @Test
    void measuresThisProcess() {
        double own = CpuMeter.processCpuSeconds(ProcessHandle.current().pid());
        assertThat(own).isGreaterThan(0);
    }

    @Test
    void usageIsPerWallClockSecond() {
        CpuMeter.Usage u = CpuMeter.between(new CpuMeter.Sample(0, 10, 1), new CpuMeter.Sample(2_000_000_000L, 13, 1.5));
        assertThat(u.serverCores()).isCloseTo(1.5, within(1e-9));
        assertThat(u.benchCores()).isCloseTo(0.25, within(1e-9));
        assertThat(u.serverCpuSeconds()).isCloseTo(3, within(1e-9));
    }
}
