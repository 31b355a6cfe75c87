package io.myelin.client.journal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.myelin.client.MyelinClient;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;

/**
 * The program {@link JournalCrashResumeTest} runs and kills: six journaled steps (the second one streamed), each of
 * which appends a line to a counter file (fsynced) when its body runs — the side effect that must not happen twice.
 * It prints {@code done <n> <value>} after each step; with a stop step it then prints {@code ready} and waits on its
 * stdin, which the test never closes, until it is killed.
 *
 * <pre>
 * SixSteps sqlite   &lt;file&gt;             &lt;counter&gt; &lt;stop step or 0&gt;
 * SixSteps postgres &lt;table prefix&gt;     &lt;counter&gt; &lt;stop step or 0&gt;
 * SixSteps remote   &lt;url&gt;,&lt;key&gt;,&lt;axon&gt; &lt;counter&gt; &lt;stop step or 0&gt;
 * </pre>
 */
public final class SixSteps {
    private SixSteps() {}

    public static void main(String[] args) throws Exception {
        Path counter = Path.of(args[2]);
        int stopAfter = Integer.parseInt(args[3]);
        AutoCloseable[] resources = new AutoCloseable[1];
        try (Journal journal = open(args[0], args[1], resources)) {
            for (int n = 1; n <= 6; n++) {
                int step = n;
                String value;
                if (step == 2) {
                    List<String> chunks = journal.streamStep("crash-test", "model_call_2", String.class, emit -> {
                        count(counter, step);
                        for (int i = 0; i < 3; i++) {
                            emit.accept(UUID.randomUUID() + "/" + i);
                        }
                    }, c -> { });
                    value = String.join("+", chunks);
                } else {
                    value = journal.step("crash-test", "step_" + step, String.class, () -> {
                        count(counter, step);
                        return UUID.randomUUID().toString();
                    });
                }
                System.out.println("done " + step + " " + value);
                System.out.flush();
                if (step == stopAfter) {
                    System.out.println("ready");
                    System.out.flush();
                    while (System.in.read() >= 0) {
                        // held here until killed
                    }
                }
            }
        } finally {
            if (resources[0] != null) {
                resources[0].close();
            }
        }
    }

    private static Journal open(String backend, String target, AutoCloseable[] resources) {
        switch (backend) {
            case "sqlite" -> {
                return Journal.sqlite(Path.of(target));
            }
            case "postgres" -> {
                HikariConfig config = new HikariConfig();
                config.setJdbcUrl(PostgresJournalTest.URL);
                config.setUsername("postgres");
                config.setMaximumPoolSize(2);
                HikariDataSource pool = new HikariDataSource(config);
                resources[0] = pool;
                return Journal.postgres(pool, target);
            }
            case "remote" -> {
                String[] parts = target.split(",");
                MyelinClient client = MyelinClient.builder().baseUrl(parts[0]).apiKey(parts[1]).build();
                resources[0] = client;
                return Journal.remote(client, parts[2]);
            }
            default -> throw new IllegalArgumentException("unknown backend " + backend);
        }
    }

    /** The side effect: one line per run of a step's body, on disk before the body returns. */
    private static void count(Path counter, int step) throws IOException {
        try (FileChannel ch = FileChannel.open(counter, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(("step " + step + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
    }
}
