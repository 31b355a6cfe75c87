package io.myelin.client;

/**
 * Why a statement of a batch failed.
 *
 * @param message SQLite's message prefixed with the statement's position, e.g. {@code "statement 1: no such table:
 *                todo"}, or {@code "not executed: statement 1 failed"} for the statements after a failure
 */
public record SqlStepError(String message) {
}
