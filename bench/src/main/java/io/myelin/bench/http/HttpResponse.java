package io.myelin.bench.http;

import java.nio.charset.StandardCharsets;

/** A fully read response. */
public record HttpResponse(ResponseHead head, byte[] body) {

    public int status() {
        return head.status();
    }

    public boolean ok() {
        return head.status() >= 200 && head.status() < 300;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
