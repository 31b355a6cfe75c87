package io.myelin.client.journal;

import java.util.List;

/**
 * A step as a backend holds it.
 *
 * @param sealed  completed or failed: a record that stands
 * @param failed  recorded as a failure
 * @param result  the result as JSON text ("null" when none)
 * @param chunks  a streamed step's chunks as JSON texts, in order; null when the answer does not carry them
 * @param attempt a streamed step's current attempt
 * @param created whether the write that returned it recorded it
 */
record StoredStep(boolean sealed, boolean failed, String result, List<String> chunks, int attempt, boolean created) {}
