package io.myelin.cli;

import io.myelin.client.BrokerMount;
import io.myelin.client.Devbox;
import io.myelin.client.DevboxStatus;
import io.myelin.client.MyelinClient;
import io.myelin.client.NewDevbox;
import java.time.Duration;
import java.util.List;

/**
 * {@code myelin exec --agent NAME}: a devbox whose one broker mount relays the session's axon to the agent the
 * operator configured as {@code NAME} ({@code POST /v1/devboxes} with {@code mounts: [{type: "broker_mount",
 * axon_id, agent_binary: NAME, protocol}]}), started and waited for until it runs, so that the input published next
 * is the agent's first turn.
 *
 * <p>The devbox outlives the command unless asked otherwise: the next {@code myelin exec --axon AXON} continues the
 * conversation with the same agent process, and its idle lifecycle freezes the agent in between (the next event
 * wakes it).
 */
final class AgentSession {
    /** How long {@code exec --agent} waits for the devbox to run when no {@code --timeout} is given. */
    static final Duration DEFAULT_START_TIMEOUT = Duration.ofMinutes(5);

    private AgentSession() {
    }

    /** Thrown when the devbox settled in another status than {@code running} (failed, shut down). */
    static final class NotRunning extends RuntimeException {
        final Devbox devbox;

        NotRunning(Devbox d) {
            super("devbox " + d.id() + " is " + d.status().wireName() + ", not running"
                    + (d.failureReason() == null ? "" : " (" + d.failureReason() + "; the server log has its output)"),
                    null, false, false);
            this.devbox = d;
        }
    }

    /**
     * Creates the devbox and waits until it runs.
     *
     * @param idle        suspend the agent after this long without a turn; null: never
     * @param waitCreated told the devbox's id as soon as it exists, before the wait (so a user can find it if the
     *                    wait fails)
     * @return the running devbox
     * @throws NotRunning when it failed or shut down instead
     * @throws io.myelin.client.MyelinConnectionException when {@code timeout} passed first
     */
    static Devbox start(MyelinClient client, String axonId, String agent, String protocol, List<String> agentArgs,
                        Duration idle, Duration timeout, java.util.function.Consumer<Devbox> waitCreated) {
        NewDevbox.Builder b = NewDevbox.builder().name("exec-" + agent)
                .metadata("created_by", "myelin exec").metadata("axon_id", axonId)
                .mount(new BrokerMount(null, axonId, protocol, agent, agentArgs, null));
        if (idle != null) {
            b.afterIdle(idle, "suspend");
        }
        Devbox d = client.devboxes().create(b.build());
        waitCreated.accept(d);
        d = client.devboxes().awaitStatus(d.id(), timeout, DevboxStatus.RUNNING);
        if (d.status() != DevboxStatus.RUNNING) {
            throw new NotRunning(d);
        }
        return d;
    }
}
