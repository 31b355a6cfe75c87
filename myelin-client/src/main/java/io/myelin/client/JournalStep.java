package io.myelin.client;

import java.util.List;

/**
 * One step of an axon's journal, as the server stored it (a Myelin extension).
 *
 * @param step         the step's name
 * @param status       {@code completed}, {@code failed}, or {@code streaming} (a stream not completed: no cached
 *                     result)
 * @param result       the recorded result as JSON text; {@code "null"} for a JSON null and when there is none (a
 *                     stream not completed, or completed without one)
 * @param chunks       a streamed step's chunks in order, each as JSON text; empty when the answer carries none (a
 *                     listing, an append, a write's answer)
 * @param chunkCount   how many chunks the step holds
 * @param attempt      a streamed step's attempt (each restart moves it on); 0 for a step recorded whole
 * @param recordedAtMs when it was recorded, or when its stream attempt began, in ms since the epoch
 * @param created      on a write's answer: whether this write recorded the step (false: an earlier writer's record
 *                     stands); false elsewhere
 */
public record JournalStep(String step, String status, String result, List<String> chunks, int chunkCount,
                          int attempt, long recordedAtMs, boolean created) {
    public JournalStep {
        chunks = chunks == null ? List.of() : List.copyOf(chunks);
    }

    /** True for a record that stands: {@code completed} or {@code failed}. */
    public boolean sealed() {
        return !"streaming".equals(status);
    }
}
