package io.myelin.cli;

import io.myelin.client.MyelinClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code myelin inbox [--assignee NAME]}: the intents waiting for a person. */
@Command(name = "inbox", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"List the intents waiting for a person, oldest first.",
                "Answer one with myelin intents approve|reject INTENT.", IntentsCommand.PERMISSION_HELP})
final class InboxCommand extends ClientCommand {
    @Mixin
    IntentFilterOptions filter;

    @Override
    protected int run(MyelinClient client) {
        return filter.print(this, client.intents().inbox(filter.filter()).stream(), "intents waiting for a person");
    }
}
