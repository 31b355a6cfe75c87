package io.myelin.cli;

import io.myelin.client.AxonEvent;
import io.myelin.client.AxonHandle;
import io.myelin.client.EventPage;
import io.myelin.client.MyelinClient;
import io.myelin.client.Subscription;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code myelin tail AXON [--after N] [--follow]}: events in sequence order, optionally following new ones.
 * Following survives disconnects and server restarts: the subscription resumes after the last printed event.
 */
@Command(name = "tail", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Print an axon's events oldest first: the last few, or all after --after N.",
                "With --follow, keep printing new events as they arrive, resuming by itself across disconnects and server restarts."})
final class TailCommand extends ClientCommand {
    @Parameters(paramLabel = "AXON", description = "Axon id.")
    String axonId;

    @Option(names = "--after", paramLabel = "SEQ", description = "Start after this sequence (0: from the first event).")
    Long after;

    @Option(names = {"-n", "--lines"}, defaultValue = "10", paramLabel = "N",
            description = "Without --after: start with the last N events (default: ${DEFAULT-VALUE}).")
    int lines;

    @Option(names = {"-f", "--follow"},
            description = "Keep following new events until interrupted; waits for a server that cannot be reached yet.")
    boolean follow;

    @Option(names = "--count", paramLabel = "N", description = "Exit after printing N events.")
    Integer count;

    @Override
    protected void configure(MyelinClient.Builder client) {
        if (follow) {
            waitForServer(client, null, "until it answers (Ctrl-C to stop)");
        }
    }

    @Override
    protected int run(MyelinClient client) throws InterruptedException {
        AxonHandle axon = client.axon(axonId);
        EventPage newest = axon.history(Math.max(1, Math.min(lines, 5000)), null);
        long head = newest.events().isEmpty() ? 0 : newest.events().getFirst().sequence();
        long start;
        if (after != null) {
            start = after;
        } else if (lines <= 0 || newest.events().isEmpty()) {
            start = head;
        } else {
            start = newest.events().getLast().sequence() - 1;
        }
        if (!follow && head <= start) {
            return ExitCode.OK; // nothing to print, and not asked to wait for more
        }
        AtomicInteger printed = new AtomicInteger();
        try (Subscription sub = axon.subscribe(start)) {
            EventFollower.follow(sub, e -> {
                int n = printed.incrementAndGet();
                return (count != null && n >= count) || (!follow && e.sequence() >= head);
            }, null, this::print);
        }
        return ExitCode.OK;
    }

    private void print(AxonEvent e) {
        out().println(EventFormat.format(e, json()));
        out().flush();
    }
}
