package io.myelin.client;

/**
 * Where a {@link Subscription} is in its life. It cycles CONNECTING → STREAMING → (BACKING_OFF → CONNECTING
 * → STREAMING)* until closed; {@code CLOSED} is final.
 */
public enum SubscriptionState {
    /** Opening the event stream (first time or after a break). */
    CONNECTING,
    /** Connected; events flow as they are appended. */
    STREAMING,
    /** The stream broke or could not be opened; waiting before the next attempt. */
    BACKING_OFF,
    /** Closed by the caller, by the client's close, or by an error that retrying cannot fix. */
    CLOSED
}
