package io.myelin.cli;

import io.myelin.client.Intent;
import io.myelin.client.IntentConflictException;
import io.myelin.client.IntentResolution;
import io.myelin.client.MyelinApiException;
import io.myelin.client.MyelinConnectionException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.time.Instant;

/**
 * Turns an exception into one clear line on stderr and an {@link ExitCode}; the stack trace only with
 * {@code --verbose}, because users of a command line want the cause, not the call path.
 */
final class Failures {
    private Failures() {
    }

    static int report(Throwable e, PrintWriter err, boolean verbose) {
        err.println("myelin: " + describe(e));
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return exitCode(e);
    }

    static int exitCode(Throwable e) {
        if (e instanceof MyelinApiException api) {
            return switch (api.status()) {
                case 404 -> ExitCode.NOT_FOUND;
                case 401, 403 -> ExitCode.AUTH;
                case 400, 405, 409, 413, 415, 422, 429 -> ExitCode.REJECTED;
                default -> ExitCode.FAILURE;
            };
        }
        if (e instanceof MyelinConnectionException) {
            return ExitCode.UNREACHABLE;
        }
        if (e instanceof UsageProblem || e instanceof IllegalArgumentException) {
            return ExitCode.USAGE; // the SDK's argument checks, fed from the command line
        }
        return ExitCode.FAILURE;
    }

    private static String describe(Throwable e) {
        if (e instanceof IntentConflictException conflict) {
            return notWaiting(conflict.intent());
        }
        if (e instanceof MyelinApiException api) {
            String hint = switch (api.status()) {
                case 401 -> " (pass --api-key or set MYELIN_API_KEY)";
                default -> "";
            };
            return api.getMessage() + hint;
        }
        if (e instanceof UncheckedIOException u && u.getCause() != null) {
            e = u.getCause();
        }
        if (e instanceof NoSuchFileException nf) {
            return "no such file: " + nf.getFile();
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /**
     * One sentence for a resolve or cancel that came too late, from the intent the 409 carries rather than the
     * server's message (which the client also extends), with the time as an ISO instant.
     */
    static String notWaiting(Intent i) {
        StringBuilder sb = new StringBuilder("intent ").append(i.id()).append(" is no longer waiting: it is ")
                .append(i.status().wireName());
        IntentResolution r = i.resolution();
        if (r != null) {
            sb.append(", ").append(r.outcome().wireName()).append(" by ").append(r.resolvedBy());
            if (r.resolvedByUser() != null) {
                sb.append(" for ").append(r.resolvedByUser());
            }
        }
        if (i.resolvedAtMs() != null) {
            sb.append(" at ").append(Instant.ofEpochMilli(i.resolvedAtMs()));
        }
        return sb.append('.').toString();
    }

    /** A problem with the command's arguments found while running it (e.g. a payload that is not JSON). */
    static final class UsageProblem extends RuntimeException {
        UsageProblem(String message) {
            super(message, null, false, false);
        }
    }
}
