package io.myelin.text;

/**
 * UTF-8 length of a string without encoding it: limits are in bytes (event payloads, SQL text and values), values
 * arrive as strings of up to megabytes, and encoding one just to measure it would copy it.
 */
public final class Utf8 {
    private Utf8() {}

    public static long length(CharSequence s) {
        long n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
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
}
