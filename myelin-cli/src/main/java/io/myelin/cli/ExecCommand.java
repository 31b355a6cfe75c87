package io.myelin.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.client.Axon;
import io.myelin.client.AxonEvent;
import io.myelin.client.AxonHandle;
import io.myelin.client.Devbox;
import io.myelin.client.MyelinApiException;
import io.myelin.client.MyelinClient;
import io.myelin.client.MyelinConnectionException;
import io.myelin.client.MyelinException;
import io.myelin.client.NewEvent;
import io.myelin.client.Origin;
import io.myelin.client.Published;
import io.myelin.client.Subscription;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code myelin exec}: one agent turn as a session. Sends the user's input (or resumes a turn already under
 * way), then streams the axon's events until the turn ends, and prints the last sequence seen so that a client
 * that lost its connection can come back with {@code --resume --last-seq N} and miss nothing. With
 * {@code --agent NAME} it first starts the agent on the axon ({@link AgentSession}). Events are shown readably
 * ({@link TurnPrinter}), one compact line each with {@code --raw}, or as JSON lines with {@code --json}.
 */
@Command(name = "exec", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Send input to an agent session and stream its events until the turn ends, or resume a turn.",
                "With --agent NAME, first start that agent (one the server's operator configured) on the axon.",
                "Ends with a 'last-seq N' line; pass it back with --resume --last-seq N to continue where output stopped."})
final class ExecCommand extends ClientCommand {
    static final String MESSAGE_TYPE = "message";
    /** A turn ends with one of these; a cancelled turn is {@code turn.completed {stop_reason: "cancelled"}}. */
    static final List<String> TURN_END_TYPES = List.of("turn.completed", "turn.failed");
    static final String CANCELLED = "cancelled";

    @Option(names = "--axon", paramLabel = "ID", description = "The session's axon; created when absent (with --input).")
    String axonId;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Mode mode;

    static final class Mode {
        @Option(names = {"-i", "--input"}, paramLabel = "TEXT", required = true,
                description = {"Publish TEXT as a USER_EVENT 'message' with payload {\"text\": TEXT}, then stream the reply.",
                        "'-' (or no --input and no --resume): read TEXT from standard input."})
        String input;

        @Option(names = "--resume", required = true, description = "Publish nothing; replay and follow the current turn.")
        boolean resume;
    }

    @Option(names = "--agent", paramLabel = "NAME",
            description = "Start the agent the operator configured as NAME on the axon first (a devbox with a broker mount).")
    String agent;

    @Option(names = "--protocol", paramLabel = "PROTOCOL", defaultValue = "acp",
            description = "With --agent: acp or claude_json (default ${DEFAULT-VALUE}).")
    String protocol;

    @Option(names = "--agent-arg", paramLabel = "ARG", description = "With --agent: an argument after the operator's; repeatable.")
    List<String> agentArgs = new ArrayList<>();

    @Option(names = "--idle", paramLabel = "DURATION", defaultValue = "10m",
            description = {"With --agent: freeze the agent after this long without a turn (default ${DEFAULT-VALUE});",
                    "the next event on the axon wakes it."})
    String idle;

    @Option(names = "--shutdown", description = "With --agent: shut the devbox down when the turn ends (default: keep it for the next turn).")
    boolean shutdown;

    @Option(names = "--raw", description = "Print every event as one compact line (default: the agent's text and tool calls, readably).")
    boolean raw;

    @Option(names = "--last-seq", paramLabel = "N",
            description = "With --resume: replay the events after N (default: after the last user message).")
    Long lastSeq;

    @Option(names = "--until", paramLabel = "TYPE",
            description = "Event type that ends the turn; repeatable (default: turn.completed, turn.failed).")
    List<String> until;

    @Option(names = "--timeout", paramLabel = "DURATION",
            description = {"Give up after this long, e.g. 90s, 5m, PT1H (exit status 7).",
                    "Until then, a server that cannot be reached (e.g. restarting) is waited for."})
    String timeout;

    @Option(names = "--source", paramLabel = "NAME", defaultValue = "cli", description = "Source of the published message (default: ${DEFAULT-VALUE}).")
    String source;

    @Override
    protected void configure(MyelinClient.Builder client) {
        if (timeout != null) {
            // A session started while the server (re)starts waits for it, within the same --timeout.
            waitForServer(client, DurationText.parse(timeout), "until --timeout " + timeout + " passes");
        }
    }

    /** Where a stopped session resumes: -1 until there is a turn to resume; then its last sequence seen. */
    private volatile long resumeAfter = -1;
    private volatile Subscription following;
    /** The devbox {@code --agent} started, once it exists. */
    private volatile String startedDevbox;

