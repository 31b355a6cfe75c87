package io.myelin.bench.workload;

import io.myelin.bench.http.Endpoint;
import io.myelin.bench.http.HttpConnection;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Set-up at scale: runs {@code count} indexed tasks over a fixed number of keep-alive connections,
 * each connection taking the next index as soon as it is free. The first failure stops every
 * connection and is rethrown: a half-built data set would make every later figure misleading.
 */
public final class ParallelRequests {
    @FunctionalInterface
    public interface Task {
        void run(AxonClient client, int index) throws Exception;
    }

    public record Done(int count, int connections, double seconds) {
        public double perSecond() {
            return seconds == 0 ? 0 : count / seconds;
        }
    }

    private ParallelRequests() {}

    public static Done run(Endpoint endpoint, int count, int connections, Task task) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Exception> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>(connections);
        long t0 = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            threads.add(Thread.ofPlatform().name("setup-" + c).daemon().start(() -> {
                try (HttpConnection http = new HttpConnection(endpoint)) {
                    AxonClient client = new AxonClient(http);
                    int i;
                    while (failure.get() == null && (i = next.getAndIncrement()) < count) task.run(client, i);
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread t : threads) t.join();
        if (failure.get() != null) throw failure.get();
        return new Done(count, connections, (System.nanoTime() - t0) / 1e9);
    }
}
