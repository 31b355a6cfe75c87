package io.myelin.bench.sql;

import io.myelin.bench.http.Endpoint;
import io.myelin.bench.http.HttpConnection;
import io.myelin.bench.probe.CpuMeter;
import io.myelin.bench.probe.FdSampler;
import io.myelin.bench.workload.AxonClient;
import io.myelin.bench.workload.ClosedLoop;
import io.myelin.bench.workload.ParallelRequests;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Axon SQL over HTTP: point reads by primary key on one axon, batched inserts, point reads spread
 * over many axons (so the server's cap on open databases churns), and the first query on an axon
 * whose database was closed. Every request waits for its reply; writes are fsynced by the server.
 */
public final class SqlWorkload {
    /**
     * @param rows        rows in the point-read table
     * @param axons       axons for the many-axons and cold-open figures, each with {@code axonRows} rows
     * @param openCap     the server's {@code MYELIN_SQL_MAX_OPEN_DATABASES}, which the cold-open walk must exceed
     * @param serverPid   &le; 0: server CPU and descriptors are not measured
     */
    public record Settings(Endpoint endpoint, int rows, Duration duration, Duration warmup, List<Integer> insertClients,
                           int batchStatements, int valueBytes, int axons, int axonRows, int clients,
                           int setupConnections, int openCap, int coldSamples, long serverPid) {}

    private SqlWorkload() {}

    public static List<SqlFigure> run(Settings s, PrintStream out) throws Exception {
        List<SqlFigure> figures = new ArrayList<>();
        figures.add(pointSelect(s, out));
        figures.addAll(inserts(s, out));
        out.printf("sql: creating %,d axons with a %d-row table over %d connections%n", s.axons(), s.axonRows(), s.setupConnections());
        String[] ids = new String[s.axons()];
        byte[] table = SqlBodies.tableWithRows(s.axonRows());
        ParallelRequests.Done setup = ParallelRequests.run(s.endpoint(), s.axons(), s.setupConnections(), (client, i) -> {
            ids[i] = client.createAxon("bench-sql-" + i);
            client.sqlBatch(ids[i], table);
        });
        long fdsBefore = FdSampler.count(s.serverPid());
        figures.add(manyAxons(s, ids, out));
        out.printf("sql: cold open over %,d axons (open cap %,d)%n", s.openCap() + s.coldSamples(), s.openCap());
        figures.addAll(ColdOpen.run(s.endpoint(), Arrays.asList(ids), s.openCap(), s.coldSamples(), s.axonRows()));
        SqlReport.print(out, "Axon SQL over HTTP (point reads on " + String.format("%,d", s.rows()) + " rows; batches of "
                + s.batchStatements() + " inserts of " + s.valueBytes() + " B; " + String.format("%,d", s.axons())
                + " axons of " + s.axonRows() + " rows)", figures, setup, fdsBefore);
        return figures;
    }

    private static SqlFigure pointSelect(Settings s, PrintStream out) throws Exception {
        String axon;
        try (HttpConnection http = new HttpConnection(s.endpoint())) {
            AxonClient client = new AxonClient(http);
            axon = client.createAxon("bench-sql-point");
            client.sqlQuery(axon, SqlBodies.query(new SqlBodies.Statement(SqlBodies.CREATE_TABLE, List.of())));
            for (int from = 0; from < s.rows(); from += 1000) {
                client.sqlQuery(axon, SqlBodies.query(SqlBodies.fill(from, Math.min(s.rows(), from + 1000))));
            }
        }
        ClosedLoop.WorkerFactory reader = i -> readWorker(s.endpoint(), () -> axon, s.rows());
        if (!s.warmup().isZero()) {
            out.printf("sql: warming up point reads for %d s%n", s.warmup().toSeconds());
            ClosedLoop.run(1, s.warmup(), reader);
        }
        return SqlFigure.of("point select by primary key", ClosedLoop.run(1, s.duration(), reader, new CpuMeter(s.serverPid())), -1);
    }

    private static List<SqlFigure> inserts(Settings s, PrintStream out) throws Exception {
        byte[] body = SqlBodies.insertBatch(s.batchStatements(), s.valueBytes());
        ClosedLoop.WorkerFactory inserter = i -> {
            HttpConnection http = new HttpConnection(s.endpoint());
            AxonClient client = new AxonClient(http);
            String axon = client.createAxon("bench-sql-insert-" + i);
            client.sqlQuery(axon, SqlBodies.query(new SqlBodies.Statement(SqlBodies.CREATE_TABLE, List.of())));
            return worker(http, () -> client.sqlBatch(axon, body), s.batchStatements());
        };
        if (!s.warmup().isZero()) {
            out.printf("sql: warming up batched inserts for %d s%n", s.warmup().toSeconds());
            ClosedLoop.run(s.insertClients().getFirst(), s.warmup(), inserter);
        }
        List<SqlFigure> figures = new ArrayList<>();
        for (int clients : s.insertClients()) {
            ClosedLoop.Outcome o = ClosedLoop.run(clients, s.duration(), inserter, new CpuMeter(s.serverPid()));
            figures.add(SqlFigure.of("insert, " + s.batchStatements() + " per batch, own axon each", o, -1));
        }
        return figures;
    }

    private static SqlFigure manyAxons(Settings s, String[] ids, PrintStream out) throws Exception {
        out.printf("sql: %d clients reading random axons among %,d for %d s%n", s.clients(), ids.length, s.duration().toSeconds());
        ClosedLoop.WorkerFactory reader = i -> readWorker(s.endpoint(), () -> ids[ThreadLocalRandom.current().nextInt(ids.length)], s.axonRows());
        try (FdSampler fds = new FdSampler(s.serverPid(), Duration.ofMillis(100))) {
            ClosedLoop.Outcome o = ClosedLoop.run(s.clients(), s.duration(), reader, new CpuMeter(s.serverPid()));
            fds.close();
            return SqlFigure.of("point select, random axon of " + String.format("%,d", ids.length), o, fds.max());
        }
    }

    /** Point reads of a random existing row; a reply without the row's value is an error. */
    private static ClosedLoop.Worker readWorker(Endpoint endpoint, Supplier<String> axons, int rows) {
        HttpConnection http = new HttpConnection(endpoint);
        AxonClient client = new AxonClient(http);
        return worker(http, () -> {
            String reply = client.sqlQuery(axons.get(), SqlBodies.pointSelect(ThreadLocalRandom.current().nextInt(rows))).bodyText();
            if (!reply.contains(SqlBodies.VALUE_PREFIX)) throw new IOException("point select found no row: " + reply);
        }, 1);
    }

    private static ClosedLoop.Worker worker(HttpConnection http, Request request, int rowsPerRequest) {
        return new ClosedLoop.Worker() {
            @Override
            public int runOnce() throws Exception {
                request.send();
                return rowsPerRequest;
            }

            @Override
            public void close() {
                http.close();
            }
        };
    }

    @FunctionalInterface
    private interface Request {
        void send() throws IOException;
    }
}
