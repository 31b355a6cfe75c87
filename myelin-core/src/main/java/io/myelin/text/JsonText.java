package io.myelin.text;

import io.myelin.error.MyelinException;

/**
 * Checks that bytes are JSON text as RFC 8259 §8.1 requires before any parser reads them: UTF-8 (strictly, see
 * {@link Utf8}), no byte order mark, no raw control character (only TAB, LF, CR between tokens; none inside
 * strings, where they must be escaped), valid escapes, and every {@code \\uXXXX} surrogate escape paired (a high
 * one immediately followed by a {@code \\u} low one). A JSON parser left to itself would guess another encoding
 * from NUL bytes, decode overlong forms, or turn an unpaired surrogate into {@code ?} when the text is stored;
 * the same request must never mean different bytes to different readers.
 *
 * <p>The grammar itself (brackets, commas, literals, numbers) is left to the parser that follows; this pass only
 * tracks whether it is inside a string. One pass, no allocation on valid input; safe from any thread.
 */
public final class JsonText {
    private JsonText() {}

    /**
     * Refuses {@code b[0..length)} unless it is JSON-clean text as described above.
     *
     * @param what names the text in the message ("request body")
     * @param field the request field reported with the error ({@code body})
     * @throws MyelinException 400 {@code invalid_request} naming {@code field}, the problem and its byte offset
     */
    public static void require(byte[] b, int length, String what, String field) {
        if (length >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf) {
            throw MyelinException.invalid(field, what + " starts with a UTF-8 byte order mark (EF BB BF), which JSON"
                    + " text must not have (RFC 8259 §8.1)");
        }
        boolean inString = false;
        int highEscape = -1; // offset of a high-surrogate escape still waiting for its low half
        for (int i = 0; i < length; ) {
            int c = b[i];
            if (c < 0) {
                if (highEscape >= 0) {
                    throw unpaired(b, highEscape, what, field);
                }
                int n = Utf8.sequenceLength(b, i, length);
                if (n < 0) {
                    throw MyelinException.invalid(field, what + " is not valid UTF-8: " + Utf8.describe(n, b, i)
                            + " at byte offset " + i);
                }
                i += n;
                continue;
            }
            if (!inString) {
                if (c == '"') {
                    inString = true;
                } else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                    throw control(c, i, what, field);
                }
                i++;
                continue;
            }
            if (c == '\\') {
                if (i + 1 >= length) {
                    throw MyelinException.invalid(field, what + " ends inside an escape at byte offset " + i);
                }
                int e = b[i + 1];
                if (e == 'u') {
                    int v = hex4(b, i + 2, length);
                    if (v < 0) {
                        throw MyelinException.invalid(field, what + " is not valid JSON: \\u must be followed by four"
                                + " hex digits at byte offset " + i);
                    }
                    boolean high = v >= 0xd800 && v <= 0xdbff;
                    boolean low = v >= 0xdc00 && v <= 0xdfff;
                    if (highEscape >= 0 ? !low : low) {
                        throw unpaired(b, highEscape >= 0 ? highEscape : i, what, field);
                    }
                    highEscape = high ? i : -1;
                    i += 6;
                    continue;
                }
                if (highEscape >= 0) {
                    throw unpaired(b, highEscape, what, field);
                }
                if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't') {
                    throw MyelinException.invalid(field, what + " is not valid JSON: invalid escape \\"
                            + (e >= 0x20 && e < 0x7f ? String.valueOf((char) e) : String.format("x%02X", e & 0xff))
                            + " at byte offset " + i);
                }
                i += 2;
                continue;
            }
            if (highEscape >= 0) {
                throw unpaired(b, highEscape, what, field);
            }
            if (c == '"') {
                inString = false;
            } else if (c < 0x20) {
                throw control(c, i, what, field);
            }
            i++;
        }
        if (highEscape >= 0) {
            throw unpaired(b, highEscape, what, field);
        }
    }

    private static int hex4(byte[] b, int i, int length) {
        if (i + 4 > length) {
            return -1;
        }
        int v = 0;
        for (int k = i; k < i + 4; k++) {
            int d = Character.digit(b[k], 16);
            if (d < 0 || b[k] < 0) {
                return -1;
            }
            v = v << 4 | d;
        }
        return v;
    }

    private static MyelinException unpaired(byte[] b, int at, String what, String field) {
        return MyelinException.invalid(field, what + " is not valid JSON: unpaired surrogate escape "
                + new String(b, at, 6, java.nio.charset.StandardCharsets.US_ASCII) + " at byte offset " + at
                + " (a high surrogate \\ud800-\\udbff must be followed at once by a low one \\udc00-\\udfff)");
    }

    private static MyelinException control(int c, int at, String what, String field) {
        return MyelinException.invalid(field, what + " is not valid JSON: raw control character "
                + String.format("0x%02X", c) + " at byte offset " + at + " (inside strings write it as "
                + String.format("\\u%04x", c) + ")");
    }
}
