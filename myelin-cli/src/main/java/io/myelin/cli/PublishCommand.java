package io.myelin.cli;

import io.myelin.client.MyelinClient;
import io.myelin.client.NewEvent;
import io.myelin.client.Origin;
import io.myelin.client.Published;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code myelin publish AXON --type T [--source S] [--origin O] (--payload JSON | --payload @file | -)}. */
@Command(name = "publish", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Append one event to an axon and print its sequence.")
final class PublishCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "AXON", description = "Axon id.")
    String axonId;

    @Parameters(index = "1", arity = "0..1", paramLabel = "-", description = "Read the payload from standard input.")
    String stdinMarker;

    @Option(names = {"-t", "--type"}, paramLabel = "TYPE", required = true, description = "Event type, e.g. message.")
    String type;

    @Option(names = {"-s", "--source"}, paramLabel = "NAME", defaultValue = "cli", description = "Event source (default: ${DEFAULT-VALUE}).")
    String source;

    @Option(names = {"-o", "--origin"}, paramLabel = "ORIGIN", defaultValue = "USER_EVENT",
            description = "USER_EVENT, AGENT_EVENT or EXTERNAL_EVENT (default: ${DEFAULT-VALUE}).")
    Origin origin;

    @Option(names = {"-p", "--payload"}, paramLabel = "JSON|@FILE", description = "The payload as JSON text, or @path to read it from a file.")
    String payload;

    @Option(names = "--idempotency-key", paramLabel = "KEY", description = "Publish at most once per KEY on this axon.")
    String idempotencyKey;

    @Override
    protected int run(MyelinClient client) throws IOException {
        Published p = idempotencyKey == null
                ? client.axon(axonId).publish(NewEvent.of(type, origin, source, payloadText()))
                : client.axon(axonId).publish(NewEvent.of(type, origin, source, payloadText()), idempotencyKey);
        if (json()) {
            out().println(CliJson.line(CliJson.wire(p)));
        } else {
            out().println("published #" + p.sequence());
        }
        return ExitCode.OK;
    }

    private String payloadText() throws IOException {
        boolean fromStdin = "-".equals(stdinMarker);
        if (stdinMarker != null && !fromStdin) {
            throw new Failures.UsageProblem("unexpected argument '" + stdinMarker + "' (use - to read the payload from stdin)");
        }
        if (fromStdin == (payload != null)) {
            throw new Failures.UsageProblem("give the payload with --payload JSON, --payload @file, or - for stdin");
        }
        return fromStdin ? CliJson.checked("payload", new String(System.in.readAllBytes(), StandardCharsets.UTF_8))
                : CliJson.argument("payload", payload);
    }
}
