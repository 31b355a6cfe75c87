package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Request bodies are never decoded: a Content-Encoding other than identity is a 415 naming the header. */
@Timeout(60)
@WithMyelinServer
class ContentEncodingTest {
    @InjectServer
    TestServer s;

    private static byte[] gzip(String text) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private RawHttp.Answer post(String target, byte[] body, String... headers) {
        StringBuilder head = new StringBuilder("POST " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + TestServer.ADMIN_KEY + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n");
        for (String h : headers) {
            head.append(h).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        return new RawHttp(s.port()).exchange(RawHttp.concat(head.toString().getBytes(StandardCharsets.US_ASCII), body),
                false);
    }

    @Test
    void anEncodedBodyIsRefusedNamingTheHeader() throws Exception {
        String body = "{\"name\":\"zipped\"}";
        for (String encoding : new String[] {"gzip", "deflate", "br", "identity, gzip", "x-anything"}) {
            RawHttp.Answer a = post("/v1/axons", gzip(body), "Content-Encoding: " + encoding);
            assertThat(a.status()).as(encoding).isEqualTo(415);
            assertThat(a.errorField()).as(encoding).isEqualTo("Content-Encoding");
            assertThat(a.errorMessage()).as(encoding).contains("not decoded");
        }
        RawHttp.Answer twice = post("/v1/axons", body.getBytes(StandardCharsets.UTF_8), "Content-Encoding: identity",
                "Content-Encoding: gzip");
        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.errorField()).isEqualTo("Content-Encoding");
        RawHttp.Answer identity = post("/v1/axons", body.getBytes(StandardCharsets.UTF_8), "Content-Encoding: identity");
        assertThat(identity.status()).isEqualTo(200);
        assertThat(identity.json().path("name").asText()).isEqualTo("zipped");
    }
}
