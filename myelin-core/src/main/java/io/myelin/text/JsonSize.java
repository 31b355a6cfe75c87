package io.myelin.text;

/**
 * Bytes a value takes once written as JSON by the server's encoder (Jackson with default settings: UTF-8 output,
 * {@code "} and {@code \} and control characters escaped, {@code \b \t \n \f \r} as two characters and other
 * controls as {@code \}{@code u00XX}, everything else written as its UTF-8 bytes). Used to bound answers by what
 * they cost on the wire and in memory, not by their raw length: one stored {@code char(1)} costs six bytes out.
 */
public final class JsonSize {
    private JsonSize() {}

    /** A JSON string with its quotes; {@code null} is the literal {@code null}. */
    public static long string(CharSequence s) {
        if (s == null) {
            return 4;
        }
        long n = 2;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                n += c == '"' || c == '\\' ? 2 : 1;
            } else if (c < 0x20) {
                n += c == '\b' || c == '\t' || c == '\n' || c == '\f' || c == '\r' ? 2 : 6;
            } else if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** A base64 string (with quotes) for {@code bytes} raw bytes. */
    public static long base64(long bytes) {
        return 2 + 4 * ((bytes + 2) / 3);
    }

    /** An integer, by its decimal digits. */
    public static long number(long v) {
        return Long.toString(v).length();
    }

    /** A floating-point number, as Java prints it (within a few bytes of any encoder's shortest form). */
    public static long number(double v) {
        return Double.toString(v).length();
    }
}
