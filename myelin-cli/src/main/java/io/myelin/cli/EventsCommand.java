package io.myelin.cli;

import io.myelin.client.AxonEvent;
import io.myelin.client.AxonFilter;
import io.myelin.client.MyelinClient;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code myelin events AXON [--limit N]}: recent history, newest first. */
@Command(name = "events", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Show an axon's most recent events, newest first.")
final class EventsCommand extends ClientCommand {
    @Parameters(paramLabel = "AXON", description = "Axon id.")
    String axonId;

    @Option(names = {"-n", "--limit"}, defaultValue = "20", description = "How many events (default: ${DEFAULT-VALUE}; 0 for all).")
    int limit;

    @Option(names = "--before", paramLabel = "SEQ", description = "Only events with a sequence below SEQ.")
    Long before;

    @Override
    protected int run(MyelinClient client) {
        if (limit < 0) {
            throw new Failures.UsageProblem("--limit must be 0 (all) or more");
        }
        Stream<AxonEvent> events;
        if (limit > 0 && limit <= AxonFilter.MAX_PAGE_SIZE) {
            events = client.axon(axonId).history(limit, before).events().stream(); // one request
        } else {
            events = client.axon(axonId).history().filter(e -> before == null || e.sequence() < before);
            if (limit > 0) {
                events = events.limit(limit);
            }
        }
        if (json()) {
            events.forEach(e -> out().println(EventFormat.format(e, true)));
            return ExitCode.OK;
        }
        Table t = new Table("SEQ", "TIME", "ORIGIN", "SOURCE", "TYPE", "PAYLOAD");
        events.forEach(e -> t.row(e.sequence(), EventFormat.time(e), e.origin(), e.source(), e.eventType(), e.payload()));
        if (t.isEmpty()) {
            err().println("no events");
        } else {
            t.print(out());
        }
        return ExitCode.OK;
    }
}
