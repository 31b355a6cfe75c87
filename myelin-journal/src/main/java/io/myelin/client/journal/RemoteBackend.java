package io.myelin.client.journal;

import io.myelin.client.AxonJournal;
import io.myelin.client.ConflictException;
import io.myelin.client.JournalStep;
import io.myelin.client.MyelinException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link Backend} over an axon's journal on a Myelin server ({@link AxonJournal}): the server decides every write on
 * the step as stored, so any number of processes may share it. A session's step {@code name} is the axon's step
 * {@code session:name} ({@code name} for the session {@code ""}); the server limits the whole to 256 characters.
 */
final class RemoteBackend implements Backend {
    private final AxonJournal journal;

    RemoteBackend(AxonJournal journal) {
        this.journal = journal;
    }

    static String name(String session, String step) {
        return session.isEmpty() ? step : session + ":" + step;
    }

    @Override
    public StoredStep find(String session, String step) {
        Optional<JournalStep> found = call(() -> journal.find(name(session, step)));
        return found.map(s -> view(s, false)).orElse(null);
    }

    @Override
    public StoredStep record(String session, String step, boolean failed, String resultJson) {
        JournalStep s = call(() -> journal.record(name(session, step), resultJson, failed));
        return view(s, s.created());
    }

    @Override
    public StoredStep begin(String session, String step) {
        String name = name(session, step);
        try {
            return view(journal.append(name, List.of(), true, null), false);
        } catch (ConflictException sealed) {
            return call(() -> journal.find(name)).map(s -> view(s, false))
                    .orElseThrow(() -> new JournalConflictException("step " + name + " was sealed, then forgotten,"
                            + " while this attempt began", sealed));
        } catch (MyelinException e) {
            throw failure(e);
        }
    }

    @Override
    public void append(String session, String step, int attempt, List<String> chunksJson) {
        String name = name(session, step);
        onAttempt(name, attempt, () -> journal.append(name, chunksJson, false, attempt));
    }

    @Override
    public StoredStep complete(String session, String step, int attempt) {
        String name = name(session, step);
        JournalStep s = onAttempt(name, attempt, () -> journal.complete(name, null, attempt));
        return new StoredStep(s.sealed(), "failed".equals(s.status()), s.result(), null, s.attempt(), s.created());
    }

    @Override
    public int forget(String session, String prefix) {
        return call(() -> journal.forget(name(session, prefix)));
    }

    @Override
    public void close() {
        // the client is the caller's
    }

    private static StoredStep view(JournalStep s, boolean created) {
        return new StoredStep(s.sealed(), "failed".equals(s.status()), s.result(), s.chunks(), s.attempt(), created);
    }

    private static <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (MyelinException e) {
            throw failure(e);
        }
    }

    /** A call on a stream attempt: the server's 409 means another writer superseded it. */
    private static <T> T onAttempt(String name, int attempt, Supplier<T> call) {
        try {
            return call.get();
        } catch (ConflictException e) {
            throw new JournalConflictException("step " + name + " is no longer at stream attempt " + attempt + ": "
                    + e.getMessage(), e);
        } catch (MyelinException e) {
            throw failure(e);
        }
    }

    private static JournalException failure(MyelinException e) {
        return new JournalException("the server's journal failed: " + e.getMessage(), e);
    }
}
