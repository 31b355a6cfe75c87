package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A request refused for what its head declares is answered from the head, at once: a body declared over
 * {@code limits.max-body-bytes} is a 413 before any of it arrives (the client that never sends it still gets it), and
 * what Jetty refuses in the head (a Content-Length no number can hold, an encoded NUL in the path) names the field.
 */
@Timeout(60)
@WithMyelinServer({"http.body-timeout=5m", "http.idle-timeout=5m"})
class DeclaredBodyTest {
    @InjectServer
    static TestServer s;

    /** Sends a head (no body) and reads one answer by its Content-Length, leaving the connection open. */
    private static RawHttp.Answer headOnly(String head) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", s.port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            int headEnd = -1;
            int length = -1;
            while (headEnd < 0 || got.size() < headEnd + length) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                got.write(b);
                String text = got.toString(StandardCharsets.ISO_8859_1);
                if (headEnd < 0 && text.endsWith("\r\n\r\n")) {
                    headEnd = got.size();
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
                    length = m.find() ? Integer.parseInt(m.group(1)) : 0;
                }
            }
            return RawHttp.parse(got.toByteArray());
        }
    }

    @Test
    void aBodyDeclaredOverTheLimitIsRefusedBeforeItArrives() throws Exception {
        String axon = s.createAxon("declared");
        // The body never comes: the 413 must not wait for it (http.body-timeout is 5 min here).
        RawHttp.Answer a = headOnly("POST /v1/axons/" + axon + "/publish HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + TestServer.ADMIN_KEY + "\r\nContent-Type: application/json\r\nContent-Length: 3000000\r\n\r\n");
        assertThat(a.status()).as(a.toString()).isEqualTo(413);
        assertThat(a.errorField()).isEqualTo("body");
        assertThat(a.errorMessage()).contains("3000000").contains("limits.max-body-bytes");
    }

    @Test
    void aContentLengthNoNumberCanHoldNamesTheHeader() {
        RawHttp.Answer a = new RawHttp(s.port()).bodiless("POST", "/v1/axons",
                "Content-Length: 99999999999999999999999");
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.errorField()).as(a.toString()).isEqualTo("Content-Length");
        assertThat(a.errorMessage()).contains("Content-Length");
    }

    @Test
    void anEncodedNulInThePathNamesThePath() {
        RawHttp.Answer a = new RawHttp(s.port()).bodiless("GET", "/v1/axons/%00");
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.errorField()).as(a.toString()).isEqualTo("path");
        assertThat(a.errorMessage()).containsIgnoringCase("%00");
    }
}
