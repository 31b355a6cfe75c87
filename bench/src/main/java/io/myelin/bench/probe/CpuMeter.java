package io.myelin.bench.probe;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time used by the server (from {@code /proc/<pid>/stat}) and by this generator, so a run can
 * report events per CPU-second: on a shared two-core box wall-clock throughput swings with other
 * load, while work done per CPU-second is far steadier.
 */
public final class CpuMeter {
    /** Linux reports utime/stime in clock ticks; USER_HZ is 100 on every mainstream architecture. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final long pid;

    /** @param pid the server process, or a value &le; 0 to measure only the generator */
    public CpuMeter(long pid) {
        this.pid = pid;
    }

    public record Sample(long nanos, double serverCpuSeconds, double benchCpuSeconds) {}

    /** CPU used between two samples, as a fraction of one core's wall-clock time. */
    public record Usage(double seconds, double serverCores, double benchCores, double serverCpuSeconds) {
        public static final Usage UNKNOWN = new Usage(0, Double.NaN, Double.NaN, Double.NaN);
    }

    public Sample sample() {
        return new Sample(System.nanoTime(), pid > 0 ? processCpuSeconds(pid) : Double.NaN, benchCpuSeconds());
    }

    public static Usage between(Sample a, Sample b) {
        double seconds = (b.nanos() - a.nanos()) / 1e9;
        if (seconds <= 0) return Usage.UNKNOWN;
        double server = b.serverCpuSeconds() - a.serverCpuSeconds();
        return new Usage(seconds, server / seconds, (b.benchCpuSeconds() - a.benchCpuSeconds()) / seconds, server);
    }

    /** utime + stime of a process; NaN if it cannot be read. */
    static double processCpuSeconds(long pid) {
        try {
            return parseStat(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Fields 14 and 15 of /proc/pid/stat, counted after the parenthesised command name. */
    static double parseStat(String stat) {
        String rest = stat.substring(stat.lastIndexOf(')') + 2);
        String[] f = rest.trim().split("\\s+");
        // rest starts at field 3 (state): utime is field 14, stime field 15.
        long utime = Long.parseLong(f[14 - 3]);
        long stime = Long.parseLong(f[15 - 3]);
        return (utime + stime) / TICKS_PER_SECOND;
    }

    private static double benchCpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long nanos = os.getProcessCpuTime();
            return nanos < 0 ? Double.NaN : nanos / 1e9;
        }
        return Double.NaN;
    }
}
