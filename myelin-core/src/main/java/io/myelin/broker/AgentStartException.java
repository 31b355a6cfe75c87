package io.myelin.broker;

/** An agent process could not be started; the message says why in one line (no such executable, ...). */
public final class AgentStartException extends RuntimeException {
    public AgentStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
