package io.myelin.broker;

import io.myelin.lifecycle.TransitionTable;

/**
 * The broker's two lifecycles as transition tables (drawn in {@code docs/lifecycles.md}): a turn's, and the agent
 * process's as the broker drives it.
 */
public final class BrokerLifecycles {
    private BrokerLifecycles() {
    }

    /** Where a turn stands. */
    public enum TurnState { QUEUED, RUNNING, CANCELLING, COMPLETED, FAILED }

    /** What moves a turn. */
    public enum TurnEvent {
        /** {@code turn.started} is published and the agent asked. */
        START,
        /** {@code session/cancel}, a Claude interrupt or {@code turn.cancel} arrived. */
        CANCEL,
        /** The agent answered the turn (ACP {@code session/prompt} result, Claude {@code result}). */
        COMPLETE,
        /** The agent answered with an error or exited, or the broker stopped it. */
        FAIL
    }

    /** One turn; {@code turn.completed} leaves from COMPLETED, {@code turn.failed} from FAILED. */
    public static final TransitionTable<TurnState, TurnEvent> TURN = TransitionTable
            .builder("turn", TurnState.class, TurnEvent.class, TurnState.QUEUED)
            .on(TurnState.QUEUED, TurnEvent.START, TurnState.RUNNING)
            .on(TurnState.RUNNING, TurnEvent.CANCEL, TurnState.CANCELLING)
            .on(TurnState.CANCELLING, TurnEvent.CANCEL, TurnState.CANCELLING)
            .onAny(TurnEvent.COMPLETE, TurnState.COMPLETED, TurnState.RUNNING, TurnState.CANCELLING)
            .onAny(TurnEvent.FAIL, TurnState.FAILED, TurnState.RUNNING, TurnState.CANCELLING)
            .build();

    /** Where a broker's agent process stands. */
    public enum AgentState {
        /** No process: not started yet, or shut down by the supervisor (durable state kept). */
        STOPPED,
        /** The process runs; the relay restores the conversation before work flows. */
        STARTING,
        /** Work flows to the agent. */
        READY,
        /** Frozen (SIGSTOP); work queues. */
        SUSPENDED,
        /** The process ended on its own, or could not be started; the next work restarts it after a backoff. */
        EXITED,
        /** The broker is closed for good. */
        CLOSED
    }

    /** What moves the agent process. */
    public enum AgentEvent {
        /** A process was launched. */
        LAUNCH,
        /** The relay finished restoring; the agent takes work. */
        RESTORED,
        SUSPEND,
        RESUME,
        /** The supervisor stopped it. */
        SHUT_DOWN,
        /** It ended on its own, or the launch failed. */
        EXIT,
        CLOSE
    }

    /** The agent process of one broker. */
    public static final TransitionTable<AgentState, AgentEvent> AGENT = TransitionTable
            .builder("agent process", AgentState.class, AgentEvent.class, AgentState.STOPPED)
            .onAny(AgentEvent.LAUNCH, AgentState.STARTING, AgentState.STOPPED, AgentState.EXITED)
            .on(AgentState.STARTING, AgentEvent.RESTORED, AgentState.READY)
            .on(AgentState.READY, AgentEvent.SUSPEND, AgentState.SUSPENDED)
            .on(AgentState.SUSPENDED, AgentEvent.RESUME, AgentState.READY)
            .onAny(AgentEvent.SHUT_DOWN, AgentState.STOPPED, AgentState.STARTING, AgentState.READY, AgentState.SUSPENDED,
                    AgentState.EXITED)
            .onAny(AgentEvent.EXIT, AgentState.EXITED, AgentState.STOPPED, AgentState.STARTING, AgentState.READY,
                    AgentState.SUSPENDED)
            .onAny(AgentEvent.CLOSE, AgentState.CLOSED, AgentState.STOPPED, AgentState.STARTING, AgentState.READY,
                    AgentState.SUSPENDED, AgentState.EXITED)
            .build();
}
