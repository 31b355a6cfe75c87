package io.myelin.client;

/**
 * Where a published event landed.
 *
 * @param sequence    the event's position in the axon's log
 * @param timestampMs when the server appended it, milliseconds since the epoch
 */
public record Published(long sequence, long timestampMs) {
}
