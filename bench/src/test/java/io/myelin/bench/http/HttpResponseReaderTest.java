package io.myelin.bench.http;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpResponseReaderTest {

    private static HttpInput input(String raw, int bufferSize) {
        return new HttpInput(new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)), bufferSize);
    }

    @Test
    void readsContentLengthBodiesBackToBackOnOneConnection() throws Exception {
        HttpInput in = input("""
                HTTP/1.1 200 OK\r
                Content-Type: application/json\r
                Content-Length: 27\r
                \r
                {"sequence":1,"ts":1700000}HTTP/1.1 404 Not Found\r
                content-length: 2\r
                \r
                {}""", 7); // a tiny buffer forces lines and bodies across refills

        HttpResponse first = HttpResponseReader.read(in);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.ok()).isTrue();
        assertThat(first.head().header("Content-Type")).isEqualTo("application/json");
        assertThat(first.bodyText()).isEqualTo("{\"sequence\":1,\"ts\":1700000}");
        assertThat(first.head().keepAlive()).isTrue();

        HttpResponse second = HttpResponseReader.read(in);
        assertThat(second.status()).isEqualTo(404);
        assertThat(second.head().reason()).isEqualTo("Not Found");
        assertThat(second.bodyText()).isEqualTo("{}");
    }

    @Test
    void decodesChunkedBodiesWithExtensionsAndTrailers() throws Exception {
        HttpInput in = input("HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: y\r\n\r\n"
                + "HTTP/1.1 204 No Content\r\n\r\n", 5);
        HttpResponse r = HttpResponseReader.read(in);
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.bodyText()).isEqualTo("hello, world");
        HttpResponse next = HttpResponseReader.read(in);
        assertThat(next.status()).isEqualTo(204);
        assertThat(next.body()).isEmpty();
    }

    @Test
    void aBodyWithoutLengthRunsUntilTheConnectionCloses() throws Exception {
        HttpResponse r = HttpResponseReader.read(input("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nall of it", 64));
        assertThat(r.head().keepAlive()).isFalse();
        assertThat(r.head().bodyUntilClose()).isTrue();
        assertThat(r.bodyText()).isEqualTo("all of it");
    }

    @Test
    void multiByteUtf8InBodiesIsCountedInBytes() throws Exception {
        String body = "{\"p\":\"h\u00e9llo \u2603\"}";
        int length = body.getBytes(StandardCharsets.UTF_8).length;
        HttpResponse r = HttpResponseReader.read(input("HTTP/1.1 200 OK\r\nContent-Length: " + length + "\r\n\r\n" + body, 4));
        assertThat(r.bodyText()).isEqualTo(body);
    }

    @Test
    void aTruncatedBodyIsAnError() {
        assertThatThrownBy(() -> HttpResponseReader.read(input("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", 64)))
                .isInstanceOf(EOFException.class);
    }

    @Test
    void aClosedConnectionBeforeAnyResponseIsAnError() {
        assertThatThrownBy(() -> HttpResponseReader.read(input("", 64))).isInstanceOf(EOFException.class);
    }

    @Test
    void chunkedStreamsHandOutDataBeforeTheChunkTerminatorArrives() throws Exception {
        // The CRLF after a chunk is not there yet: a read must still return the chunk's bytes,
        // otherwise an SSE reader would stall one event behind.
        InputStream partial = new ByteArrayInputStream("4\r\nping".getBytes(StandardCharsets.US_ASCII)) {
            private boolean served;

            @Override
            public synchronized int read(byte[] b, int off, int len) {
                if (served) throw new AssertionError("read past the available chunk data");
                served = true;
                return super.read(b, off, len);
            }
        };
        ChunkedInputStream chunks = new ChunkedInputStream(new HttpInput(partial, 64));
        byte[] buf = new byte[16];
        int n = chunks.read(buf, 0, buf.length);
        assertThat(new String(buf, 0, n, StandardCharsets.US_ASCII)).isEqualTo("ping");
    }
}
