package io.myelin.cli;

import io.myelin.broker.AgentStartException;
import io.myelin.broker.BrokerListener;
import io.myelin.broker.BrokerOptions;
import io.myelin.broker.BrokerProtocol;
import io.myelin.broker.BrokerSpec;
import io.myelin.broker.Brokers;
import io.myelin.broker.LocalAgentLauncher;
import io.myelin.broker.RunningBroker;
import io.myelin.client.MyelinApiException;
import io.myelin.client.MyelinClient;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code myelin broker --axon ID --protocol acp|claude_json -- COMMAND...}: the broker a devbox runs inside the
 * server, run instead beside the agent (a container, a VM, a laptop) against a remote Myelin. It starts the agent,
 * relays the axon to it turn by turn and keeps its state on the server, so another {@code myelin broker} started
 * after this one dies takes over where it stopped.
 */
@Command(name = "broker", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Run an agent process and relay an axon to it: client events in, the agent's output out, "
                + "one turn at a time. Runs until interrupted; survives server restarts.",
                "Example: myelin broker --axon axn_123 --protocol acp -- opencode acp"})
final class BrokerCommand extends ClientCommand {
    @Option(names = "--axon", required = true, paramLabel = "ID", description = "The axon to relay.")
    String axonId;

    @Option(names = "--protocol", required = true, paramLabel = "PROTOCOL",
            description = "How the agent speaks: acp (Agent Client Protocol over stdio) or claude_json (Claude Code's stream-json).")
    String protocol;

    @Option(names = "--name", paramLabel = "NAME",
            description = "The name this broker reports as devbox_id in agent.error events. Default: broker@HOST.")
    String name;

    @Option(names = {"-C", "--working-dir"}, paramLabel = "DIR", defaultValue = ".",
            description = "Where the agent runs. Default: the current directory.")
    Path workingDir;

    @Option(names = "--start-timeout", paramLabel = "DURATION",
            description = "How long the agent has to answer each request of the broker's own start-up handshake (ACP "
                    + "initialize, session/new, session/load) before it is killed and the waiting turn fails; the "
                    + "server's agents.start-timeout. Default: 1m.")
    String startTimeout;

    @Option(names = "--cancel-timeout", paramLabel = "DURATION",
            description = "How long a cancelled turn waits for the agent to end it before the agent is stopped and "
                    + "the turn ends cancelled anyway; the server's agents.cancel-timeout. Default: 30s.")
    String cancelTimeout;

    @Option(names = "--stop-timeout", paramLabel = "DURATION",
            description = "How long a stopping agent gets between SIGTERM and SIGKILL; the server's "
                    + "devboxes.stop-timeout. Default: 10s.")
    String stopTimeout;

    @Parameters(paramLabel = "COMMAND", arity = "1..*",
            description = "The agent's command line, after --; it gets this command's environment.")
    List<String> command;

    @Override
    protected void configure(MyelinClient.Builder client) {
        waitForServer(client, null, "until it answers (Ctrl-C to stop)");
    }

    @Override
    protected int run(MyelinClient client) throws Exception {
        BrokerOptions options = BrokerOptions.defaults(1 << 20, InstantSource.system())
                .withHandshakeTimeout(DurationText.parse("--start-timeout", startTimeout,
                        BrokerOptions.DEFAULT_HANDSHAKE_TIMEOUT))
                .withCancelTimeout(DurationText.parse("--cancel-timeout", cancelTimeout,
                        BrokerOptions.DEFAULT_CANCEL_TIMEOUT))
                .withStopGrace(DurationText.parse("--stop-timeout", stopTimeout, BrokerOptions.DEFAULT_STOP_GRACE));
        BrokerProtocol p;
        try {
            p = BrokerProtocol.fromWire(protocol);
        } catch (IllegalArgumentException e) {
            throw new Failures.UsageProblem("--protocol: " + e.getMessage());
        }
        if (p != BrokerProtocol.ACP && p != BrokerProtocol.CLAUDE_JSON) {
            throw new Failures.UsageProblem("--protocol: " + protocol + " is not supported; use acp or claude_json");
        }
        Path dir = workingDir.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new Failures.UsageProblem("--working-dir: " + dir + " is not a directory");
        }
        String self = name != null ? name : "broker@" + InetAddress.getLocalHost().getHostName();
        BrokerSpec spec = new BrokerSpec(self, axonId, p, command, dir, System.getenv(), true);
        RunningBroker broker;
        try {
            broker = Brokers.start(spec, new RemoteAxonLink(client, axonId), new LocalAgentLauncher(),
                    new Unsupervised(), options);
        } catch (AgentStartException e) {
            err().println("myelin: " + e.getMessage());
            return ExitCode.FAILURE;
        } catch (io.myelin.error.MyelinException e) {
            if (e.getCause() instanceof MyelinApiException api) {
                throw api; // reported as any other command reports the server's refusal (404: exit 3)
            }
            throw e;
        }
        err().println("myelin: relaying " + axonId + " to " + String.join(" ", command) + " (" + p.wireName() + ")");
        err().flush();
        Thread hook = new Thread(broker::close, "broker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        while (!broker.awaitStopped(Duration.ofSeconds(1))) {
            // runs until interrupted (the hook closes it) or it stops by itself
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return ExitCode.OK;
        }
        err().println("myelin: the broker of " + axonId + " stopped; see the log above");
        return ExitCode.FAILURE;
    }

    /** Nobody suspends or shuts down this agent: it runs as long as the command. */
    private static final class Unsupervised implements BrokerListener {
        @Override
        public void activity() {
        }

        @Override
        public void idle() {
        }

        @Override
        public void wakeRequested() {
        }

        @Override
        public void agentExited(int exitCode, String reason) {
        }
    }
}
