package io.myelin.client;

import java.util.List;
import java.util.Optional;

/**
 * One axon's step journal (a Myelin extension, README "Step journal"): step name to recorded result, first writer
 * wins. Results and chunks are JSON text, sent and returned as it is. Needs the key's {@code JOURNAL_READ} /
 * {@code JOURNAL_WRITE} on the axon. Every write is durable on the server before it returns and carries an
 * idempotency key, so the client's own retries apply it once.
 *
 * <p>For running steps at most once with results as Java objects, use {@code Journal.remote} of the
 * {@code myelin-journal} module, which is built on this.
 *
 * <p>Threading: safe for concurrent use. Every method throws {@link NotFoundException} when the axon does not exist
 * and {@link MyelinApiException} naming the field for bad input (a step name over 256 characters, a result over
 * {@code journal.max-result-bytes}).
 */
public interface AxonJournal {
    /** The step with its chunks, or empty when it has no record. */
    Optional<JournalStep> find(String step);

    /**
     * Records the step unless it has a record; returns the record that stands ({@link JournalStep#created()} tells
     * whose it is).
     *
     * @param resultJson the result as JSON text, e.g. {@code {"text":"hi"}} or {@code null}
     * @param failed     record it as {@code failed} rather than {@code completed}
     */
    JournalStep record(String step, String resultJson, boolean failed);

    /**
     * Appends chunks (JSON texts) to a streamed step. {@code restart} discards the chunks of an attempt that was
     * never completed and begins the next attempt; the answer's {@link JournalStep#attempt()} is the one to name in
     * later appends and the completion.
     *
     * @param attempt the attempt this writer continues, or null for any
     * @throws ConflictException 409: the step is sealed, or another attempt superseded {@code attempt}
     */
    JournalStep append(String step, List<String> chunksJson, boolean restart, Integer attempt);

    /**
     * Seals a streamed step (or records one with no chunks); returns the record that stands.
     *
     * @param resultJson the result as JSON text, or null for none
     * @throws ConflictException 409: another attempt superseded {@code attempt}
     */
    JournalStep complete(String step, String resultJson, Integer attempt);

    /**
     * One page of steps whose names start with {@code prefix} (null or "" for all), in recording order.
     *
     * @param limit         page size, 1..the server's {@code limits.max-list-limit}
     * @param startingAfter the last step of the previous page, or null
     */
    JournalPage list(String prefix, int limit, String startingAfter);

    /** Forgets every step whose name starts with {@code prefix} ("" for all) so that it runs again; how many. */
    int forget(String prefix);

    /** Forgets one step; false when it had no record. */
    boolean forgetStep(String step);
}
