package io.myelin.broker;

import io.myelin.error.MyelinException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A launcher that records each agent's process group durably ({@link AgentGroupStore}) as soon as it is launched and
 * forgets it once the main process has exited and the rest of the group was killed, so that a server killed in
 * between leaves a record the next start acts on ({@link AgentGroupReaper}).
 *
 * <p>Threading: thread-safe. {@link #launch} blocks on the durable write; the record is removed from a virtual
 * thread, off the thread that noticed the exit.
 */
public final class RecordingAgentLauncher implements AgentLauncher {
    private static final Logger log = LoggerFactory.getLogger(RecordingAgentLauncher.class);
    private static final Executor FORGET = r -> Thread.ofVirtual().name("agent-group-forget").start(r);

    private final AgentLauncher launcher;
    private final AgentGroupStore store;

    public RecordingAgentLauncher(AgentLauncher launcher, AgentGroupStore store) {
        this.launcher = launcher;
        this.store = store;
    }

    /**
     * As the wrapped launcher's; also when the group cannot be recorded (storage that cannot write): the agent is
     * killed then, as one the next start could not find.
     */
    @Override
    public AgentProcess launch(AgentCommand command) {
        AgentProcess p = launcher.launch(command);
        AgentGroup group = new AgentGroup(p.pid(), AgentGroupReaper.startTime(p.pid()),
                command.argv().get(0) + " in " + command.workingDirectory());
        try {
            store.add(group);
        } catch (MyelinException e) {
            p.kill();
            throw new AgentStartException("cannot start agent: its process group cannot be recorded: "
                    + e.getMessage(), e);
        }
        p.exit().whenCompleteAsync((status, failure) -> {
            p.kill(); // what is left of the group goes before the record does
            try {
                store.remove(group);
            } catch (RuntimeException e) {
                log.warn("cannot forget agent group {}: {}; the next start checks it", group.pgid(), e.getMessage());
            }
        }, FORGET);
        return p;
    }
}
