package io.myelin.bench.redis;

import io.myelin.bench.http.HttpInput;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** One Redis connection speaking RESP2 over a plain socket, one command at a time. */
public final class RespConnection implements Closeable {
    private final Socket socket;
    private final OutputStream out;
    private final RespReader reader;

    public RespConnection(String host, int port) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 5_000);
        out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
        reader = new RespReader(new HttpInput(socket.getInputStream(), 16 * 1024));
    }

    /** Sends a command given as its arguments and returns the decoded reply. */
    public Object command(Object... args) throws IOException {
        return send(encode(args));
    }

    /** Sends an already encoded command (see {@link #encode}) and returns the decoded reply. */
    public Object send(byte[] encodedCommand) throws IOException {
        out.write(encodedCommand);
        out.flush();
        return reader.read();
    }

    /** Encodes a command as a RESP array of bulk strings; {@code byte[]} arguments go verbatim. */
    public static byte[] encode(Object... args) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        writeAscii(b, "*" + args.length + "\r\n");
        for (Object arg : args) {
            byte[] bytes = arg instanceof byte[] raw ? raw : String.valueOf(arg).getBytes(StandardCharsets.UTF_8);
            writeAscii(b, "$" + bytes.length + "\r\n");
            b.writeBytes(bytes);
            writeAscii(b, "\r\n");
        }
        return b.toByteArray();
    }

    private static void writeAscii(ByteArrayOutputStream b, String s) {
        b.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
