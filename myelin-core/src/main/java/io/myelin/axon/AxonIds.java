package io.myelin.axon;

import java.security.SecureRandom;

/**
 * Axon identifiers: {@code axn_} followed by 26 characters of lower-case base32 (RFC 4648 alphabet) carrying 130
 * random bits from {@link SecureRandom}. Opaque, URL-safe, and unguessable, so an id can be shared as a capability
 * without exposing its neighbours.
 */
public final class AxonIds {
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String PREFIX = "axn_";
    static final int RANDOM_CHARS = 26;

    private AxonIds() {}

    public static String next() {
        return next(PREFIX);
    }

    /**
     * {@code prefix} followed by 26 random base32 characters (130 bits): the shape of every opaque id the server hands
     * out (axons, devboxes, intents).
     */
    public static String next(String prefix) {
        byte[] bytes = new byte[RANDOM_CHARS];
        RANDOM.nextBytes(bytes);
        char[] out = new char[prefix.length() + RANDOM_CHARS];
        prefix.getChars(0, prefix.length(), out, 0);
        for (int i = 0; i < RANDOM_CHARS; i++) {
            out[prefix.length() + i] = ALPHABET[bytes[i] & 31];
        }
        return new String(out);
    }
}
