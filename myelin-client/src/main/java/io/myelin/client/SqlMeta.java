package io.myelin.client;

/**
 * How a statement ran.
 *
 * @param changes             rows modified by INSERT/UPDATE/DELETE
 * @param durationMs          execution time on the server, milliseconds
 * @param rowsReadLimitReached whether the rows were cut off at the server's row limit
 */
public record SqlMeta(long changes, double durationMs, boolean rowsReadLimitReached) {
}
