package io.myelin.journal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One journaled step of an axon, as stored.
 *
 * @param step         the step's name (1..256 characters)
 * @param status       completed, failed, or streaming (not yet a cached result)
 * @param result       the recorded result (any JSON value, JSON null included); null while streaming, or when a
 *                     stream was completed without one
 * @param chunks       a streamed step's chunks in order, each any JSON value; null where only the count is read
 *                     (listings); empty for a step recorded whole
 * @param chunkCount   how many chunks the step holds
 * @param attempt      a streamed step's attempt number (each restart moves it on; appends and the completion name
 *                     it so that a superseded attempt is refused); 0 for a step recorded whole
 * @param recordedAtMs when the step was recorded, or when its current stream attempt began, in ms since the epoch
 */
public record JournalRecord(String step, StepStatus status, JsonNode result, List<JsonNode> chunks, int chunkCount,
                            int attempt, long recordedAtMs) {

    /** This record without its chunks (their count stays). */
    public JournalRecord withoutChunks() {
        return new JournalRecord(step, status, result, null, chunkCount, attempt, recordedAtMs);
    }
}
