package io.myelin.idempotency;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

/**
 * SHA-256 of a request, over an unambiguous encoding: every part is a type tag plus a length-prefixed value, and a
 * JSON body is encoded canonically (object members sorted by name; integers and fractions apart, by their parsed
 * value's text: {@code 1} and {@code 1.0} differ, as SQLite binds them as INTEGER and REAL). Two
 * requests that mean the same (same caller, method, path and body, whatever the whitespace or member order) have
 * the same fingerprint; no choice of field contents can make two different requests collide, because no separator
 * can occur inside a value.
 *
 * <p>Used to tell a client's retry (same key, same request: answer the stored result) from a reused key (same key,
 * different request: 422).
 */
public final class Fingerprint {
    private final byte[] sha256;

    private Fingerprint(byte[] sha256) {
        this.sha256 = sha256;
    }

    /** A fingerprint as stored (32 bytes). */
    public static Fingerprint of(byte[] sha256) {
        if (sha256.length != 32) {
            throw new IllegalArgumentException("a SHA-256 fingerprint has 32 bytes, got " + sha256.length);
        }
        return new Fingerprint(sha256.clone());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The 32 bytes of the digest (a copy). */
    public byte[] bytes() {
        return sha256.clone();
    }

    byte[] raw() {
        return sha256;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fingerprint f && MessageDigest.isEqual(sha256, f.sha256);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sha256);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(sha256, 0, 8);
    }

    /** Accumulates the parts of a request. Not thread-safe; one builder per request. */
    public static final class Builder {
        private static final byte STRING = 's';
        private static final byte NULL = 'z';
        private static final byte NUMBER = 'n';
        private static final byte DECIMAL = 'd';
        private static final byte TRUE = 't';
        private static final byte FALSE = 'f';
        private static final byte OBJECT = 'o';
        private static final byte ARRAY = 'a';
        private static final byte BYTES = 'b';

        private final MessageDigest digest;

        private Builder() {
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is required by the Java platform", e);
            }
        }

        /** A string part; null is encoded differently from "". */
        public Builder add(String value) {
            if (value == null) {
                digest.update(NULL);
                return this;
            }
            byte[] b = value.getBytes(StandardCharsets.UTF_8);
            tagged(STRING, b.length);
            digest.update(b);
            return this;
        }

        public Builder add(long value) {
            return add(NUMBER, Long.toString(value));
        }

        public Builder add(byte[] value) {
            tagged(BYTES, value.length);
            digest.update(value);
            return this;
        }

        /** A JSON value, canonically: object members by name, arrays in order. */
        public Builder add(JsonNode node) {
            // Iterative: a body nested to the parser's depth limit must not cost a deep Java stack here.
            List<Object> stack = new ArrayList<>();
            stack.add(node);
            while (!stack.isEmpty()) {
                Object next = stack.removeLast();
                if (next instanceof String name) { // an object member's name, queued before its value
                    add(name);
                    continue;
                }
                JsonNode n = (JsonNode) next;
                if (n == null || n.isNull() || n.isMissingNode()) {
                    digest.update(NULL);
                } else if (n.isTextual()) {
                    add(n.textValue());
                } else if (n.isIntegralNumber()) {
                    add(NUMBER, n.numberValue().toString());
                } else if (n.isNumber()) {
                    // 1 and 1.0 bind differently (INTEGER and REAL): they are different requests.
                    add(DECIMAL, n.numberValue().toString());
                } else if (n.isBoolean()) {
                    digest.update(n.booleanValue() ? TRUE : FALSE);
                } else if (n.isArray()) {
                    tagged(ARRAY, n.size());
                    for (int i = n.size() - 1; i >= 0; i--) {
                        stack.add(n.get(i));
                    }
                } else if (n.isObject()) {
                    tagged(OBJECT, n.size());
                    List<String> names = new ArrayList<>(n.size());
                    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                        names.add(it.next());
                    }
                    names.sort(null);
                    for (int i = names.size() - 1; i >= 0; i--) {
                        stack.add(n.get(names.get(i)));
                        stack.add(names.get(i));
                    }
                } else if (n.isBinary()) {
                    try {
                        add(n.binaryValue());
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                } else {
                    add(n.toString());
                }
            }
            return this;
        }

        private Builder add(byte tag, String text) {
            byte[] b = text.getBytes(StandardCharsets.US_ASCII);
            tagged(tag, b.length);
            digest.update(b);
            return this;
        }

        private void tagged(byte tag, int length) {
            digest.update(tag);
            digest.update((byte) (length >>> 24));
            digest.update((byte) (length >>> 16));
            digest.update((byte) (length >>> 8));
            digest.update((byte) length);
        }

        public Fingerprint build() {
            return new Fingerprint(digest.digest());
        }
    }
}
