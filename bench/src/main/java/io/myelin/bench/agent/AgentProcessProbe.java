package io.myelin.bench.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.myelin.bench.stats.LongSamples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an ACP agent directly (no server, no broker) to measure what belongs to the agent alone: its start-up
 * (process spawn to its answer to {@code initialize}) and how fast it writes a turn's {@code session/update}
 * notifications. Each run is bounded: a process still alive after {@code timeout} is killed.
 */
public final class AgentProcessProbe {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INITIALIZE =
            "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":1,\"clientCapabilities\":{}}}\n";

    private final List<String> command;
    private final Path stateDir;
    private final Duration timeout;

    /** @param stateDir working directory and {@code ACP_AGENT_STATE_DIR} of the agent (its session files) */
    public AgentProcessProbe(List<String> command, Path stateDir, Duration timeout) {
        this.command = List.copyOf(command);
        this.stateDir = stateDir;
        this.timeout = timeout;
    }

    /** Nanoseconds from {@code ProcessBuilder.start} to the line answering {@code initialize}, per sample. */
    public LongSamples startup(int samples) throws IOException, InterruptedException {
        LongSamples out = new LongSamples(samples);
        for (int i = 0; i < samples; i++) {
            try (Agent a = start()) {
                long t0 = System.nanoTime();
                a.start();
                a.send(INITIALIZE);
                a.awaitAnswer(0);
                out.add(System.nanoTime() - t0);
            }
        }
        return out;
    }

    /** The agent's own emission rate: {@code session/update} lines per second for a prompt of {@code chunks} chunks. */
    public double updatesPerSecond(int chunks) throws IOException, InterruptedException {
        try (Agent a = start()) {
            a.start();
            a.send(INITIALIZE);
            a.awaitAnswer(0);
            a.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"session/new\",\"params\":{\"cwd\":"
                    + JSON.writeValueAsString(stateDir.toString()) + ",\"mcpServers\":[]}}\n");
            String session = a.awaitAnswer(1).path("result").path("sessionId").asText();
            long t0 = System.nanoTime();
            a.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"session/prompt\",\"params\":{\"sessionId\":\""
                    + session + "\",\"prompt\":[{\"type\":\"text\",\"text\":\"[chunks " + chunks + "]\"}]}}\n");
            a.awaitAnswer(2);
            long nanos = System.nanoTime() - t0;
            if (a.updates != chunks) throw new IOException("the agent sent " + a.updates + " updates, not " + chunks);
            return chunks / (nanos / 1e9);
        }
    }

    private Agent start() {
        return new Agent();
    }

    /** One agent process; {@link #start} is separate so that callers can time it. */
    private final class Agent implements AutoCloseable {
        private Process process;
        private BufferedReader in;
        private OutputStream stdin;
        private long updates;

        void start() throws IOException {
            ProcessBuilder pb = new ProcessBuilder(command).directory(stateDir.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("ACP_AGENT_STATE_DIR", stateDir.toString());
            process = pb.start();
            in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8), 64 * 1024);
            stdin = process.getOutputStream();
            Process p = process;
            Thread.ofVirtual().name("bench-agent-watchdog").start(() -> {
                try {
                    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) p.destroyForcibly();
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                }
            });
        }

        void send(String line) throws IOException {
            stdin.write(line.getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        }

        /** Reads lines until the answer to request {@code id}, counting notifications on the way. */
        JsonNode awaitAnswer(int id) throws IOException {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.contains("\"session/update\"")) {
                    updates++;
                    continue;
                }
                JsonNode n = JSON.readTree(line);
                if (!n.has("method") && n.path("id").asInt(-1) == id) {
                    if (n.has("error")) throw new IOException("the agent answered " + id + " with " + n.get("error"));
                    return n;
                }
            }
            throw new IOException("the agent " + command + " ended (or was killed after " + timeout
                    + ") before answering request " + id);
        }

        @Override
        public void close() throws InterruptedException {
            if (process == null) return;
            try {
                stdin.close(); // both test agents exit when stdin closes
            } catch (IOException ignored) {
                // already gone
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
