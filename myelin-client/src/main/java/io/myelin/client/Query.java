package io.myelin.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** A URL query string under construction; {@code null} values are skipped so optional filters read naturally. */
final class Query {
    private final StringBuilder sb = new StringBuilder();

    Query add(String name, Object value) {
        if (value != null) {
            sb.append(sb.isEmpty() ? '?' : '&').append(encode(name)).append('=').append(encode(value.toString()));
        }
        return this;
    }

    @Override
    public String toString() {
        return sb.toString();
    }

    /** Percent-encodes a path segment (URLEncoder's form encoding would turn spaces into '+'). */
    static String segment(String s) {
        return encode(s).replace("+", "%20");
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
