package io.myelin.webhook;

/**
 * What one attempt changed in its delivery, written through the store. {@code attempts} is the count after the
 * attempt; the store applies it only while the delivery still has {@code attempts - 1} attempts and is pending, so an
 * outcome that raced with a manual retry or a delete changes nothing.
 *
 * @param status             delivered, dead (the last attempt of the schedule failed) or still pending
 * @param nextAttemptAtMs    when the next attempt is due, null unless pending
 * @param lastResponseStatus the HTTP status answered, null when none
 * @param lastError          why it failed, null when it succeeded
 */
public record AttemptOutcome(String deliveryId, DeliveryStatus status, int attempts, Long nextAttemptAtMs,
                             long attemptedAtMs, Integer lastResponseStatus, String lastError) {}
