package io.myelin.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.client.Axon;
import io.myelin.client.AxonEvent;
import io.myelin.client.AxonHandle;
import io.myelin.client.MyelinClient;
import io.myelin.client.NewEvent;
import io.myelin.client.Origin;
import io.myelin.client.Published;
import io.myelin.client.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code myelin exec}: one agent turn as a session. Sends the user's input (or resumes a turn already under
 * way), then streams the axon's events until the turn ends, and prints the last sequence seen so that a client
 * that lost its connection can come back with {@code --resume --last-seq N} and miss nothing.
 */
@Command(name = "exec", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Send input to an agent session and stream its events until the turn ends, or resume a turn.",
                "Ends with a 'last-seq N' line; pass it back with --resume --last-seq N to continue where output stopped."})
final class ExecCommand extends ClientCommand {
    static final String MESSAGE_TYPE = "message";
    /** A turn ends with one of these; a cancelled turn is {@code turn.completed {stop_reason: "cancelled"}}. */
    static final List<String> TURN_END_TYPES = List.of("turn.completed", "turn.failed");
    static final String CANCELLED = "cancelled";

    @Option(names = "--axon", paramLabel = "ID", description = "The session's axon; created when absent (with --input).")
    String axonId;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    static final class Mode {
        @Option(names = {"-i", "--input"}, paramLabel = "TEXT", required = true,
                description = "Publish TEXT as a USER_EVENT 'message' with payload {\"text\": TEXT}, then stream the reply.")
        String input;

        @Option(names = "--resume", required = true, description = "Publish nothing; replay and follow the current turn.")
        boolean resume;
    }

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

    @Override
    protected int run(MyelinClient client) throws InterruptedException {
        long started = System.nanoTime();
        Duration limit = timeout == null ? null : DurationText.parse(timeout);
        if (mode.resume && axonId == null) {
            throw new Failures.UsageProblem("--resume needs --axon ID");
        }
        if (!mode.resume && lastSeq != null) {
            throw new Failures.UsageProblem("--last-seq only goes with --resume");
        }
        long after;
        AxonHandle axon;
        if (mode.resume) {
            axon = client.axon(axonId);
            after = lastSeq != null ? lastSeq : lastUserMessage(axon);
        } else {
            if (axonId == null) {
                Axon created = client.axons().create(null, Map.of("created_by", "myelin exec"));
                axonId = created.id();
                info("axon " + axonId, CliJson.MAPPER.createObjectNode().put("axon_id", axonId));
            }
            axon = client.axon(axonId);
            Published p = axon.publish(NewEvent.json(MESSAGE_TYPE, Origin.USER_EVENT, source, Map.of("text", mode.input)));
            after = p.sequence();
            info("sent #" + p.sequence(), null);
        }
        List<String> endTypes = until == null || until.isEmpty() ? TURN_END_TYPES : until;
        EventFollower.Outcome o;
        try (Subscription sub = axon.subscribe(after);
             StatusLine status = new StatusLine(out(), err(), !json() && Terminal.isInteractive(),
                     () -> statusText(sub)).start()) {
            o = EventFollower.follow(sub, e -> endTypes.contains(e.eventType()), remaining(limit, started),
                    e -> status.println(EventFormat.format(e, json())));
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
