package io.myelin.cli;

import io.myelin.client.ApiKey;
import io.myelin.client.IssuedKey;
import io.myelin.client.MyelinClient;
import io.myelin.client.NewKey;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code myelin keys create|list|rotate|revoke}: scoped API keys (needs a key with {@code keys:manage}). */
@Command(name = "keys", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Create, list, rotate and revoke API keys.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Rotate.class,
                KeysCommand.Revoke.class})
final class KeysCommand implements Runnable {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: create, list, rotate or revoke");
    }

    @Command(name = "create", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Create a key and print it with its secret, which is shown this once.")
    static final class Create extends ClientCommand {
        @Parameters(paramLabel = "NAME", description = "What to call the key.")
        String name;

        @Option(names = {"-s", "--scope"}, paramLabel = "SCOPE", required = true, split = ",",
                description = "Scope, e.g. axons:read; repeatable or comma-separated.")
        List<String> scopes;

        @Option(names = {"-a", "--axon"}, paramLabel = "AXON", split = ",",
                description = "Limit the key to this axon; repeatable or comma-separated. Default: every axon.")
        List<String> axons;

        @Option(names = "--expires-in", paramLabel = "DURATION", description = "Expire after this long (e.g. 30d, 12h).")
        String expiresIn;

        @Option(names = {"-q", "--quiet"}, description = "Print only the secret (handy in scripts).")
        boolean quiet;

        @Override
        protected int run(MyelinClient client) {
            NewKey key = new NewKey(name, scopes, axons, null);
            if (expiresIn != null) {
                key = key.expiresAt(Instant.now().plus(DurationText.parse("--expires-in", expiresIn, null)));
            }
            printIssued(client.keys().create(key), quiet, json(), out());
            return ExitCode.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "List keys (never their secrets) in creation order, revoked ones included.")
    static final class ListKeys extends ClientCommand {
        @Option(names = "--all", description = "Also list revoked and expired keys.")
        boolean all;

        @Override
        protected int run(MyelinClient client) {
            long now = System.currentTimeMillis();
            Stream<ApiKey> keys = client.keys().list().stream()
                    .filter(k -> all || k.revokedAtMs() == null && (k.expiresAtMs() == null || k.expiresAtMs() > now));
            return printList(keys, "keys", new String[] {"ID", "NAME", "SCOPES", "AXONS", "CREATED", "EXPIRES", "REVOKED"},
                    k -> new Object[] {k.id(), k.name(), String.join(",", k.scopes()),
                            k.axonIds() == null ? "*" : String.join(",", k.axonIds()), time(k.createdAtMs()),
                            time(k.expiresAtMs()), time(k.revokedAtMs())});
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Give a key a new secret and print it; the old secret keeps working for a grace period.")
    static final class Rotate extends ClientCommand {
        @Parameters(paramLabel = "KEY", description = "Key id (key_...).")
        String keyId;

        @Option(names = "--grace", paramLabel = "DURATION",
                description = "How long the old secret keeps working (e.g. 10m). Default: the server's keys.rotation-grace.")
        String grace;

        @Option(names = "--no-grace", description = "The old secret stops working at once.")
        boolean noGrace;

        @Option(names = {"-q", "--quiet"}, description = "Print only the new secret.")
        boolean quiet;

        @Override
        protected int run(MyelinClient client) {
            if (noGrace && grace != null) {
                throw new Failures.UsageProblem("give --grace DURATION or --no-grace, not both");
            }
            IssuedKey issued = noGrace ? client.keys().rotate(keyId, Duration.ZERO)
                    : grace == null ? client.keys().rotate(keyId) : client.keys().rotate(keyId, DurationText.parse(grace));
            printIssued(issued, quiet, json(), out());
            return ExitCode.OK;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Revoke keys: they stop working at once, and their open streams end.")
    static final class Revoke extends ClientCommand {
        @Parameters(paramLabel = "KEY", arity = "1..*", description = "Key ids (key_...).")
        List<String> keyIds;

        @Override
        protected int run(MyelinClient client) {
            for (String id : keyIds) {
                ApiKey k = client.keys().revoke(id);
                if (json()) {
                    out().println(CliJson.line(CliJson.wire(k)));
                } else {
                    out().println("revoked " + k.id() + " (" + k.name() + ")");
                }
            }
            return ExitCode.OK;
        }
    }

    private static void printIssued(IssuedKey issued, boolean quiet, boolean json, PrintWriter out) {
        if (quiet) {
            out.println(issued.secret());
        } else if (json) {
            out.println(CliJson.line(((com.fasterxml.jackson.databind.node.ObjectNode) CliJson.wire(issued.key()))
                    .put("key", issued.secret())));
        } else {
            ApiKey k = issued.key();
            out.println("id        " + k.id());
            out.println("name      " + k.name());
            out.println("scopes    " + String.join(",", k.scopes()));
            out.println("axons     " + (k.axonIds() == null ? "every axon" : String.join(",", k.axonIds())));
            out.println("expires   " + (k.expiresAtMs() == null ? "never" : time(k.expiresAtMs())));
            if (k.previousKeyExpiresAtMs() != null) {
                out.println("old key   works until " + time(k.previousKeyExpiresAtMs()));
            }
            out.println("key       " + issued.secret());
            out.println("(the key is shown only now: store it)");
        }
    }

    private static String time(Long ms) {
        return ms == null ? "" : TIME.format(Instant.ofEpochMilli(ms));
    }
}
