package io.myelin.journal;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.axon.LiveAxon;
import io.myelin.concurrent.MemoryBudget;
import io.myelin.idempotency.RequestKey;
import java.util.List;

/**
 * Port: where axons' step journals are kept. Every write is decided on the step's row as it is inside the storage
 * write, so of concurrent writers of one step exactly one records it and the others get its record; every write is
 * durable before it returns. A write with a {@link RequestKey} already used on the axon for the same request changes
 * nothing and returns what the first attempt returned.
 *
 * <p>Threading: every method may be called from any thread and blocks until its read or write is done (a write until
 * it is durable, at most {@code storage.write-timeout}). Every write may also throw 404 when the axon was deleted,
 * 422 when its key was used for another request, 503/507 when storage fails.
 */
public interface JournalStore {

    /**
     * Records {@code step} with {@code status} and {@code result} unless it is recorded already: a sealed step keeps
     * its record ({@code created: false}); a streamed step that was never completed is replaced (its chunks go).
     */
    Recorded record(LiveAxon axon, String step, StepStatus status, JsonNode result, RequestKey key);

    /** The step with its chunks, or null when there is none. */
    JournalRecord find(LiveAxon axon, String step);

    /**
     * One page of the axon's steps whose names start with {@code prefix} ("" for all), in recording order, after
     * the step {@code startingAfter} (null: from the first), without chunks.
     *
     * @throws io.myelin.error.MyelinException 400 {@code starting_after} naming a step the journal does not hold
     */
    JournalPage list(LiveAxon axon, String prefix, String startingAfter, int limit, long maxPageBytes,
                     MemoryBudget.Lease memory);

    /**
     * Appends {@code chunks} to the streamed step, starting it (attempt 1) when it has no row. {@code restart}
     * discards the chunks of the attempt so far and begins the next attempt. Returns the step without chunks.
     *
     * @param chunkBytes the UTF-8 size of the chunks' JSON text together
     * @param attempt    the attempt the writer continues, or null for any
     * @throws io.myelin.error.MyelinException 409 when the step is sealed (with the record attached as {@code step})
     *                                         or {@code attempt} is not the current one; 413 naming {@code chunks}
     *                                         past {@code limits}
     */
    JournalRecord append(LiveAxon axon, String step, List<JsonNode> chunks, long chunkBytes, boolean restart,
                         Integer attempt, JournalLimits limits, RequestKey key);

    /**
     * Seals the streamed step with {@code result} (may be null); on a step with no row records it with no chunks;
     * on a sealed step changes nothing ({@code created: false}).
     *
     * @param resultBytes the UTF-8 size of {@code result}'s JSON text (0 for none)
     * @throws io.myelin.error.MyelinException 409 when {@code attempt} is not the current one (or the step has no
     *                                         row while an attempt is named); 413 naming {@code result} when the
     *                                         chunks and the result together pass {@code limits}
     */
    Recorded complete(LiveAxon axon, String step, JsonNode result, long resultBytes, Integer attempt,
                      JournalLimits limits, RequestKey key);

    /** Forgets the steps whose names start with {@code prefix} ("" for all); returns how many. */
    int forget(LiveAxon axon, String prefix, RequestKey key);

    /** Forgets the one step {@code step}; returns whether there was one. */
    boolean forgetStep(LiveAxon axon, String step, RequestKey key);
}
