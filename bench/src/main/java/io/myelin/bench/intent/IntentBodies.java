package io.myelin.bench.intent;

import java.nio.charset.StandardCharsets;

/**
 * Create bodies for the intents workload: small, like a real approval or timer, so the figures are about the
 * intent machinery rather than about moving payload bytes. {@code kind} carries the run's tag, so that a list
 * filtered by it sees only this run's intents.
 */
public final class IntentBodies {
    private IntentBodies() {}

    /** A {@code human} intent with a deadline: a waiting intent whose deadline is a stored timer. */
    public static byte[] human(String kind, int index, long deadlineMs) {
        return ("{\"kind\":\"" + kind + "\",\"waiting_for\":\"human\",\"title\":\"bench approval " + index
                + "\",\"assignee\":\"bench@example.com\",\"payload\":{\"n\":" + index + "},\"deadline_ms\":"
                + deadlineMs + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** A {@code time} intent: resolves itself with outcome {@code fired} at {@code fireAtMs}. */
    public static byte[] timer(String kind, int index, long fireAtMs) {
        return ("{\"kind\":\"" + kind + "\",\"waiting_for\":\"time\",\"title\":\"bench timer " + index
                + "\",\"fire_at_ms\":" + fireAtMs + "}").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The fire time of timer {@code index} of {@code count}, spread evenly over {@code spreadMs} from
     * {@code firstMs}: the first at {@code firstMs}, the last just before {@code firstMs + spreadMs}.
     */
    public static long fireAt(long firstMs, long spreadMs, int index, int count) {
        return firstMs + spreadMs * index / count;
    }
}
