package io.myelin.client;

/**
 * A key with its secret, as create and rotate answer: the only time the server shows the secret. Keep it; it cannot
 * be read again (rotate the key for a new one).
 *
 * @param key    the key
 * @param secret what a client sends as {@code Authorization: Bearer <secret>} ({@code myl_...})
 */
public record IssuedKey(ApiKey key, String secret) {
    @Override
    public String toString() {
        return "IssuedKey[key=" + key + ", secret=<hidden>]";
    }
}
