package io.myelin.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.client.MyelinClient;
import io.myelin.client.RetryAttempt;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of the commands that talk to a server: opens the client, runs the command, and turns failures into
 * one line plus an exit code. Output goes to picocli's writers so tests can capture it in-process.
 */
abstract class ClientCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;

    @Spec
    CommandSpec spec;

    /** The longest wait between two tries while a command waits for a server that is (re)starting. */
    static final Duration WAIT_RETRY_MAX_DELAY = Duration.ofSeconds(2);

    @Override
    public final Integer call() {
        try {
            MyelinClient.Builder builder = options.builder();
            configure(builder);
            try (MyelinClient client = builder.build()) {
                return run(client);
            }
        } catch (Exception e) {
            return Failures.report(e, err(), options.verbose);
        } finally {
            out().flush();
            err().flush();
        }
    }

    /** Does the work; returns an {@link ExitCode}. Exceptions are reported by {@link #call()}. */
    protected abstract int run(MyelinClient client) throws Exception;

    /** Tunes the client before it is built; by default the client's own retries (3 attempts per request). */
    protected void configure(MyelinClient.Builder client) {
    }

    /**
     * Makes every request keep trying while the server cannot be reached or answers that it is busy: until
     * {@code limit} per request, or without end when {@code limit} is {@code null} (the user stops the command).
     * The first retry prints one line on stderr, so a wrong {@code --server} does not look like a silent hang.
     */
    void waitForServer(MyelinClient.Builder client, Duration limit, String until) {
        AtomicBoolean told = new AtomicBoolean();
        Consumer<RetryAttempt> notice = r -> {
            if (told.compareAndSet(false, true)) {
                err().println("myelin: waiting for the server (" + r.failure().getMessage() + "); retrying " + until);
                err().flush();
            }
        };
        client.maxRetries(Integer.MAX_VALUE)
                .retryBackoff(Duration.ofMillis(250), WAIT_RETRY_MAX_DELAY)
                .retryListener(notice);
        if (limit != null) {
            client.callTimeout(limit);
        }
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    boolean json() {
        return options.json;
    }

    /**
     * Prints a listing: one JSON line per item with {@code --json}, else a table with {@code headers} and one row of
     * {@code cells} per item, or {@code "no " + what} on standard error when there is none. Items are printed as the
     * stream yields them (JSON) or once it is drained (the table aligns its columns).
     */
    <T> int printList(Stream<T> items, String what, String[] headers, Function<T, Object[]> cells) {
        return printList(items, what, headers, cells, CliJson::wire);
    }

    /** {@link #printList(Stream, String, String[], Function)} with {@code wire} making each item's JSON. */
    <T> int printList(Stream<T> items, String what, String[] headers, Function<T, Object[]> cells,
                      Function<? super T, JsonNode> wire) {
        if (json()) {
            items.forEach(item -> out().println(CliJson.line(wire.apply(item))));
            return ExitCode.OK;
        }
        Table t = new Table(headers);
        items.forEach(item -> t.row(cells.apply(item)));
        if (t.isEmpty()) {
            err().println("no " + what);
        } else {
            t.print(out());
        }
        return ExitCode.OK;
    }
}
