package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code http.header-timeout} (here 1 s) as a bound on holding a connection without a request, long before
 * {@code http.idle-timeout} (here 5 min). HTTP/1.1: a request head trickled a byte at a time is cut off once it has
 * taken longer than the header timeout. HTTP/2: a connection that carries no stream is closed after the header
 * timeout however many PINGs it sends; one that carries a stream is not, however silent the stream; when its
 * streams end, the header timeout runs again.
 */
@Timeout(120)
@WithMyelinServer({"http.header-timeout=1s", "http.idle-timeout=5m"})
class HeaderTimeoutTest {
    @InjectServer
    static TestServer s;

    /** Reads until the server's GOAWAY (its error code and debug text) or the end of the connection (null). */
    private static String closedBy(RawH2 h2) throws IOException {
        try {
            for (RawH2.Frame f = h2.read(); ; f = h2.read()) {
                if (f.type() == RawH2.GOAWAY) {
                    return "GOAWAY " + ByteBuffer.wrap(f.payload(), 4, 4).getInt() + " "
                            + new String(f.payload(), 8, f.payload().length - 8, StandardCharsets.UTF_8);
                }
            }
        } catch (EOFException | SocketException closed) {
            return null;
        }
    }

    @Test
    void aRequestHeadTrickledByteByByteIsCutOffAfterTheHeaderTimeout() throws Exception {
        byte[] head = ("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + "a".repeat(1000) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try (Socket socket = new Socket("127.0.0.1", s.port())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            // One byte every 100 ms, ten per header timeout: no gap is ever near the timeout; the head would take
            // 100 s to complete.
            AtomicInteger sent = new AtomicInteger();
            trickle.scheduleAtFixedRate(() -> {
                try {
                    out.write(head[sent.getAndIncrement()]);
                    out.flush();
                } catch (IOException | ArrayIndexOutOfBoundsException stopped) {
                    throw new IllegalStateException(stopped);
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
            byte[] answer;
            try {
                answer = socket.getInputStream().readAllBytes();
            } catch (SocketException reset) {
                answer = new byte[0];
            }
            assertThat(answer).as("closed without an answer").isEmpty();
            assertThat(sent.get()).as("cut off long before the head was complete").isLessThan(head.length);
        } finally {
            trickle.shutdownNow();
        }
    }

    @Test
    void aConnectionWithOnlyThePrefaceIsClosedAfterTheHeaderTimeout() throws Exception {
        try (RawH2 h2 = new RawH2(s.port(), 65_535)) {
            String end = closedBy(h2);
            assertThat(end).as("closed well before http.idle-timeout").isNotNull().startsWith("GOAWAY 0 ");
        }
    }

    @Test
    void pingsAreNotActivity() throws Exception {
        ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor();
        try (RawH2 h2 = new RawH2(s.port(), 65_535)) {
            // A PING every 200 ms, five per header timeout: a connection kept open by them would never be idle.
            pinger.scheduleAtFixedRate(() -> {
                try {
                    h2.raw(RawH2.PING, 0, 0, new byte[8]);
                } catch (IOException closed) {
                    throw new IllegalStateException(closed);
                }
            }, 0, 200, TimeUnit.MILLISECONDS);
            assertThat(closedBy(h2)).as("closed for the header timeout, not for too many pings")
                    .startsWith("GOAWAY 0 ").contains("header-timeout");
        } finally {
            pinger.shutdownNow();
        }
    }

    @Test
    void aSilentStreamKeepsItsConnectionAndItsEndStartsTheHeaderTimeout() throws Exception {
        String axon = s.createAxon("h2-silent");
        try (RawH2 h2 = new RawH2(s.port(), 65_535)) {
            h2.request(1, "GET", "/v1/axons/" + axon + "/subscribe/sse", null,
                    "authorization", "Bearer " + TestServer.ADMIN_KEY);
            h2.readUntil(RawH2.HEADERS, 1);
            // Another connection, opened after the stream, closed by the header timeout: at least that long has
            // passed with the stream silent (heartbeats come every 15 s).
            try (RawH2 witness = new RawH2(s.port(), 65_535)) {
                assertThat(closedBy(witness)).isNotNull();
            }
            assertThat(s.post("/v1/axons/" + axon + "/publish", java.util.Map.of("event_type", "after",
                    "origin", "USER_EVENT", "source", "t", "payload", "{}")).status()).isEqualTo(200);
            String data;
            do {
                data = new String(h2.readUntil(RawH2.DATA, 1).payload(), StandardCharsets.UTF_8);
            } while (!data.contains("after"));
            // The stream ends: the connection now carries none and is closed after the header timeout.
            h2.reset(1);
            assertThat(closedBy(h2)).startsWith("GOAWAY 0 ");
        }
    }
}
