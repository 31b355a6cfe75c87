package io.myelin.bench.redis;

import java.io.IOException;
import java.util.List;

/**
 * Switches Redis to an fsync-per-write AOF for the duration of a run, so that its XADD
 * acknowledgements are as durable as Myelin's publish replies, and puts the previous settings
 * back on {@link #close()} whatever happened in between.
 */
public final class DurableRedisConfig implements AutoCloseable {
    private final String host;
    private final int port;
    private final String previousAppendOnly;
    private final String previousAppendFsync;

    private DurableRedisConfig(String host, int port, String appendOnly, String appendFsync) {
        this.host = host;
        this.port = port;
        this.previousAppendOnly = appendOnly;
        this.previousAppendFsync = appendFsync;
    }

    public static DurableRedisConfig apply(String host, int port) throws IOException {
        try (RespConnection c = new RespConnection(host, port)) {
            String appendOnly = configGet(c, "appendonly");
            String appendFsync = configGet(c, "appendfsync");
            DurableRedisConfig restore = new DurableRedisConfig(host, port, appendOnly, appendFsync);
            try {
                c.command("CONFIG", "SET", "appendonly", "yes");
                c.command("CONFIG", "SET", "appendfsync", "always");
                awaitAofRewrite(c);
            } catch (IOException e) {
                restore.close();
                throw e;
            }
            return restore;
        }
    }

    /**
     * Turning the AOF on starts a background rewrite; measuring during it would charge Redis
     * for a one-off cost, so wait for it to finish (bounded).
     */
    private static void awaitAofRewrite(RespConnection c) throws IOException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            String info = String.valueOf(c.command("INFO", "persistence"));
            if (info.contains("aof_rewrite_in_progress:0") && info.contains("aof_rewrite_scheduled:0")) return;
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the AOF rewrite", e);
            }
        }
    }

    private static String configGet(RespConnection c, String name) throws IOException {
        Object reply = c.command("CONFIG", "GET", name);
        if (reply instanceof List<?> l && l.size() == 2) return String.valueOf(l.get(1));
        throw new IOException("unexpected CONFIG GET reply: " + reply);
    }

    public String describePrevious() {
        return "appendonly=" + previousAppendOnly + " appendfsync=" + previousAppendFsync;
    }

    @Override
    public void close() throws IOException {
        try (RespConnection c = new RespConnection(host, port)) {
            c.command("CONFIG", "SET", "appendfsync", previousAppendFsync);
            c.command("CONFIG", "SET", "appendonly", previousAppendOnly);
        }
    }
}
