package io.myelin.bench.workload;

import io.myelin.bench.http.HttpResponse;

import java.io.IOException;

/** A request got a non-2xx answer; counted as an error rather than as throughput. */
public final class UnexpectedResponseException extends IOException {
    private final int status;

    public UnexpectedResponseException(String what, HttpResponse response) {
        super(what + " answered " + response.status() + ": " + abbreviate(response.bodyText()));
        this.status = response.status();
    }

    public int status() {
        return status;
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
}
