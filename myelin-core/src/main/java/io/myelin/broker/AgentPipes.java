package io.myelin.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pumps between a broker and one agent process: a thread per stream, each behind a bounded queue, so that the
 * broker's own thread never blocks on a pipe.
 *
 * <ul>
 *   <li>{@code stdout}: lines (at most {@code maxLineBytes} each, see {@link LineReader}) to {@link Sink#line},
 *       which may block: an agent that writes faster than the broker publishes waits on its pipe, nothing is
 *       dropped;</li>
 *   <li>{@code stderr}: lines to {@link Sink#log}, which must not block (logs are dropped beyond its bounds);</li>
 *   <li>{@code stdin}: {@link #send} queues a line (at most {@code stdinQueue} waiting) for the writer thread.</li>
 * </ul>
 *
 * <p>Threads: platform daemons {@code broker-<name>-out} and {@code -err}: they spend their life in blocking native
 * pipe reads, which would hold a virtual thread's carrier the whole time. The writer {@code broker-<name>-in} is
 * virtual: it waits on its queue (no OS thread while the agent is idle or frozen) and blocks in a pipe write only
 * while the agent's pipe buffer is full; the JDK then lends its carrier a temporary replacement (at most
 * {@code jdk.virtualThreadScheduler.maxPoolSize} in all), and an agent that leaves its input unread for
 * {@code stdinWait} is killed, which ends the write. They end when the streams close.
 */
final class AgentPipes implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentPipes.class);
    private static final String STOP = new String("stop"); // identity marker, never a real line

    /** Where the pumps deliver. Called from the pump threads. */
    interface Sink {
        /** One stdout line; may block (back-pressure onto the agent). */
        void line(String line) throws InterruptedException;

        /** A stdout line longer than the limit was skipped. */
        void overlong(long bytes) throws InterruptedException;

        /** stdout reached its end (the agent closed it or exited). */
        void ended() throws InterruptedException;

        /** One stderr line; must not block. */
        void log(String line);
    }

    private final AgentProcess process;
    private final String name;
    private final BlockingQueue<String> stdin;
    private final Thread out;
    private final Thread err;
    private final Thread in;

    AgentPipes(AgentProcess process, String name, int maxLineBytes, int stdinQueue, Sink sink) {
        this.process = process;
        this.name = name;
        this.stdin = new ArrayBlockingQueue<>(stdinQueue);
        this.out = Thread.ofPlatform().name("broker-" + name + "-out").daemon(true).unstarted(() -> pumpOut(maxLineBytes, sink));
        this.err = Thread.ofPlatform().name("broker-" + name + "-err").daemon(true).unstarted(() -> pumpErr(maxLineBytes, sink));
        this.in = Thread.ofVirtual().name("broker-" + name + "-in").unstarted(this::pumpIn);
        out.start();
        err.start();
        in.start();
    }

    /**
     * Queues {@code line} (a newline is added) for the agent's stdin.
     *
     * @return false when the queue stayed full for {@code wait}: the agent is not reading its input
     */
    boolean send(String line, Duration wait) throws InterruptedException {
        return stdin.offer(line, wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void pumpOut(int maxLineBytes, Sink sink) {
        LineReader reader = new LineReader(process.stdout(), maxLineBytes);
        try {
            while (true) {
                LineReader.Read r = reader.next();
                if (r instanceof LineReader.Line l) {
                    sink.line(l.text());
                } else if (r instanceof LineReader.Overlong o) {
                    sink.overlong(o.bytes());
                } else {
                    break;
                }
            }
        } catch (IOException e) {
            log.debug("agent {} stdout closed: {}", name, e.getMessage());
        } catch (InterruptedException e) {
            return; // closing: nobody waits for the end any more
        } catch (RuntimeException e) {
            log.error("agent {} stdout pump failed", name, e);
        }
        try {
            sink.ended();
        } catch (InterruptedException ignored) {
            // closing
        }
    }

    private void pumpErr(int maxLineBytes, Sink sink) {
        LineReader reader = new LineReader(process.stderr(), maxLineBytes);
        try {
            while (true) {
                LineReader.Read r = reader.next();
                if (r instanceof LineReader.Line l) {
                    sink.log(l.text());
                } else if (r instanceof LineReader.Overlong o) {
                    sink.log("[a line of " + o.bytes() + " bytes was cut]");
                } else {
                    return;
                }
            }
        } catch (IOException e) {
            log.debug("agent {} stderr closed: {}", name, e.getMessage());
        } catch (RuntimeException e) {
            log.error("agent {} stderr pump failed", name, e);
        }
    }

    private void pumpIn() {
        OutputStream os = process.stdin();
        try {
            while (true) {
                String line = stdin.take();
                if (line == STOP) {
                    break;
                }
                os.write(line.getBytes(StandardCharsets.UTF_8));
                os.write('\n');
                if (stdin.isEmpty()) {
                    os.flush();
                }
            }
        } catch (IOException e) {
            log.debug("agent {} stdin closed: {}", name, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("agent {} stdin pump failed", name, e);
        }
        try {
            os.close();
        } catch (IOException ignored) {
            // the agent is gone
        }
    }

    /** Closes the agent's stdin (an ACP or Claude agent ends at its end of input) and stops the writer. */
    @Override
    public void close() {
        stdin.clear();
        if (!stdin.offer(STOP)) {
            in.interrupt();
        }
    }

    /** Stops the readers too, for a broker that no longer wants the agent's output (after the process ended). */
    void abandon() {
        close();
        out.interrupt();
        err.interrupt();
    }
}
