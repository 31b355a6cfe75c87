package io.myelin.bench.redis;

import io.myelin.bench.http.HttpInput;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RespReaderTest {

    private static RespReader reader(String raw) {
        return new RespReader(new HttpInput(new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)), 3));
    }

    @Test
    void decodesEveryReplyType() throws Exception {
        RespReader r = reader("+OK\r\n:42\r\n$11\r\n1700-0\r\nabc\r\n$-1\r\n*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n");
        assertThat(r.read()).isEqualTo("OK");
        assertThat(r.read()).isEqualTo(42L);
        assertThat(r.read()).isEqualTo("1700-0\r\nabc"); // bulk strings are length-delimited, CRLF inside is data
        assertThat(r.read()).isNull();
        assertThat(r.read()).isEqualTo(List.of("appendonly", "no"));
    }

    @Test
    void errorRepliesThrow() {
        assertThatThrownBy(() -> reader("-ERR unknown command\r\n").read())
                .isInstanceOf(RespError.class).hasMessage("ERR unknown command");
    }

    @Test
    void encodesCommandsAsBulkStringArrays() {
        byte[] encoded = RespConnection.encode("XADD", "k", "*", "payload", new byte[] {'a', 'b'});
        assertThat(new String(encoded, StandardCharsets.UTF_8))
                .isEqualTo("*5\r\n$4\r\nXADD\r\n$1\r\nk\r\n$1\r\n*\r\n$7\r\npayload\r\n$2\r\nab\r\n");
    }
}
