package io.myelin.cli;

import io.myelin.client.BrokerMount;
import io.myelin.client.Devbox;
import io.myelin.client.DevboxStateTransition;
import io.myelin.client.DevboxStatus;
import io.myelin.client.LaunchParameters;
import io.myelin.client.MyelinClient;
import io.myelin.client.NewDevbox;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code myelin devboxes create|list|get|suspend|resume|shutdown}. */
@Command(name = "devboxes", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Create, list, inspect, suspend, resume and shut down devboxes.",
                "A devbox is where the server runs an agent on an axon (the agents its operator configured in",
                "agents.binaries)."},
        subcommands = {DevboxesCommand.Create.class, DevboxesCommand.ListDevboxes.class, DevboxesCommand.Get.class,
                DevboxesCommand.Suspend.class, DevboxesCommand.Resume.class, DevboxesCommand.Shutdown.class})
final class DevboxesCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(),
                "Missing subcommand: create, list, get, suspend, resume or shutdown");
    }

    /** Options shared by the commands that may wait for the devbox to settle. */
    abstract static class Waiting extends ClientCommand {
        @Option(names = "--wait", description = "Wait until it settles: running after create and resume, suspended after"
                + " suspend (or failed, or shut down).")
        boolean wait;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m",
                description = "With --wait: give up after this long (default ${DEFAULT-VALUE}; e.g. 30s, 10m).")
        String timeout;

        /**
         * Prints {@code d}, after waiting for {@code goal} with {@code --wait}.
         *
         * @return {@link ExitCode#OK}, {@link ExitCode#DEVBOX_FAILED} when it settled elsewhere,
         *         {@link ExitCode#TIMEOUT} when the time ran out
         */
        int settle(MyelinClient client, Devbox d, DevboxStatus goal) {
            if (wait) {
                Duration limit = DurationText.parse(timeout);
                long start = System.nanoTime();
                try {
                    d = client.devboxes().awaitStatus(d.id(), limit, goal);
                } catch (io.myelin.client.MyelinConnectionException e) {
                    if (System.nanoTime() - start < limit.toNanos()) {
                        throw e;
                    }
                    err().println("myelin: " + e.getMessage());
                    return ExitCode.TIMEOUT;
                }
            }
            print(d);
            if (wait && d.status() != goal) {
                err().println("myelin: devbox " + d.id() + " is " + d.status().wireName() + ", not " + goal.wireName()
                        + (d.failureReason() == null ? "" : " (" + d.failureReason() + "; the server log has its output)"));
                return ExitCode.DEVBOX_FAILED;
            }
            return ExitCode.OK;
        }

        void print(Devbox d) {
            printDevbox(d, json(), out());
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = {"Create a devbox and print it.",
                    "With --axon and --agent it mounts an agent on the axon: turns published on the axon reach the",
                    "agent, its output comes back as events."})
    static final class Create extends Waiting {
        @Option(names = "--name", description = "Optional name.")
        String name;

        @Option(names = {"-m", "--metadata"}, paramLabel = "KEY=VALUE", description = "Metadata pair; repeatable.")
        Map<String, String> metadata = new LinkedHashMap<>();

        @Option(names = "--blueprint", paramLabel = "NAME", description = "A blueprint the server's operator defined.")
        String blueprint;

        @Option(names = {"-e", "--env"}, paramLabel = "VAR=VALUE", description = "Environment variable of its commands and agents; repeatable.")
        Map<String, String> env = new LinkedHashMap<>();

        @Option(names = "--axon", paramLabel = "AXON", description = "Mount an agent on this axon (with --agent).")
        String axon;

        @Option(names = "--agent", paramLabel = "NAME", description = "The agent to mount, by the name the operator gave it.")
        String agent;

        @Option(names = "--protocol", paramLabel = "PROTOCOL", defaultValue = "acp",
                description = "How the broker talks to the agent: acp or claude_json (default ${DEFAULT-VALUE}).")
        String protocol;

        @Option(names = "--agent-arg", paramLabel = "ARG", description = "Argument for the agent, after the operator's; repeatable.")
        List<String> agentArgs = new ArrayList<>();

        @Option(names = "--working-directory", paramLabel = "DIR", description = "Where the agent starts, relative to the workspace.")
        String workingDirectory;

        @Option(names = "--launch-command", paramLabel = "CMD", description = "Shell command run at every start; repeatable (the operator must allow them).")
        List<String> launchCommands = new ArrayList<>();

        @Option(names = "--suspend-command", paramLabel = "CMD", description = "Shell command run before suspending; repeatable.")
        List<String> suspendCommands = new ArrayList<>();

        @Option(names = "--idle", paramLabel = "DURATION", description = "Act once idle this long (no turn running or queued).")
        String idle;

        @Option(names = "--on-idle", paramLabel = "ACTION", defaultValue = "suspend",
                description = "With --idle: suspend (freeze the agents) or shutdown (stop them; restarted on wake). Default ${DEFAULT-VALUE}.")
        String onIdle;

        @Option(names = "--no-wake", description = "Events on the axon do not wake a suspended devbox (only a resume does).")
        boolean noWake;

        @Option(names = {"-q", "--quiet"}, description = "Print only the new devbox's id (handy in scripts).")
        boolean quiet;

        @Override
        protected int run(MyelinClient client) {
            if ((axon == null) != (agent == null)) {
                throw new Failures.UsageProblem("--axon and --agent go together: the agent to mount and the axon it works on");
            }
            NewDevbox.Builder b = NewDevbox.builder().name(name).blueprint(blueprint);
            metadata.forEach(b::metadata);
            env.forEach(b::environment);
            launchCommands.forEach(b::launchCommand);
            suspendCommands.forEach(b::suspendCommand);
            if (idle != null) {
                b.afterIdle(DurationText.parse(idle), onIdle);
            }
            if (noWake) {
                b.wakeOnAxonEvent(false);
            }
            if (axon != null) {
                b.mount(new BrokerMount(null, axon, protocol, agent, agentArgs, workingDirectory));
                if (!metadata.containsKey("axon_id")) {
                    b.metadata("axon_id", axon); // what `devboxes list` shows of the axon it serves, as exec does
                }
            }
            Devbox d = client.devboxes().create(b.build());
            if (quiet && !wait) {
                out().println(d.id());
                return ExitCode.OK;
            }
            return settle(client, d, DevboxStatus.RUNNING);
        }

        @Override
        void print(Devbox d) {
            if (quiet) {
                out().println(d.id());
            } else {
                super.print(d);
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "List devboxes in creation order, paging through all of them unless --limit is given.")
    static final class ListDevboxes extends ClientCommand {
        @Option(names = "--status", paramLabel = "STATUS", description = "Only devboxes in this status (running, suspended, shutdown, ...).")
        String status;

        @Option(names = {"-n", "--limit"}, paramLabel = "N", description = "Stop after N devboxes.")
        Integer limit;

        @Override
        protected int run(MyelinClient client) {
            if (limit != null && limit < 1) {
                throw new Failures.UsageProblem("--limit must be at least 1");
            }
            DevboxStatus st = null;
            if (status != null) {
                st = DevboxStatus.parse(status);
                if (st == DevboxStatus.UNKNOWN) {
                    throw new Failures.UsageProblem("--status must be one of provisioning, initializing, running,"
                            + " suspending, suspended, resuming, failure, shutdown; got '" + status + "'");
                }
            }
            Stream<Devbox> devboxes = client.devboxes().list(st).stream();
            if (limit != null) {
                devboxes = devboxes.limit(limit);
            }
            return printList(devboxes, "devboxes", new String[] {"ID", "NAME", "STATUS", "CREATED", "METADATA"},
                    d -> new Object[] {d.id(), d.name(), d.status().wireName(),
                        TimeText.format(d.createTimeMs()), metadataText(d)});
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Show one devbox.")
    static final class Get extends ClientCommand {
        @Parameters(paramLabel = "DEVBOX", description = "Devbox id.")
        String devboxId;

        @Override
        protected int run(MyelinClient client) {
            printDevbox(client.devboxes().get(devboxId), json(), out());
            return ExitCode.OK;
        }
    }

    @Command(name = "suspend", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Suspend a running devbox: its suspend commands run, then its agents are frozen.")
    static final class Suspend extends Waiting {
        @Parameters(paramLabel = "DEVBOX", description = "Devbox id.")
        String devboxId;

        @Override
        protected int run(MyelinClient client) {
            return settle(client, client.devboxes().suspend(devboxId), DevboxStatus.SUSPENDED);
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Resume a suspended devbox.")
    static final class Resume extends Waiting {
        @Parameters(paramLabel = "DEVBOX", description = "Devbox id.")
        String devboxId;

        @Override
        protected int run(MyelinClient client) {
            return settle(client, client.devboxes().resume(devboxId), DevboxStatus.RUNNING);
        }
    }

    @Command(name = "shutdown", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Shut devboxes down for good: their processes stop and their workspaces are removed.")
    static final class Shutdown extends ClientCommand {
        @Parameters(paramLabel = "DEVBOX", arity = "1..*", description = "Devbox ids.")
        List<String> devboxIds;

        @Override
        protected int run(MyelinClient client) {
            for (String id : devboxIds) {
                Devbox d = client.devboxes().shutdown(id);
                if (json()) {
                    out().println(CliJson.line(CliJson.wire(d)));
                } else {
                    out().println("shut down " + d.id());
                }
            }
            return ExitCode.OK;
        }
    }

    static void printDevbox(Devbox d, boolean json, PrintWriter out) {
        if (json) {
            out.println(CliJson.line(CliJson.wire(d)));
            return;
        }
        out.println("id        " + d.id());
        out.println("name      " + (d.name() == null ? "" : d.name()));
        out.println("status    " + d.status().wireName() + reasons(d));
        out.println("created   " + TimeText.format(d.createTimeMs()));
        if (d.endTimeMs() != null) {
            out.println("ended     " + TimeText.format(d.endTimeMs()));
        }
        out.println("metadata  " + metadataText(d));
        LaunchParameters lp = d.launchParameters();
        if (lp != null && !lp.launchCommands().isEmpty()) {
            out.println("launch    " + String.join(" && ", lp.launchCommands()));
        }
        if (lp != null && lp.lifecycle() != null && lp.lifecycle().afterIdle() != null) {
            LaunchParameters.AfterIdle idle = lp.lifecycle().afterIdle();
            out.println("idle      " + idle.onIdle() + " after " + idle.idleTimeSeconds() + "s");
        }
        out.println("history   " + d.stateTransitions().stream().map(DevboxesCommand::transitionText)
                .collect(Collectors.joining(", ")));
    }

    private static String reasons(Devbox d) {
        List<String> r = new ArrayList<>();
        if (d.shutdownReason() != null) {
            r.add(d.shutdownReason());
        }
        if (d.failureReason() != null) {
            r.add(d.failureReason());
        }
        return r.isEmpty() ? "" : " (" + String.join(", ", r) + ")";
    }

    private static String transitionText(DevboxStateTransition t) {
        return t.status().wireName() + " " + TimeText.format(t.transitionTimeMs());
    }

    private static String metadataText(Devbox d) {
        return d.metadata().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }
}
