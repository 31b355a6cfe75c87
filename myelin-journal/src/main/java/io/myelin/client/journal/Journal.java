package io.myelin.client.journal;

import com.fasterxml.jackson.core.type.TypeReference;
import io.myelin.client.MyelinClient;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * A step journal: runs each named step of a session at most once and replays its recorded result afterwards, so a
 * crashed agent that runs again skips the steps it completed (a paid model call, a slow tool) and runs only the
 * rest. Keyed by (session, step name); first writer wins.
 *
 * <pre>{@code
 * try (Journal journal = Journal.sqlite(Path.of("journal.db"))) {
 *     Answer a = journal.step("run-42", "model_call_3", Answer.class, () -> callModel());
 * }
 * }</pre>
 *
 * <p>Four backends, one behaviour (one contract test suite runs against all four):
 * <ul>
 *   <li>{@link #inMemory()}: in this process only; for tests. Nothing survives the process.</li>
 *   <li>{@link #sqlite(Path)}: one local file, no server; durable once a call returns (WAL, {@code synchronous=FULL});
 *       several processes may share the file.</li>
 *   <li>{@link #postgres(DataSource)}: many processes on many machines.</li>
 *   <li>{@link #remote(MyelinClient, String)}: the journal of an axon on a Myelin server (README "Step journal"):
 *       a session's step {@code name} is the axon's step {@code session:name} ({@code name} for the session
 *       {@code ""}).</li>
 * </ul>
 *
 * <p>Results and chunks are stored as JSON (Jackson: records, beans, collections, JSON trees). Threading: a journal is
 * safe for concurrent use; every call blocks its thread until its reads and writes are done (writes durable). The
 * SQLite backend runs its JDBC calls on the calling thread and serialises them on one connection; sqlite-jdbc is JNI,
 * so a virtual thread pins its carrier for the length of each call.
 */
public interface Journal extends AutoCloseable {

    /**
     * Runs {@code body} unless the step has a record, records its value (first writer wins) and returns it. With a
     * record, returns the recorded value without running {@code body}. When another writer recorded the step while
     * {@code body} ran, its record stands and its value is returned.
     *
     * @throws StepFailedException when the step's record is a failure (recorded through the HTTP API or
     *                             {@link #fail})
     * @throws StepBodyException   wrapping a checked exception of {@code body} (unchecked ones pass as they are);
     *                             either way nothing is recorded and the step runs again next time
     * @throws JournalException    when the journal cannot be read or written
     */
    <T> T step(String session, String name, Class<T> type, StepBody<? extends T> body);

    /** {@link #step(String, String, Class, StepBody)} for generic result types ({@code List<Answer>}). */
    <T> T step(String session, String name, TypeReference<T> type, StepBody<? extends T> body);

    /**
     * A streamed step: replays the recorded chunks to {@code sink} when the step is completed; otherwise runs
     * {@code body} whole — discarding what an earlier attempt that never completed appended — passing each chunk it
     * emits to {@code sink} and to the journal, and completes the step when {@code body} returns. A stream either
     * replays whole or re-runs whole, never half of each.
     *
     * @return the step's chunks: the recorded ones, or those {@code body} emitted (when another writer completed the
     *         step meanwhile, its chunks, which stand)
     * @throws JournalConflictException when another attempt restarted the step while {@code body} ran
     * @throws StepFailedException      when the step's record is a failure
     */
    <T> List<T> streamStep(String session, String name, Class<T> chunkType, StreamBody<T> body,
                           Consumer<? super T> sink);

    /**
     * Records the step as failed with {@code error} (any JSON-serialisable value) unless it has a record: later
     * {@link #step} calls throw {@link StepFailedException} instead of running it.
     *
     * @return true when this call recorded it
     */
    boolean fail(String session, String name, Object error);

    /** Forgets the session's steps whose names start with {@code prefix} ("" for all), so that they run again. */
    int forget(String session, String prefix);

    /** Releases what the backend holds (connections); the data stays. */
    @Override
    void close();

    /** A journal in this process's memory: for tests. It cannot survive a crash. */
    static Journal inMemory() {
        return new StepJournal(new InMemoryBackend());
    }

    /**
     * A journal in one SQLite file (created with its tables when missing), shared by every process that opens it.
     *
     * @throws JournalException when the file cannot be opened or created
     */
    static Journal sqlite(Path file) {
        return new StepJournal(JdbcBackend.sqlite(file));
    }

    /** A journal in PostgreSQL, in the tables {@code myelin_journal_steps} and {@code myelin_journal_chunks}. */
    static Journal postgres(DataSource dataSource) {
        return postgres(dataSource, "myelin_journal");
    }

    /**
     * A journal in PostgreSQL, in the tables {@code <tablePrefix>_steps} and {@code <tablePrefix>_chunks} (created when
     * missing). The data source's pool is the caller's: {@link #close} leaves it open.
     *
     * @param tablePrefix a lower-case SQL identifier, at most 40 characters ({@code [a-z_][a-z0-9_]*}), optionally
     *                    schema-qualified ({@code schema.prefix})
     */
    static Journal postgres(DataSource dataSource, String tablePrefix) {
        return new StepJournal(JdbcBackend.postgres(dataSource, tablePrefix));
    }

    /** The journal of the axon {@code axonId} on the server {@code client} talks to; the client stays the caller's. */
    static Journal remote(MyelinClient client, String axonId) {
        return new StepJournal(new RemoteBackend(client.axon(axonId).journal()));
    }

    /** A step's work. */
    @FunctionalInterface
    interface StepBody<T> {
        T run() throws Exception;
    }

    /** A streamed step's work: emits its chunks in order. */
    @FunctionalInterface
    interface StreamBody<T> {
        void run(Consumer<T> emit) throws Exception;
    }
}
