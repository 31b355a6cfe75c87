/**
 * Agents on axons: a <b>broker</b> relays one axon to one agent process, so that clients written for Runloop's
 * broker (its remote-agents SDK) drive any ACP agent or Claude Code on Myelin unchanged.
 *
 * <p><b>Where it runs.</b> Inside the server, as the broker mount of a devbox ({@link io.myelin.broker.BrokerFactory},
 * {@link io.myelin.broker.LocalBrokerFactory}; the devbox supervisor holds a {@link io.myelin.broker.MountedBroker}
 * and hears {@link io.myelin.broker.BrokerListener}), or beside the agent as {@code myelin broker} against a remote
 * server. Both start the same broker through {@link io.myelin.broker.Brokers#start}; they differ only in their
 * {@link io.myelin.broker.AxonLink} (the axon's events and the broker's state: in process, or over HTTP).
 *
 * <p><b>Threads.</b> One thread per broker, {@code broker-<axon>} (virtual), takes everything from a bounded inbox
 * (the supervisor's commands and the agent's exit first, then axon events and agent output in turns, then agent
 * logs) and is the only one to touch the relay, the turns and the durable progress. The axon is read by
 * {@code broker-<axon>-reader} (virtual); the agent's pipes by three platform threads. Producers wait when their
 * lane is full: the axon keeps unread events, the agent blocks on its stdout pipe; stderr lines are dropped and
 * counted instead.
 *
 * <p><b>Turns.</b> The protocol's {@code Relay} classifies each client event: a turn (queued in sequence order, one
 * running at a time, from {@code turn.started} to {@code turn.completed} or {@code turn.failed}), a relay (to the
 * agent at once, even during a turn), or a cancel. {@code AGENT_EVENT} and {@code SYSTEM_EVENT} are never relayed.
 *
 * <p><b>Permission requests</b> of an ACP agent also wait as human intents on the axon ({@link
 * io.myelin.broker.BrokerIntents}, created through the {@link io.myelin.broker.AxonLink}): the broker hears their
 * end in the {@code intent.*} system events of the stream it reads, and answers the agent with the option chosen,
 * or {@code cancelled}; it cancels the intents whose request ended another way, and those a killed broker left.
 *
 * <p><b>Durability.</b> {@link io.myelin.broker.BrokerState} (port {@link io.myelin.broker.BrokerStateStore}) holds
 * the cursor, the last started turn, the turn in progress, what restores the agent's conversation and the intents
 * open for the agent's requests. It is saved
 * before a turn starts and after it ends; a broker that starts over a running turn ends it with
 * {@code turn.failed {error: "broker restarted"}} and goes on with the queue. Every event a broker publishes carries
 * an idempotency key derived from its cause, and every save names the version it was derived from, so retries,
 * restarts and a second broker never put an event on the axon twice or start a turn twice.
 *
 * <p><b>Processes</b> are started by an {@link io.myelin.broker.AgentLauncher} ({@link
 * io.myelin.broker.LocalAgentLauncher}: a child process leading its own process group, frozen with SIGSTOP, stopped
 * with SIGTERM then SIGKILL). Not a sandbox: the agent has the rights of the user the server runs as.
 */
package io.myelin.broker;
