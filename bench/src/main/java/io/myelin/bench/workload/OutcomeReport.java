package io.myelin.bench.workload;

import io.myelin.bench.report.ResultLine;
import io.myelin.bench.report.Table;
import io.myelin.bench.stats.Percentiles;

import java.io.PrintStream;
import java.util.List;

/** Shared presentation of closed-loop outcomes: one table and one RESULT line per level. */
final class OutcomeReport {
    private OutcomeReport() {}

    record Row(String target, String workload, ClosedLoop.Outcome outcome) {}

    static void print(PrintStream out, String title, List<Row> rows) {
        out.println();
        out.println(title);
        Table table = new Table("target", "conns", "seconds", "events/s", "requests/s",
                "p50 ms", "p99 ms", "max ms", "errors", "server cores", "bench cores", "events/server-cpu-s");
        for (Row r : rows) {
            ClosedLoop.Outcome o = r.outcome();
            table.row(r.target(), o.workers(), o.seconds(), o.eventsPerSecond(), o.requestsPerSecond(),
                    Percentiles.millis(o.latency().p50()), Percentiles.millis(o.latency().p99()),
                    Percentiles.millis(o.latency().max()), o.errors(),
                    o.cpu().serverCores(), o.cpu().benchCores(), o.eventsPerServerCpuSecond());
        }
        table.print(out);
        for (Row r : rows) {
            if (r.outcome().firstError() != null) out.println("  first error (" + r.target() + ", " + r.outcome().workers() + "): " + r.outcome().firstError());
        }
        for (Row r : rows) resultLine(r).print(out);
    }

    static ResultLine resultLine(Row r) {
        ClosedLoop.Outcome o = r.outcome();
        return new ResultLine(r.workload())
                .put("target", r.target())
                .put("connections", o.workers())
                .put("seconds", o.seconds())
                .put("events", o.events())
                .put("events_per_s", o.eventsPerSecond())
                .put("requests_per_s", o.requestsPerSecond())
                .put("p50_ms", Percentiles.millis(o.latency().p50()))
                .put("p99_ms", Percentiles.millis(o.latency().p99()))
                .put("max_ms", Percentiles.millis(o.latency().max()))
                .put("errors", o.errors())
                .put("server_cores", o.cpu().serverCores())
                .put("bench_cores", o.cpu().benchCores())
                .put("events_per_server_cpu_s", o.eventsPerServerCpuSecond());
    }
}
