package io.myelin.client;

/**
 * One entry of a devbox's history.
 *
 * @param status           the status entered
 * @param transitionTimeMs when, milliseconds since the epoch
 * @param failureReason    for {@link DevboxStatus#FAILURE}, the kind of failure ({@code execution_failed}), else null
 */
public record DevboxStateTransition(DevboxStatus status, long transitionTimeMs, String failureReason) {
}
