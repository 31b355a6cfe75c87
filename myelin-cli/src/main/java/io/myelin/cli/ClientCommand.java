package io.myelin.cli;

import io.myelin.client.MyelinClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
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

    @Override
    public final Integer call() {
        try (MyelinClient client = options.connect()) {
            return run(client);
        } catch (Exception e) {
            return Failures.report(e, err(), options.verbose);
        } finally {
            out().flush();
            err().flush();
        }
    }

    /** Does the work; returns an {@link ExitCode}. Exceptions are reported by {@link #call()}. */
    protected abstract int run(MyelinClient client) throws Exception;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    boolean json() {
        return options.json;
    }
}
