package io.myelin.text;

import io.myelin.error.MyelinException;

/**
 * Strict UTF-8, both ways text enters Myelin.
 *
 * <ul>
 *   <li>Bytes ({@link #sequenceLength}, {@link #firstMalformed}): well-formed UTF-8 exactly as RFC 3629 and
 *       Unicode Table 3-7 define it. Overlong forms, surrogates encoded in UTF-8, code points above U+10FFFF,
 *       truncated sequences and stray continuation bytes are malformed; nothing is ever replaced by U+FFFD or
 *       {@code ?}, because a lenient decoder turns {@code C0 AF} into a {@code /} that no byte-level filter saw.</li>
 *   <li>Java strings ({@link #checkedLength}): a string that reaches the engine from a Java caller can hold an
 *       unpaired UTF-16 surrogate, which no UTF-8 encoding can represent (the JDK and sqlite-jdbc store it as
 *       {@code ?}). Such a string is refused, so what is acknowledged is always what is stored.</li>
 * </ul>
 *
 * <p>Stateless, allocation-free on valid input; safe from any thread.
 */
public final class Utf8 {
    /** {@link #sequenceLength} results below zero: why the sequence at the offset is malformed. */
    public static final int OVERLONG = -1;
    public static final int SURROGATE = -2;
    public static final int ABOVE_MAX = -3;
    public static final int TRUNCATED = -4;
    public static final int STRAY_CONTINUATION = -5;
    public static final int INVALID_BYTE = -6;

    private Utf8() {}

    /**
     * The length (2..4) of the multi-byte sequence starting at {@code b[i]}, which must be a non-ASCII byte, or
     * one of the negative codes above. A sequence is {@link #TRUNCATED} when {@code end} cuts it or a byte that
     * should continue it does not.
     */
    public static int sequenceLength(byte[] b, int i, int end) {
        int lead = b[i] & 0xff;
        if (lead < 0xc0) {
            return STRAY_CONTINUATION;
        }
        if (lead < 0xc2) {
            return OVERLONG;
        }
        if (lead < 0xe0) {
            return continuation(b, i + 1, end) ? 2 : TRUNCATED;
        }
        if (lead < 0xf0) {
            if (i + 1 >= end) {
                return TRUNCATED;
            }
            int second = b[i + 1] & 0xff;
            if (lead == 0xe0 && second >= 0x80 && second < 0xa0) {
                return OVERLONG;
            }
            if (lead == 0xed && second >= 0xa0 && second < 0xc0) {
                return SURROGATE;
            }
            return continuation(b, i + 1, end) && continuation(b, i + 2, end) ? 3 : TRUNCATED;
        }
        if (lead < 0xf5) {
            if (i + 1 >= end) {
                return TRUNCATED;
            }
            int second = b[i + 1] & 0xff;
            if (lead == 0xf0 && second >= 0x80 && second < 0x90) {
                return OVERLONG;
            }
            if (lead == 0xf4 && second >= 0x90 && second < 0xc0) {
                return ABOVE_MAX;
            }
            return continuation(b, i + 1, end) && continuation(b, i + 2, end) && continuation(b, i + 3, end)
                    ? 4 : TRUNCATED;
        }
        return lead < 0xf8 ? ABOVE_MAX : INVALID_BYTE;
    }

    private static boolean continuation(byte[] b, int i, int end) {
        return i < end && (b[i] & 0xc0) == 0x80;
    }

    /** What a negative {@link #sequenceLength} result means, for error messages. */
    public static String describe(int code, byte[] b, int i) {
        return switch (code) {
            case OVERLONG -> "overlong encoding";
            case SURROGATE -> "UTF-16 surrogate encoded as UTF-8";
            case ABOVE_MAX -> "code point above U+10FFFF";
            case TRUNCATED -> "truncated multi-byte sequence";
            case STRAY_CONTINUATION -> "continuation byte 0x" + hex(b[i]) + " without a lead byte";
            case INVALID_BYTE -> "byte 0x" + hex(b[i]) + ", which never occurs in UTF-8";
            default -> throw new IllegalArgumentException("not a malformation code: " + code);
        };
    }

    private static String hex(byte v) {
        return String.format("%02X", v & 0xff);
    }

    /** A malformed sequence: its byte offset and what is wrong with it. */
    public record Malformed(int offset, String problem) {
        @Override
        public String toString() {
            return problem + " at byte offset " + offset;
        }
    }

    /** The first malformed sequence in {@code b[from..to)}, or null when it is all well-formed UTF-8. */
    public static Malformed firstMalformed(byte[] b, int from, int to) {
        for (int i = from; i < to; ) {
            if (b[i] >= 0) {
                i++;
                continue;
            }
            int n = sequenceLength(b, i, to);
            if (n < 0) {
                return new Malformed(i - from, describe(n, b, i));
            }
            i += n;
        }
        return null;
    }

    /**
     * The UTF-8 length of {@code s} without encoding it (limits are in bytes and values can be megabytes), in
     * the same pass that checks it holds no unpaired UTF-16 surrogate.
     *
     * @param field the request field {@code s} came from, named by the error
     * @throws MyelinException 400 {@code invalid_request} naming {@code field} when a surrogate is unpaired
     */
    public static long checkedLength(CharSequence s, String field) {
        long n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (!Character.isSurrogate(c)) {
                n += 3;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                throw MyelinException.invalid(field, field + " holds an unpaired UTF-16 surrogate \\u"
                        + String.format("%04x", (int) c) + " at character " + i + "; text must be valid Unicode");
            }
        }
        return n;
    }
}
