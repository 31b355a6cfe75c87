package io.myelin.broker;

import java.util.UUID;

/**
 * The idempotency keys of the events a broker publishes (keys are per axon). An event caused by an axon event gets
 * a key derived from that event's sequence, so that whichever broker publishes it, after however many retries or
 * restarts, it lands once: {@code turn.started} and the turn's end (completed or failed: one key, the end is
 * claimed once), the agent's answer to a client request, a turn's output by its position in the turn (and the intent
 * opened for an agent's request, after that request's event). Everything else (logs, errors, output between turns)
 * is keyed by a random id of the agent process plus a counter: enough for retries, which reuse the key.
 *
 * <p>Confined to the broker's thread.
 */
final class EventKeys {
    private String run = fresh();
    private int next;

    /** A new agent process: a new random prefix for the keys of what it says outside turns. */
    void newProcess() {
        run = fresh();
        next = 0;
    }

    static String started(long trigger) {
        return "brk-" + trigger + "-started";
    }

    static String end(long trigger) {
        return "brk-" + trigger + "-end";
    }

    static String answer(long request) {
        return "brk-" + request + "-answer";
    }

    static String output(Turn turn) {
        return "brk-" + turn.trigger().sequence() + "-o" + turn.nextOutput();
    }

    /** The key of the intent opened for the agent's request published under {@code requestKey}. */
    static String intent(String requestKey) {
        return requestKey + "-intent";
    }

    /** A key for an event no axon event caused. */
    String next() {
        return "brk-" + run + "-" + next++;
    }

    private static String fresh() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
