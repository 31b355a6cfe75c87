package io.myelin.devbox;

/**
 * One entry of a devbox's history (Runloop {@code DevboxView.StateTransition}).
 *
 * @param status           the status entered
 * @param transitionTimeMs when, in ms since the epoch (the engine's clock)
 * @param failureReason    for {@link DevboxStatus#FAILURE}: the kind of failure ({@code execution_failed}), else null
 */
public record StateTransition(DevboxStatus status, long transitionTimeMs, String failureReason) {}
