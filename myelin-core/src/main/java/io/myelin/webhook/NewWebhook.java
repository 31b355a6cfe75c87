package io.myelin.webhook;

/**
 * A webhook just created, with its signing secret: the one answer that ever carries the secret.
 *
 * @param secret {@code whsec_} + the base64 of 32 random bytes, the Standard Webhooks form of an HMAC-SHA256 key
 */
public record NewWebhook(Webhook webhook, String secret) {}
