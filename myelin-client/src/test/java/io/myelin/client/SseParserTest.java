package io.myelin.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SseParserTest {
    @Test
    void splitsFramesSkipsCommentsAndJoinsDataLines() throws Exception {
        String body = ": heartbeat\n\n"
                + "id: 1\r\ndata: {\"a\":1}\r\n\r\n"
                + "event: error\ndata: {\"code\":408,\ndata: \"message\":\"idle\"}\n\n"
                + "retry: 1000\n\n"
                + "data: partial-without-blank-line";
        AtomicInteger lines = new AtomicInteger();
        SseParser p = new SseParser(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), lines::incrementAndGet);

        assertThat(p.next()).isEqualTo(new SseParser.Frame(null, "1", "{\"a\":1}"));
        SseParser.Frame err = p.next();
        assertThat(err.event()).isEqualTo("error");
        assertThat(err.data()).isEqualTo("{\"code\":408,\n\"message\":\"idle\"}");
        assertThat(p.next()).isNull(); // the partial frame at EOF is dropped
        assertThat(lines.get()).isGreaterThan(5);
    }

    @Test
    void wireErrorsBecomeTypedExceptions() {
        MyelinApiException e = Transport.error(404, "{\"error\":{\"type\":\"not_found\",\"message\":\"axon not found: x\",\"field\":null}}");
        assertThat(e).isInstanceOf(NotFoundException.class);
        assertThat(e.status()).isEqualTo(404);
        assertThat(e.type()).isEqualTo("not_found");
        assertThat(e.serverMessage()).isEqualTo("axon not found: x");
        assertThat(e.field()).isNull();

        MyelinApiException v = Transport.error(400, "{\"error\":{\"type\":\"invalid_request\",\"message\":\"bad\",\"field\":\"origin\"}}");
        assertThat(v.field()).isEqualTo("origin");
        assertThat(v.getMessage()).isEqualTo("400 invalid_request: bad (field: origin)");

        MyelinApiException raw = Transport.error(502, "<html>bad gateway</html>");
        assertThat(raw.type()).isEqualTo("http_502");
        assertThat(raw.serverMessage()).contains("bad gateway");
        assertThat(Transport.error(401, "")).isInstanceOf(AuthException.class);
    }
}
