package io.myelin.bench.sql;

import io.myelin.bench.report.ResultLine;
import io.myelin.bench.report.Table;
import io.myelin.bench.stats.Percentiles;
import io.myelin.bench.workload.ParallelRequests;

import java.io.PrintStream;
import java.util.List;

/** One table for all SQL figures, the set-up line, and a RESULT line each. */
final class SqlReport {
    private SqlReport() {}

    static void print(PrintStream out, String title, List<SqlFigure> figures, ParallelRequests.Done setup, long fdsBefore) {
        out.println();
        out.println(title);
        Table table = new Table("figure", "clients", "requests", "requests/s", "rows/s", "p50 ms", "p99 ms", "max ms",
                "errors", "server cores", "max server fds");
        for (SqlFigure f : figures) {
            table.row(f.name(), f.clients(), f.requests(), f.requestsPerSecond(), f.rowsPerSecond(),
                    Percentiles.millis(f.latency().p50()), Percentiles.millis(f.latency().p99()),
                    Percentiles.millis(f.latency().max()), f.errors(), f.serverCores(),
                    f.maxFds() < 0 ? "-" : String.format("%,d", f.maxFds()));
        }
        table.print(out);
        for (SqlFigure f : figures) {
            if (f.firstError() != null) out.println("  first error (" + f.name() + ", " + f.clients() + "): " + f.firstError());
        }
        if (setup != null) {
            out.printf("set-up: %,d axons with a table in %.1f s (%,.0f axons/s over %d connections); server fds before the many-axons run: %s%n",
                    setup.count(), setup.seconds(), setup.perSecond(), setup.connections(), fdsBefore < 0 ? "-" : fdsBefore);
            new ResultLine("sql-setup").put("axons", setup.count()).put("connections", setup.connections())
                    .put("seconds", setup.seconds()).put("axons_per_s", setup.perSecond())
                    .put("server_fds_before", fdsBefore).print(out);
        }
        for (SqlFigure f : figures) {
            new ResultLine("sql").put("figure", f.name()).put("clients", f.clients()).put("requests", f.requests())
                    .put("requests_per_s", f.requestsPerSecond()).put("rows_per_s", f.rowsPerSecond())
                    .put("p50_ms", Percentiles.millis(f.latency().p50())).put("p99_ms", Percentiles.millis(f.latency().p99()))
                    .put("max_ms", Percentiles.millis(f.latency().max())).put("errors", f.errors())
                    .put("server_cores", f.serverCores()).put("max_server_fds", f.maxFds()).print(out);
        }
    }
}