    @Override
    protected int run(MyelinClient client) throws InterruptedException, IOException {
        // Stopped from outside (Ctrl-C, SIGTERM): say where the turn was, as a timeout does.
        Thread stopped = new Thread(() -> {
            Subscription sub = following;
            long last = sub != null ? sub.lastSequence() : resumeAfter;
            if (last >= 0) {
                // on a line of its own: the agent's text may have left stdout's line open
                err().println(System.lineSeparator() + "myelin: stopped following; the turn goes on (cancel it: myelin"
                        + " publish " + axonId + " --type turn.cancel --payload '{}'); resume with: myelin exec --axon "
                        + axonId + " --resume --last-seq " + last + (startedDevbox == null ? ""
                        : "; devbox " + startedDevbox + " stays: end it with myelin devboxes shutdown " + startedDevbox));
                err().flush();
            }
        }, "myelin-exec-stopped");
        Runtime.getRuntime().addShutdownHook(stopped);
        try {
            return session(client);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopped);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already stopping: the hook runs and says where the turn was
            }
        }
    }

    private int session(MyelinClient client) throws InterruptedException, IOException {
        long started = System.nanoTime();
        Duration limit = timeout == null ? null : DurationText.parse(timeout);
        boolean resume = mode != null && mode.resume;
        checkUsage(resume);
        String input = resume ? null : inputText();
        long after;
        String turnId = null;
        AxonHandle axon;
        Devbox devbox = null;
        if (resume) {
            axon = client.axon(axonId);
            after = lastSeq != null ? lastSeq : lastUserMessage(axon);
            resumeAfter = after;
            turnId = lastSeq == null && after > 0 ? "turn_" + after : null;
        } else {
            boolean newAxon = axonId == null;
            if (newAxon) {
                Axon created = client.axons().create(null, Map.of("created_by", "myelin exec"));
                axonId = created.id();
                info("axon " + axonId, CliJson.MAPPER.createObjectNode().put("axon_id", axonId));
                if (agent == null && !json()) {
                    err().println("myelin: no --agent: the turn waits for an agent outside this command to serve "
                            + axonId + " (--agent NAME runs one of the server's agents)");
                }
            }
            if (agent != null) {
                Duration startLimit = limit == null ? AgentSession.DEFAULT_START_TIMEOUT : remaining(limit, started);
                try {
                    devbox = AgentSession.start(client, axonId, agent, protocol, agentArgs, idleTime(), startLimit,
                            d -> {
                                startedDevbox = d.id();
                                info("devbox " + d.id(), CliJson.MAPPER.createObjectNode().put("devbox_id", d.id()));
                            });
                } catch (MyelinApiException refused) {
                    if (newAxon) {
                        // Refused before any devbox existed: the axon made for it would serve nothing.
                        client.axons().delete(axonId);
                    }
                    throw refused;
                } catch (AgentSession.NotRunning e) {
                    err().println("myelin: " + e.getMessage());
                    return ExitCode.DEVBOX_FAILED;
                } catch (MyelinConnectionException e) {
                    if (System.nanoTime() - started < startLimit.toNanos()) {
                        throw e;
                    }
                    err().println("myelin: " + e.getMessage());
                    return ExitCode.TIMEOUT;
                }
            }
            axon = client.axon(axonId);
            Published p = axon.publish(NewEvent.json(MESSAGE_TYPE, Origin.USER_EVENT, source, Map.of("text", input)));
            after = p.sequence();
            resumeAfter = after;
            turnId = "turn_" + p.sequence();
            info("sent #" + p.sequence(), null);
        }
        try {
            return follow(axon, after, turnId, limit, started, devbox);
        } finally {
            if (devbox != null && shutdown) {
                shutDown(client, devbox.id());
            }
        }
    }

    /** Streams the turn after {@code after} until it ends; {@code turnId} (if known) is the turn whose end counts. */
    private int follow(AxonHandle axon, long after, String turnId, Duration limit, long started, Devbox devbox)
            throws InterruptedException {
        List<String> endTypes = until == null || until.isEmpty() ? TURN_END_TYPES : until;
        Predicate<AxonEvent> stop = until == null || until.isEmpty()
                ? e -> endTypes.contains(e.eventType()) && sameTurn(e, turnId)
                : e -> endTypes.contains(e.eventType());
        EventFollower.Outcome o;
        boolean interactive = !json() && Terminal.isInteractive();
        try (Subscription sub = axon.subscribe(after);
             StatusLine status = new StatusLine(out(), err(), interactive, () -> statusText(sub)).start()) {
            TurnPrinter readable = json() || raw ? null
                    : new TurnPrinter(status, interactive && System.getenv("NO_COLOR") == null, axonId);
            Consumer<AxonEvent> print = readable != null ? readable::print : e -> status.println(EventFormat.format(e, json()));
            following = sub;
            o = EventFollower.follow(sub, stop, remaining(limit, started), print);
            if (readable != null) {
                readable.finish();
            }
        }
        if (devbox != null && !shutdown && !json() && o.end() == EventFollower.End.STOP_EVENT) {
            out().println("continue: myelin exec --axon " + axonId + " --input TEXT");
            out().println("the agent stays in devbox " + devbox.id() + " (frozen when idle); end it: myelin devboxes shutdown "
                    + devbox.id());
        }
        long last = o.lastSequence();
        info("last-seq " + last, CliJson.MAPPER.createObjectNode().put("last_sequence", last));
        return switch (o.end()) {
            case STOP_EVENT -> until == null ? turnExit(o.stopEvent()) : ExitCode.OK;
            case TIMEOUT -> {
                err().println("myelin: timed out after " + timeout + " waiting for " + String.join(" or ", endTypes)
                        + "; resume with: myelin exec --axon " + axonId + " --resume --last-seq " + last);
                yield ExitCode.TIMEOUT;
            }
            case CLOSED -> ExitCode.FAILURE;
        };
    }

    /** {@code --shutdown}; a failure is reported, not thrown, so that it never hides how the turn ended. */
    private void shutDown(MyelinClient client, String devboxId) {
        try {
            Devbox d = client.devboxes().shutdown(devboxId);
            info("shut down " + d.id(), CliJson.MAPPER.createObjectNode().put("devbox_id", d.id())
                    .put("status", d.status().wireName()));
        } catch (MyelinException e) {
            err().println("myelin: could not shut down devbox " + devboxId + " (" + e.getMessage()
                    + "); end it with: myelin devboxes shutdown " + devboxId);
        }
    }

    private void checkUsage(boolean resume) {
        if (resume && axonId == null) {
            throw new Failures.UsageProblem("--resume needs --axon ID");
        }
        if (!resume && lastSeq != null) {
            throw new Failures.UsageProblem("--last-seq only goes with --resume");
        }
        if (resume && agent != null) {
            throw new Failures.UsageProblem("--agent starts a session and --resume follows one already under way: give one of them");
        }
        if (agent == null && (shutdown || !agentArgs.isEmpty())) {
            throw new Failures.UsageProblem("--shutdown and --agent-arg go with --agent NAME");
        }
    }

    /** The text to send: {@code --input TEXT}, or standard input for {@code --input -} or no {@code --input}. */
    private String inputText() throws IOException {
        if (mode != null && !"-".equals(mode.input)) {
            return mode.input;
        }
        String text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8).stripTrailing();
        if (text.isEmpty()) {
            throw new Failures.UsageProblem("no input: give --input TEXT, or pipe the text to standard input");
        }
        return text;
    }

    private Duration idleTime() {
        Duration d = DurationText.parse(idle);
        return d.isZero() ? null : d;
    }

    /** Whether {@code end} ends {@code turnId}: a broker's end names its turn; an end without a turn id counts. */
    static boolean sameTurn(AxonEvent end, String turnId) {
        if (turnId == null) {
            return true;
        }
        JsonNode p = CliJson.tryParse(end.payload());
        JsonNode id = p == null ? null : p.get("turn_id");
        return id == null || !id.isTextual() || id.asText().equals(turnId);
    }

    /**
     * The exit status a turn's end means: {@link ExitCode#TURN_FAILED} for {@code turn.failed},
     * {@link ExitCode#TURN_CANCELLED} for a {@code turn.completed} whose {@code stop_reason} is {@code cancelled},
     * else {@link ExitCode#OK} (every other stop reason, e.g. {@code end_turn}, {@code max_tokens}, is a turn that ran
     * to its end).
     */
    static int turnExit(AxonEvent end) {
        if (end.eventType().equals("turn.failed")) {
            return ExitCode.TURN_FAILED;
        }
        JsonNode p = CliJson.tryParse(end.payload());
        return p != null && CANCELLED.equals(p.path("stop_reason").asText()) ? ExitCode.TURN_CANCELLED : ExitCode.OK;
    }

    /** What is left of {@code limit} since {@code started} (at least 1 ns), or {@code null} for no limit. */
    private static Duration remaining(Duration limit, long started) {
        if (limit == null) {
            return null;
        }
        long left = limit.toNanos() - (System.nanoTime() - started);
        return Duration.ofNanos(Math.max(1, left));
    }

    /** The sequence of the newest USER_EVENT message, or 0 when there is none: the current turn follows it. */
    private static long lastUserMessage(AxonHandle axon) {
        return axon.history()
                .filter(e -> e.origin() == Origin.USER_EVENT && MESSAGE_TYPE.equals(e.eventType()))
                .findFirst()
                .map(AxonEvent::sequence)
                .orElse(0L);
    }

    private String statusText(Subscription sub) {
        return switch (sub.state()) {
            case CONNECTING -> "connecting…";
            case STREAMING -> "waiting for the agent (after #" + sub.lastSequence() + ")…";
            case BACKING_OFF -> "connection lost, reconnecting (after #" + sub.lastSequence() + ")…";
            case CLOSED -> "closed";
        };
    }

    /** A progress line: human text, or a JSON object when {@code --json} (skipped if {@code json} is null). */
    private void info(String text, com.fasterxml.jackson.databind.JsonNode json) {
        if (json()) {
            if (json != null) {
                out().println(CliJson.line(json));
            }
        } else {
            out().println(text);
        }
        out().flush();
    }
}
