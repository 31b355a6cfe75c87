package io.myelin.client.journal;

import java.util.List;

/**
 * Where a {@link StepJournal} keeps steps: each write decided on the step as stored, atomically, durable when it
 * returns. Implementations are thread-safe.
 */
interface Backend extends AutoCloseable {

    /** The step with its chunks, or null when it has no row. */
    StoredStep find(String session, String step);

    /**
     * Records the step unless it is sealed (a stream never completed is replaced); returns the record that stands.
     */
    StoredStep record(String session, String step, boolean failed, String resultJson);

    /**
     * Begins a stream attempt: starts the step (attempt 1), or discards the chunks of an attempt never completed and
     * moves the attempt on. Returns the step as it is then: sealed (someone completed it: not begun) or streaming
     * with this writer's attempt.
     */
    StoredStep begin(String session, String step);

    /** Appends chunks to {@code attempt}. @throws JournalConflictException when it is not the current attempt */
    void append(String session, String step, int attempt, List<String> chunksJson);

    /**
     * Completes {@code attempt}; on a sealed step changes nothing and returns it ({@code created} false).
     *
     * @throws JournalConflictException when it is not the current attempt
     */
    StoredStep complete(String session, String step, int attempt);

    /** Forgets the session's steps whose names start with {@code prefix}. */
    int forget(String session, String prefix);

    @Override
    void close();
}
