package io.myelin.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP proxy on loopback between a client and a real server that misbehaves on cue, one scripted action per
 * accepted connection (then it forwards): it can let the request through and lose the answer (the server did the
 * work, the client never hears of it), or answer itself with a canned response without reaching the server. It
 * keeps every request's bytes, so a test can read the headers each attempt carried.
 */
final class FlakyProxy implements AutoCloseable {
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("(?im)^Idempotency-Key: *([^\\r\\n]+)");

    private sealed interface Action permits Forward, DropAnswer, Canned {
    }

    private record Forward() implements Action {
    }

    private record DropAnswer() implements Action {
    }

    private record Canned(String response) implements Action {
    }

    private final int upstreamPort;
    private final ServerSocket listener;
    private final Queue<Action> script = new ConcurrentLinkedQueue<>();
    private final List<ByteArrayOutputStream> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    FlakyProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofVirtual().name("flaky-proxy").start(this::acceptLoop);
    }

    String url() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    /** The next connection forwards the request to the server, then closes without passing any answer on. */
    FlakyProxy dropAnswer() {
        script.add(new DropAnswer());
        return this;
    }

    /** The next connection reads the request and answers {@code status} itself; the server never sees it. */
    FlakyProxy answer(int status, Map<String, String> headers, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder r = new StringBuilder("HTTP/1.1 ").append(status).append(" Scripted\r\n");
        headers.forEach((k, v) -> r.append(k).append(": ").append(v).append("\r\n"));
        r.append("Content-Type: application/json\r\nContent-Length: ").append(bytes.length)
                .append("\r\nConnection: close\r\n\r\n").append(body);
        script.add(new Canned(r.toString()));
        return this;
    }

    /** How many connections the client opened. */
    int connections() {
        return requests.size();
    }

    /** The {@code Idempotency-Key} of every request seen, in the order the connections came. */
    List<String> idempotencyKeys() {
        List<String> keys = new ArrayList<>();
        for (ByteArrayOutputStream r : requests) {
            String text;
            synchronized (r) {
                text = r.toString(StandardCharsets.ISO_8859_1);
            }
            Matcher m = IDEMPOTENCY_KEY.matcher(text);
            while (m.find()) {
                keys.add(m.group(1));
            }
        }
        return keys;
    }

    /** How many requests for a path containing {@code pathPart} went through, over all connections (HTTP/1.1). */
    int requests(String pathPart) {
        Pattern requestLine = Pattern.compile("(?m)^[A-Z]+ [^ \\r\\n]*" + Pattern.quote(pathPart));
        int n = 0;
        for (ByteArrayOutputStream r : requests) {
            String text;
            synchronized (r) {
                text = r.toString(StandardCharsets.ISO_8859_1);
            }
            Matcher m = requestLine.matcher(text);
            while (m.find()) {
                n++;
            }
        }
        return n;
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                open.add(client);
                Action action = script.poll();
                ByteArrayOutputStream seen = new ByteArrayOutputStream();
                requests.add(seen);
                Thread.ofVirtual().start(() -> serve(client, action == null ? new Forward() : action, seen));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client, Action action, ByteArrayOutputStream seen) {
        try (client) {
            if (action instanceof Canned canned) {
                readRequest(client.getInputStream(), seen);
                client.getOutputStream().write(canned.response().getBytes(StandardCharsets.UTF_8));
                client.getOutputStream().flush();
                return;
            }
            try (Socket server = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
                open.add(server);
                Thread up = Thread.ofVirtual().start(() -> pipe(client, server, seen));
                if (action instanceof DropAnswer) {
                    // Wait for the first byte of the answer: the server has done the work. Then hang up on both.
                    server.getInputStream().read();
                } else {
                    pipe(server, client, null);
                }
                up.interrupt();
            }
        } catch (IOException e) {
            // a side hung up: the connection is over
        }
    }

    private static void pipe(Socket from, Socket to, ByteArrayOutputStream seen) {
        byte[] buf = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buf)) > 0) {
                if (seen != null) {
                    synchronized (seen) {
                        seen.write(buf, 0, n);
                    }
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // closed
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    /** Reads one request (head and Content-Length body) into {@code seen}. */
    private static void readRequest(InputStream in, ByteArrayOutputStream seen) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                break;
            }
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        Matcher m = Pattern.compile("(?im)^Content-Length: *(\\d+)").matcher(text);
        byte[] body = m.find() ? in.readNBytes(Integer.parseInt(m.group(1))) : new byte[0];
        synchronized (seen) {
            seen.write(head.toByteArray());
            seen.write(body);
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : open) {
            s.close();
        }
        acceptor.interrupt();
    }
}
