package io.myelin.journal;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.auth.Caller;
import io.myelin.axon.AxonIndex;
import io.myelin.concurrent.MemoryBudget;
import io.myelin.error.MyelinException;
import io.myelin.idempotency.RequestKey;
import io.myelin.text.Utf8;
import java.util.List;

/**
 * The step journal: per axon, a map from step name to recorded result, first writer wins. A crashed agent that runs
 * again finds its completed steps recorded and replays their results instead of running them again (a paid model
 * call, a slow tool); only the steps without a record run.
 *
 * <p><b>First writer wins.</b> {@link #record} stores a step only when it has no record: a later writer gets the
 * stored record back ({@code created: false}), never overwrites it. {@link #forget} removes steps so that they run
 * again.
 *
 * <p><b>Streamed steps</b> (loomflow's {@code stream_step} rule: a stream either replays whole or re-runs whole):
 * chunks are appended ({@link #append}) and the step is sealed by {@link #complete}; only then is it a cached result.
 * A stream never completed is not: the next attempt starts over by appending with {@code restart}, which discards
 * the chunks so far and moves the step's {@code attempt} on, so that appends and the completion of the superseded
 * attempt (which name their attempt) are refused with 409.
 *
 * <p><b>Access</b> ({@code JOURNAL_READ}, {@code JOURNAL_WRITE} on the axon) is checked by the HTTP layer before
 * these calls. Thread-safe; every call blocks until its read is done or its write is durable.
 */
public final class Journals {
    private final JournalStore store;
    private final AxonIndex axons;
    private final JournalLimits limits;

    public Journals(JournalStore store, AxonIndex axons, JournalLimits limits) {
        this.store = store;
        this.axons = axons;
        this.limits = limits;
    }

    public JournalLimits limits() {
        return limits;
    }

    /**
     * Records {@code step} unless it has a record (see {@link JournalStore#record}).
     *
     * @throws MyelinException 400 naming {@code step}; 413 naming {@code result} past {@code journal.max-result-bytes};
     *                         404 unknown axon; 422 key reused for another request
     */
    public Recorded record(Caller caller, String axonId, String step, StepStatus status, JsonNode result,
                           RequestKey key) {
        checkStep("step", step);
        size("result", result);
        return store.record(axons.require(axonId), step, status, result, RequestKey.sentBy(caller, key));
    }

    /** The step with its chunks. @throws MyelinException 404 when the axon or the step is unknown; 400 {@code step} */
    public JournalRecord get(String axonId, String step) {
        checkStep("step", step);
        JournalRecord found = store.find(axons.require(axonId), step);
        if (found == null) {
            throw MyelinException.notFound("journal step", step);
        }
        return found;
    }

    /**
     * One page of the axon's steps, in recording order.
     *
     * @throws MyelinException 400 naming {@code prefix}, {@code limit} or {@code starting_after}; 404 unknown axon
     */
    public JournalPage list(String axonId, String prefix, String startingAfter, int limit, MemoryBudget.Lease memory) {
        if (!prefix.isEmpty()) {
            checkStep("prefix", prefix);
        }
        if (startingAfter != null) {
            checkStep("starting_after", startingAfter);
        }
        if (limit < 1 || limit > limits.maxListLimit()) {
            throw MyelinException.invalid("limit", "limit must be between 1 and " + limits.maxListLimit()
                    + " (limits.max-list-limit); got " + limit);
        }
        return store.list(axons.require(axonId), prefix, startingAfter, limit, limits.maxPageBytes(), memory);
    }

    /**
     * Appends chunks to a streamed step (see the class comment).
     *
     * @throws MyelinException 400 naming {@code step} or {@code attempt}; 409 sealed step or superseded attempt;
     *                         413 naming {@code chunks} past {@code journal.max-result-bytes} or
     *                         {@code journal.max-chunks}; 404 unknown axon
     */
    public JournalRecord append(Caller caller, String axonId, String step, List<JsonNode> chunks, boolean restart,
                                Integer attempt, RequestKey key) {
        checkStep("step", step);
        attempt(attempt);
        if (chunks.size() > limits.maxChunks()) {
            throw MyelinException.tooLarge("chunks", chunks.size() + " chunks are more than a step may hold ("
                    + limits.maxChunks() + ", journal.max-chunks)");
        }
        long bytes = 0;
        for (int i = 0; i < chunks.size(); i++) {
            bytes += size("chunks[" + i + "]", chunks.get(i));
        }
        if (bytes > limits.maxResultBytes()) {
            throw MyelinException.tooLarge("chunks", "the chunks are " + bytes + " bytes of JSON, more than a step"
                    + " may hold (" + limits.maxResultBytes() + ", journal.max-result-bytes)");
        }
        return store.append(axons.require(axonId), step, chunks, bytes, restart, attempt, limits,
                RequestKey.sentBy(caller, key));
    }

    /**
     * Seals a streamed step (see {@link JournalStore#complete}).
     *
     * @throws MyelinException 400 naming {@code step} or {@code attempt}; 409 superseded attempt; 413 naming
     *                         {@code result}; 404 unknown axon
     */
    public Recorded complete(Caller caller, String axonId, String step, JsonNode result, Integer attempt,
                             RequestKey key) {
        checkStep("step", step);
        attempt(attempt);
        long bytes = result == null ? 0 : size("result", result);
        return store.complete(axons.require(axonId), step, result, bytes, attempt, limits,
                RequestKey.sentBy(caller, key));
    }

    /** Forgets the steps whose names start with {@code prefix} ("" for all). @return how many */
    public int forget(Caller caller, String axonId, String prefix, RequestKey key) {
        if (!prefix.isEmpty()) {
            checkStep("prefix", prefix);
        }
        return store.forget(axons.require(axonId), prefix, RequestKey.sentBy(caller, key));
    }

    /** Forgets one step. @throws MyelinException 404 when the axon or the step is unknown */
    public void forgetStep(Caller caller, String axonId, String step, RequestKey key) {
        checkStep("step", step);
        if (!store.forgetStep(axons.require(axonId), step, RequestKey.sentBy(caller, key))) {
            throw MyelinException.notFound("journal step", step);
        }
    }

    /**
     * A step name (or a prefix of one): 1..256 characters, no control characters (the path decoding already refused
     * invalid UTF-8, {@code /} and dot segments; this also guards callers that are not HTTP).
     */
    static void checkStep(String field, String name) {
        if (name == null || name.isEmpty()) {
            throw MyelinException.invalid(field, field + " must be 1.." + JournalLimits.MAX_STEP_CHARS
                    + " characters; got none");
        }
        int chars = name.codePointCount(0, name.length());
        if (chars > JournalLimits.MAX_STEP_CHARS) {
            throw MyelinException.invalid(field, field + " must be 1.." + JournalLimits.MAX_STEP_CHARS
                    + " characters; got " + chars);
        }
        Utf8.checkedLength(name, field);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c) || c == '/') {
                throw MyelinException.invalid(field, field + " may not hold '/' or control characters; found U+"
                        + String.format("%04X", (int) c) + " at index " + i);
            }
        }
    }

    private static void attempt(Integer attempt) {
        if (attempt != null && attempt < 1) {
            throw MyelinException.invalid("attempt", "attempt must be at least 1; got " + attempt);
        }
    }

    private long size(String field, JsonNode value) {
        long bytes = Utf8.checkedLength(JournalJson.text(value), field);
        if (bytes > limits.maxResultBytes()) {
            throw MyelinException.tooLarge(field, field + " is " + bytes + " bytes of JSON, more than "
                    + limits.maxResultBytes() + " (journal.max-result-bytes)");
        }
        return bytes;
    }
}
