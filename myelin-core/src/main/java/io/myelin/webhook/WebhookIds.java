package io.myelin.webhook;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Webhook ids ({@code wh_}), delivery ids ({@code msg_}, the Standard Webhooks message id) and signing secrets
 * ({@code whsec_}). Ids are 26 characters of lower-case base32 (130 random bits from {@link SecureRandom}) like axon
 * ids: opaque, URL-safe, unguessable. A secret is the base64 of 32 random bytes, the HMAC-SHA256 key.
 */
public final class WebhookIds {
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int RANDOM_CHARS = 26;

    private WebhookIds() {}

    public static String webhook() {
        return random("wh_");
    }

    public static String delivery() {
        return random("msg_");
    }

    public static String secret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    private static String random(String prefix) {
        byte[] bytes = new byte[RANDOM_CHARS];
        RANDOM.nextBytes(bytes);
        StringBuilder b = new StringBuilder(prefix.length() + RANDOM_CHARS).append(prefix);
        for (byte x : bytes) {
            b.append(ALPHABET[x & 31]);
        }
        return b.toString();
    }
}
