package io.myelin.cli;

import io.myelin.client.Intent;
import io.myelin.client.IntentFilter;
import io.myelin.client.IntentOutcome;
import io.myelin.client.IntentStatus;
import io.myelin.client.IntentTimeoutException;
import io.myelin.client.MyelinClient;
import io.myelin.client.NewIntent;
import io.myelin.client.OnDeadline;
import io.myelin.client.WaitingFor;
import java.io.IOException;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code myelin intents list|show|create|approve|reject|resolve|cancel}. */
@Command(name = "intents", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Create, list, show, wait for, resolve and cancel intents.",
                "An intent is a durable wait on a person, a tool, an agent or a point in time, on one axon."},
        subcommands = {IntentsCommand.ListIntents.class, IntentsCommand.Show.class, IntentsCommand.Create.class,
                IntentsCommand.Approve.class, IntentsCommand.Reject.class, IntentsCommand.Resolve.class,
                IntentsCommand.Cancel.class})
final class IntentsCommand implements Runnable {
    /** How approve and reject answer an agent's permission request; shown in their help and the inbox's. */
    static final String PERMISSION_HELP = "For a permission intent (an agent asking to use a tool), approve picks the"
            + " agent's first allow option and reject its first reject option; -r '{\"option_id\":\"ID\"}' picks"
            + " another of the options in its payload.";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(),
                "Missing subcommand: list, show, create, approve, reject, resolve or cancel");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "List intents, oldest first, paging through all of them unless --limit is given.")
    static final class ListIntents extends ClientCommand {
        @Mixin
        IntentFilterOptions filter;

        @Option(names = "--status", paramLabel = "STATUS", description = "Only intents in this status: waiting, completed, failed, cancelled, expired.")
        String status;

        @Option(names = "--waiting-for", paramLabel = "WHO", description = "Only intents waiting for human, tool, agent or time.")
        String waitingFor;

        @Override
        protected int run(MyelinClient client) {
            IntentFilter f = filter.filter()
                    .status(status == null ? null : IntentsCommand.status(status))
                    .waitingFor(waitingFor == null ? null : waitingFor("--waiting-for", waitingFor));
            return filter.print(this, client.intents().list(f).stream(), "intents");
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = {"Show one intent, or wait for it to end first.",
                    "With --wait, first wait until it is no longer waiting (across server restarts), at most the given",
                    "time."})
    static final class Show extends ClientCommand {
        @Parameters(paramLabel = "INTENT", description = "Intent id (int_...).")
        String intentId;

        @Option(names = "--wait", paramLabel = "DURATION",
                description = "Wait up to DURATION (30s, 10m, 2h) for it to end; exit status 7 if it is still waiting then.")
        String wait;

        @Override
        protected void configure(MyelinClient.Builder client) {
            if (wait != null) {
                waitForServer(client, null, "until --wait passes");
            }
        }

        @Override
        protected int run(MyelinClient client) {
            if (wait == null) {
                IntentView.print(client.intents().get(intentId), json(), out());
                return ExitCode.OK;
            }
            Duration limit = DurationText.parse("--wait", wait, null);
            try {
                IntentView.print(client.intents().await(intentId, limit), json(), out());
                return ExitCode.OK;
            } catch (IntentTimeoutException e) {
                err().println("myelin: " + e.getMessage());
                if (e.intent() == null) {
                    return ExitCode.UNREACHABLE;
                }
                IntentView.print(e.intent(), json(), out());
                return ExitCode.TIMEOUT;
            }
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Create an intent on an axon and print it.")
    static final class Create extends ClientCommand {
        @Option(names = "--axon", paramLabel = "AXON", required = true, description = "The axon it belongs to.")
        String axon;

        @Option(names = "--kind", paramLabel = "KIND", required = true, description = "Your label for it, e.g. refund.approval.")
        String kind;

        @Option(names = "--waiting-for", paramLabel = "WHO", required = true, description = "human, tool, agent or time.")
        String waitingFor;

        @Option(names = "--title", paramLabel = "TEXT", description = "A line for people (inboxes show it).")
        String title;

        @Option(names = {"-p", "--payload"}, paramLabel = "JSON|@FILE", description = "Its payload as JSON text, or @path to read it from a file.")
        String payload;

        @Option(names = "--assignee", paramLabel = "NAME", description = "Who should act on it.")
        String assignee;

        @Option(names = "--fire", paramLabel = "WHEN", description = "For --waiting-for time: when it fires, as a duration from now (30s, 2h) or an instant (2025-01-31T09:00:00Z).")
        String fire;

        @Option(names = "--deadline", paramLabel = "WHEN", description = "When it expires (or escalates) if still waiting: a duration from now (10m) or an instant.")
        String deadline;

        @Option(names = "--remind-every", paramLabel = "DURATION", description = "An intent.reminded event this often while it waits.")
        String remindEvery;

        @Option(names = "--on-deadline", paramLabel = "ACTION", description = "expire (the server's default) or escalate (to --escalate-to, once).")
        String onDeadline;

        @Option(names = "--escalate-to", paramLabel = "NAME", description = "Who an escalation hands it to.")
        String escalateTo;

        @Option(names = "--idempotency-key", paramLabel = "KEY", description = "Create at most once per KEY on this axon (a repeat prints the original).")
        String idempotencyKey;

        @Option(names = {"-q", "--quiet"}, description = "Print only the new intent's id (handy in scripts).")
        boolean quiet;

        @Override
        protected int run(MyelinClient client) throws IOException {
            NewIntent.Builder b = NewIntent.builder(kind, waitingFor("--waiting-for", waitingFor))
                    .title(title).assignee(assignee).escalateTo(escalateTo);
            if (payload != null) {
                b.payload(CliJson.tryParse(CliJson.argument("--payload", payload)));
            }
            TimeText.When.apply(TimeText.when("--fire", fire), b::fireAt, b::fireIn);
            TimeText.When.apply(TimeText.when("--deadline", deadline), b::deadline, b::deadlineIn);
            if (remindEvery != null) {
                b.remindEvery(DurationText.parse("--remind-every", remindEvery, null));
            }
            if (onDeadline != null) {
                OnDeadline action = OnDeadline.parse(onDeadline);
                if (action == OnDeadline.UNKNOWN) {
                    throw new Failures.UsageProblem("--on-deadline must be expire or escalate; got '" + onDeadline + "'");
                }
                b.onDeadline(action);
            }
            Intent created = client.intents().create(axon, b.build(), idempotencyKey);
            if (quiet) {
                out().println(created.id());
            } else {
                IntentView.print(created, json(), out());
            }
            return ExitCode.OK;
        }
    }

    /** The options of every command that resolves an intent. */
    abstract static class Resolving extends ClientCommand {
        @Parameters(paramLabel = "INTENT", description = "Intent id (int_...).")
        String intentId;

        @Option(names = {"-c", "--comment"}, paramLabel = "TEXT", description = "A comment for the record.")
        String comment;

        @Option(names = {"-r", "--result"}, paramLabel = "JSON|@FILE", description = "A result as JSON text, or @path to read it from a file.")
        String result;

        /** Resolves with {@code outcome} and prints the resolved intent. */
        int resolve(MyelinClient client, IntentOutcome outcome) throws IOException {
            Object value = result == null ? null : CliJson.tryParse(CliJson.argument("--result", result));
            IntentView.print(client.intents().resolve(intentId, outcome, value, comment), json(), out());
            return ExitCode.OK;
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = {"Approve a waiting intent.",
                    "Exit status 5 when it is no longer waiting (someone else resolved it, or it expired): the message",
                    "says how it ended.",
                    PERMISSION_HELP})
    static final class Approve extends Resolving {
        @Override
        protected int run(MyelinClient client) throws IOException {
            return resolve(client, IntentOutcome.APPROVED);
        }
    }

    @Command(name = "reject", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = {"Reject a waiting intent (exit status 5 when it is no longer waiting).", PERMISSION_HELP})
    static final class Reject extends Resolving {
        @Override
        protected int run(MyelinClient client) throws IOException {
            return resolve(client, IntentOutcome.REJECTED);
        }
    }

    @Command(name = "resolve", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Resolve a waiting intent with any outcome, e.g. a tool's result (exit status 5 when it is no longer waiting).")
    static final class Resolve extends Resolving {
        @Option(names = "--outcome", paramLabel = "OUTCOME", required = true, description = "approved, rejected, completed or failed.")
        String outcome;

        @Override
        protected int run(MyelinClient client) throws IOException {
            IntentOutcome o = IntentOutcome.parse(outcome);
            if (!o.resolvable()) {
                throw new Failures.UsageProblem("--outcome must be approved, rejected, completed or failed; got '" + outcome + "'");
            }
            return resolve(client, o);
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Cancel a waiting intent (exit status 5 when it is no longer waiting).")
    static final class Cancel extends ClientCommand {
        @Parameters(paramLabel = "INTENT", description = "Intent id (int_...).")
        String intentId;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why; recorded as the resolution's comment.")
        String reason;

        @Override
        protected int run(MyelinClient client) {
            IntentView.print(client.intents().cancel(intentId, reason), json(), out());
            return ExitCode.OK;
        }
    }

    static IntentStatus status(String text) {
        IntentStatus s = IntentStatus.parse(text);
        if (s == IntentStatus.UNKNOWN) {
            throw new Failures.UsageProblem("--status must be one of waiting, completed, failed, cancelled, expired; got '" + text + "'");
        }
        return s;
    }

    static WaitingFor waitingFor(String option, String text) {
        WaitingFor w = WaitingFor.parse(text);
        if (w == WaitingFor.UNKNOWN) {
            throw new Failures.UsageProblem(option + " must be one of human, tool, agent, time; got '" + text + "'");
        }
        return w;
    }
}
