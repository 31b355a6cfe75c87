package io.myelin.server;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Cleartext HTTP/2 with prior knowledge over a plain socket (RFC 9113), for what {@code java.net.http} does not let
 * a test do: reset a stream in the middle of its answer, hold a stream's flow-control window shut. Headers are sent
 * as HPACK literals without indexing or Huffman coding (RFC 7541 §6.2.2); answers' header blocks are not decoded.
 */
final class RawH2 implements AutoCloseable {
    static final int HEADERS = 1, DATA = 0, RST_STREAM = 3, SETTINGS = 4, PING = 6, GOAWAY = 7;
    private final Socket socket;
    /** The server's SETTINGS parameters as received (identifier to value), for what it advertises. */
    private final java.util.Map<Integer, Integer> serverSettings = new java.util.concurrent.ConcurrentHashMap<>();
    private final DataInputStream in;
    private final OutputStream out;

    /** One frame as read: its type, flags, stream and payload. */
    record Frame(int type, int flags, int stream, byte[] payload) {}

    /** Connects and sends the preface with {@code initialWindow} as every stream's flow-control window (bytes). */
    RawH2(int port, int initialWindow) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(60_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        // The preface and the first SETTINGS in one write, as clients send them: the server reads the preface as an
        // HTTP/1.1 request line before it switches to HTTP/2, and a SETTINGS frame cut across reads there has been
        // seen refused as invalid_settings_frame.
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        first.writeBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        first.writeBytes(frameBytes(SETTINGS, 0, 0, new byte[] {0, 4, (byte) (initialWindow >>> 24),
                (byte) (initialWindow >>> 16), (byte) (initialWindow >>> 8), (byte) initialWindow}));
        out.write(first.toByteArray());
        out.flush();
    }

    /** Opens stream {@code id} with a request; {@code body} null for none. Header names must be lower case. */
    void request(int id, String method, String path, byte[] body, String... nameValues) throws IOException {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        indexedName(block, 2, method);
        indexedName(block, 6, "http");
        indexedName(block, 4, path);
        indexedName(block, 1, "localhost");
        for (int i = 0; i < nameValues.length; i += 2) {
            block.write(0);
            string(block, nameValues[i]);
            string(block, nameValues[i + 1]);
        }
        frame(HEADERS, 0x4 | (body == null ? 0x1 : 0), id, block.toByteArray());
        if (body != null) {
            frame(DATA, 0x1, id, body);
        }
    }

    /**
     * Opens stream {@code id} with exactly the given header fields, pseudo-headers included (so a request may lack
     * {@code :path}), each an HPACK literal with a new name; {@code endStream} ends the stream with the headers.
     */
    void headers(int id, boolean endStream, String... nameValues) throws IOException {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        for (int i = 0; i < nameValues.length; i += 2) {
            block.write(0);
            string(block, nameValues[i]);
            string(block, nameValues[i + 1]);
        }
        frame(HEADERS, 0x4 | (endStream ? 0x1 : 0), id, block.toByteArray());
    }

    /** Sends a frame as given, valid or not (a protocol error on purpose, a PING). */
    void raw(int type, int flags, int stream, byte[] payload) throws IOException {
        frame(type, flags, stream, payload);
    }

    /** The body of stream {@code id}'s answer: its DATA frames up to END_STREAM (fails on a reset or GOAWAY). */
    byte[] body(int id) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Frame f = read(); ; f = read()) {
            if (f.stream() == id && f.type() == RST_STREAM) {
                throw new IOException("stream " + id + " reset: error " + java.nio.ByteBuffer.wrap(f.payload()).getInt());
            }
            if (f.type() == GOAWAY) {
                throw new IOException("GOAWAY: " + new String(f.payload(), 8, f.payload().length - 8,
                        StandardCharsets.UTF_8));
            }
            if (f.stream() == id && f.type() == DATA) {
                body.writeBytes(f.payload());
            }
            if (f.stream() == id && (f.type() == DATA || f.type() == HEADERS) && (f.flags() & 0x1) != 0) {
                return body.toByteArray();
            }
        }
    }

    /** The value the server's SETTINGS gave parameter {@code id} so far, or null if it sent none. */
    Integer serverSetting(int id) {
        return serverSettings.get(id);
    }

    /** Resets stream {@code id} with CANCEL, as a client that gave up on it. */
    void reset(int id) throws IOException {
        frame(RST_STREAM, 0, id, new byte[] {0, 0, 0, 8});
    }

    /** The next frame; SETTINGS from the server are acknowledged on the way. */
    Frame read() throws IOException {
        while (true) {
            int length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
            int type = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            int stream = in.readInt() & 0x7fffffff;
            byte[] payload = new byte[length];
            in.readFully(payload);
            if (type == SETTINGS && (flags & 1) == 0) {
                for (int i = 0; i + 6 <= length; i += 6) {
                    serverSettings.put(((payload[i] & 0xff) << 8) | (payload[i + 1] & 0xff),
                            java.nio.ByteBuffer.wrap(payload, i + 2, 4).getInt());
                }
                frame(SETTINGS, 1, 0, new byte[0]);
                continue;
            }
            return new Frame(type, flags, stream, payload);
        }
    }

    /** Reads frames until one of {@code type} on {@code stream} arrives. */
    Frame readUntil(int type, int stream) throws IOException {
        for (Frame f = read(); ; f = read()) {
            if (f.type() == type && f.stream() == stream) {
                return f;
            }
            if (f.type() == GOAWAY) {
                throw new IOException("GOAWAY: " + new String(f.payload(), 8, f.payload().length - 8,
                        StandardCharsets.UTF_8));
            }
        }
    }

    private synchronized void frame(int type, int flags, int stream, byte[] payload) throws IOException {
        out.write(frameBytes(type, flags, stream, payload));
        out.flush();
    }

    /** A frame's 9-byte head and its payload, to be written at once. */
    private static byte[] frameBytes(int type, int flags, int stream, byte[] payload) {
        byte[] frame = new byte[9 + payload.length];
        frame[0] = (byte) (payload.length >>> 16);
        frame[1] = (byte) (payload.length >>> 8);
        frame[2] = (byte) payload.length;
        frame[3] = (byte) type;
        frame[4] = (byte) flags;
        frame[5] = (byte) (stream >>> 24);
        frame[6] = (byte) (stream >>> 16);
        frame[7] = (byte) (stream >>> 8);
        frame[8] = (byte) stream;
        System.arraycopy(payload, 0, frame, 9, payload.length);
        return frame;
    }

    private static void indexedName(ByteArrayOutputStream block, int index, String value) {
        block.write(index); // literal without indexing, indexed name (index < 15)
        string(block, value);
    }

    private static void string(ByteArrayOutputStream block, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
        integer(block, bytes.length, 7, 0);
        block.writeBytes(bytes);
    }

    private static void integer(ByteArrayOutputStream block, int value, int prefixBits, int firstByte) {
        int max = (1 << prefixBits) - 1;
        if (value < max) {
            block.write(firstByte | value);
            return;
        }
        block.write(firstByte | max);
        for (value -= max; value >= 128; value >>>= 7) {
            block.write((value & 0x7f) | 0x80);
        }
        block.write(value);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
