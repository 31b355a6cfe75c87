package io.myelin.broker;

/**
 * Starts agent processes for brokers. {@link LocalAgentLauncher} runs them as child processes of this JVM, each in
 * its own process group; a launcher that runs them elsewhere (a Kubernetes pod) implements the same contract: three
 * byte streams, an exit, and freeze/thaw/terminate.
 *
 * <p>Threading: thread-safe.
 */
public interface AgentLauncher {
    /**
     * Starts the agent; returns once the process exists (not once it is ready to talk).
     *
     * @throws AgentStartException when it cannot be started: the executable is missing or not executable, the
     *                             working directory does not exist, the system refuses a process
     */
    AgentProcess launch(AgentCommand command);
}
