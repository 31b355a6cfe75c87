package io.myelin.broker;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.intent.Intent;
import io.myelin.intent.IntentRequest;
import io.myelin.intent.Outcome;
import io.myelin.stream.Event;
import java.util.function.Consumer;

/**
 * What a {@link Relay} asks of its broker. Every call is made on the broker's thread; publishing calls return once
 * the event is durable.
 */
interface RelayHost {
    /** Queues {@code line} for the agent's stdin. */
    void send(String line);

    /**
     * Publishes an {@code AGENT_EVENT}. {@code answering} is the client event this is the agent's answer to (its
     * idempotency key derives from it), or null for output of a turn or of no one's asking.
     */
    void publish(String eventType, String payload, Event answering);

    /**
     * Publishes a request of the agent as {@link #publish} does (no client event answered), then opens an intent for
     * it, keyed after that event, so that a retry or a restart never opens two; {@code ended} runs (on the broker's
     * thread) when it ends, unless the relay resolved or cancelled it first.
     *
     * @return the intent's id, or null when it could not be opened ({@code agent.error} says why): the request then
     *         waits as its event only
     */
    String publishWaiting(String eventType, String payload, IntentRequest intent, Consumer<Intent> ended);

    /** Resolves the open intent {@code id} (its request was answered another way); an ended one is left as it is. */
    void resolveIntent(String id, Outcome outcome, JsonNode result, String comment);

    /** Cancels the open intent {@code id}; an ended one is left as it is. */
    void cancelIntent(String id, String reason);

    /** Called once a client event that waited for the agent's answer has its answer on the axon. */
    void answered(Event event);

    /** The restore after a start is done: queued work may flow to the agent. */
    void ready();

    /** The running turn ended with the agent's answer; {@code stopReason} as the agent gave it. */
    void turnCompleted(String stopReason);

    /** The running turn ended in an error. */
    void turnFailed(String error, String stopReason);

    /** The conversation moved: a new session id or restore context; saved before this returns. */
    void sessionChanged(String sessionId, String context);

    /** Something the agent did that clients should know about: {@code agent.error {type, message}}. */
    void agentError(String type, String message);

    /** A stdout line that is not protocol: published as {@code agent.log {log_type: "stdout"}}. */
    void agentNoise(String line);

    /** The agent's working directory (ACP {@code session/new} needs an absolute {@code cwd}). */
    String workingDirectory();
}
