package io.myelin.bench.sql;

import io.myelin.bench.http.Endpoint;
import io.myelin.bench.http.HttpConnection;
import io.myelin.bench.stats.LongSamples;
import io.myelin.bench.stats.Percentiles;
import io.myelin.bench.workload.AxonClient;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The first query on an axon whose database the server has closed, next to a second query on the
 * same axon right after it. One connection, one request at a time: first {@code openCap} other
 * axons are touched, so that with a least-recently-used cap of {@code openCap} open databases every
 * sampled axon has been pushed out by at least that many newer ones before its first query.
 */
final class ColdOpen {
    private ColdOpen() {}

    static List<SqlFigure> run(Endpoint endpoint, List<String> axonIds, int openCap, int samples, int rowsPerAxon)
            throws IOException {
        if (axonIds.size() < openCap + samples) {
            throw new IllegalArgumentException("cold open needs at least open-cap + cold-samples = " + (openCap + samples)
                    + " axons, have " + axonIds.size());
        }
        List<String> order = new ArrayList<>(axonIds);
        Collections.shuffle(order, new Random(42));
        Random keys = new Random(7);
        LongSamples first = new LongSamples(samples);
        LongSamples second = new LongSamples(samples);
        try (HttpConnection http = new HttpConnection(endpoint)) {
            AxonClient client = new AxonClient(http);
            for (int i = 0; i < openCap; i++) client.sqlQuery(order.get(i), SqlBodies.pointSelect(keys.nextInt(rowsPerAxon)));
            for (int i = openCap; i < openCap + samples; i++) {
                String axon = order.get(i);
                first.add(timed(client, axon, keys.nextInt(rowsPerAxon)));
                second.add(timed(client, axon, keys.nextInt(rowsPerAxon)));
            }
        }
        return List.of(figure("cold open: first query", first), figure("cold open: second query", second));
    }

    private static long timed(AxonClient client, String axon, int id) throws IOException {
        byte[] body = SqlBodies.pointSelect(id);
        long t0 = System.nanoTime();
        client.sqlQuery(axon, body);
        return System.nanoTime() - t0;
    }

    private static SqlFigure figure(String name, LongSamples samples) {
        return new SqlFigure(name, 1, samples.size(), Double.NaN, samples.size(), Percentiles.of(samples), 0,
                Double.NaN, -1, null);
    }
}
