package io.myelin.cli;

import io.myelin.client.MyelinClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options every client command shares: where the server is, how to authenticate, whom to act for, how to
 * print.
 * The API key comes from {@code --api-key}, else {@code MYELIN_API_KEY}, else the {@code admin.key} that a
 * local {@code myelin serve} wrote into {@code ./myelin-data}, so the zero-configuration local case just works.
 */
final class ClientOptions {
    static final Path LOCAL_KEY_FILE = Path.of("myelin-data", "admin.key");

    @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:MYELIN_URL:-" + MyelinClient.Builder.DEFAULT_URL + "}",
            description = {"Server base URL (env MYELIN_URL).", "Default: ${DEFAULT-VALUE}"})
    String server;

    @Option(names = "--api-key", paramLabel = "KEY", defaultValue = "${env:MYELIN_API_KEY}",
            description = {"API key (env MYELIN_API_KEY).", "Default: the admin.key in myelin-data/ under the current directory, if any."})
    String apiKey;

    @Option(names = "--user", paramLabel = "USER", defaultValue = "${env:MYELIN_USER}",
            description = {"The user you act for, sent as X-Myelin-User (env MYELIN_USER); the server records it,",
                    "e.g. as the user who resolved an intent."})
    String user;

    @Option(names = "--json", description = "Print JSON (one object per line for lists and streams) instead of tables.")
    boolean json;

    @Option(names = {"-v", "--verbose"}, description = "Print stack traces with errors.")
    boolean verbose;

    /** A client for the configured server and key, with the client's default retries. */
    MyelinClient connect() {
        return builder().build();
    }

    /** The builder {@link #connect()} uses, for commands that tune their retries before building. */
    MyelinClient.Builder builder() {
        MyelinClient.Builder b = MyelinClient.builder();
        try {
            b.baseUrl(server);
        } catch (IllegalArgumentException e) {
            throw new Failures.UsageProblem("--server: " + e.getMessage());
        }
        try {
            b.actingUser(user);
        } catch (IllegalArgumentException e) {
            throw new Failures.UsageProblem("--user: " + e.getMessage());
        }
        return b.apiKey(resolveApiKey());
    }

    private String resolveApiKey() {
        if (apiKey != null && !apiKey.isBlank()) {
            return apiKey;
        }
        if (Files.isReadable(LOCAL_KEY_FILE)) {
            try {
                return Files.readString(LOCAL_KEY_FILE).strip();
            } catch (IOException e) {
                return null; // unreadable: go without, and let a 401 explain
            }
        }
        return null;
    }
}
