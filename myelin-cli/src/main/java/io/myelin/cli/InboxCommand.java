package io.myelin.cli;

import io.myelin.client.IntentFilter;
import io.myelin.client.MyelinClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code myelin inbox [--assignee NAME]}: the intents waiting for a person. */
@Command(name = "inbox", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"List the intents waiting for a person, oldest first. Answer one with",
                "myelin intents approve|reject INTENT."})
final class InboxCommand extends ClientCommand {
    @Option(names = "--assignee", paramLabel = "NAME", description = "Only those assigned to NAME.")
    String assignee;

    @Option(names = "--axon", paramLabel = "AXON", description = "Only those of this axon.")
    String axon;

    @Option(names = "--kind", paramLabel = "KIND", description = "Only those of this kind.")
    String kind;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", description = "Stop after N intents.")
    Integer limit;

    @Override
    protected int run(MyelinClient client) {
        IntentFilter f = IntentFilter.all().assignee(assignee).axonId(axon).kind(kind);
        return IntentsCommand.printIntents(this, client.intents().inbox(f).stream(), limit, "intents waiting for a person");
    }
}
