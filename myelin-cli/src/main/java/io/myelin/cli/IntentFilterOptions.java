package io.myelin.cli;

import io.myelin.client.Intent;
import io.myelin.client.IntentFilter;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/** The filters {@code intents list} and {@code inbox} share, and how both print what they find. */
final class IntentFilterOptions {
    @Option(names = "--axon", paramLabel = "AXON", description = "Only the intents of this axon.")
    String axon;

    @Option(names = "--assignee", paramLabel = "NAME", description = "Only intents assigned to NAME.")
    String assignee;

    @Option(names = "--kind", paramLabel = "KIND", description = "Only intents of this kind.")
    String kind;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", description = "Stop after N intents.")
    Integer limit;

    /** A filter with these conditions. */
    IntentFilter filter() {
        if (limit != null && limit < 1) {
            throw new Failures.UsageProblem("--limit must be at least 1");
        }
        return IntentFilter.all().axonId(axon).assignee(assignee).kind(kind);
    }

    /** Prints {@code intents} (at most {@code --limit}) as a table, or JSON lines with {@code --json}. */
    int print(ClientCommand command, Stream<Intent> intents, String what) {
        return command.printList(limit == null ? intents : intents.limit(limit), what,
                new String[] {"ID", "AXON", "KIND", "FOR", "STATUS", "ASSIGNEE", "TITLE", "CREATED", "DEADLINE"},
                i -> new Object[] {i.id(), i.axonId(), i.kind(), i.waitingFor().wireName(), i.status().wireName(),
                    i.assignee(), i.title(), TimeText.format(i.createdAtMs()), TimeText.format(i.deadlineMs())},
                CliJson::complete);
    }
}
