package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code HEAD} is served wherever {@code GET} is (RFC 9110 §9.3.2): the same status and header fields, no content —
 * for an SSE stream too, which then ends at once instead of streaming into nothing.
 */
@Timeout(60)
@WithMyelinServer
class HeadRequestTest {
    @InjectServer
    static TestServer s;

    /** Sends a HEAD with {@code Connection: close} and returns everything the server sent. */
    private static String head(String target) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", s.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("HEAD " + target + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TestServer.ADMIN_KEY
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void headAnswersLikeGetWithoutContent() throws IOException {
        String axon = s.createAxon("head");
        assertThat(s.post("/v1/axons/" + axon + "/publish", Map.of("event_type", "m", "origin", "USER_EVENT",
                "source", "t", "payload", "{}")).status()).isEqualTo(200);
        for (String target : new String[] {"/v1/axons/" + axon, "/v1/axons/" + axon + "/events", "/v1/axons",
                "/healthz", "/v1/axons/" + axon + "/subscribe/sse?after_sequence=0"}) {
            String answer = head(target);
            assertThat(answer).as(target).startsWith("HTTP/1.1 200 ");
            assertThat(answer).as(target).endsWith("\r\n\r\n"); // header fields, then nothing
        }
        assertThat(head("/v1/axons/" + axon + "/subscribe/sse")).contains("Content-Type: text/event-stream");
    }

    @Test
    void headIsRefusedWhereGetIsAndListedWhereItIsAllowed() throws IOException {
        assertThat(head("/v1/axons/axn_doesnotexist")).startsWith("HTTP/1.1 404 ");
        TestServer.Reply post = s.post("/v1/axons/" + s.createAxon("allow") + "/events", Map.of());
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.response().headers().firstValue("allow").orElse("")).contains("GET").contains("HEAD");
    }
}
