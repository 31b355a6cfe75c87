package io.myelin.idempotency;

import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.storage.Storage;
import io.myelin.storage.WriteCall;
import io.myelin.storage.WriteGroup;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every write applies at most once per retry identity ({@link RequestKey}), whoever retries and however often.
 *
 * <p><b>Writes to the server database</b> ({@link KeyedWrite}: publish, axon create/update/delete) store the key
 * with the write, in one transaction. Nothing else is needed: the record exists exactly when the write does.
 *
 * <p><b>Writes elsewhere</b> (an axon's own SQL database) cannot share a transaction with the key, so
 * {@link #once} runs them in two durable steps: <em>claim</em> the key as running (owner: this node's boot id),
 * run the work, then <em>complete</em> the key with the answer. A retry meanwhile:
 * <ul>
 *   <li>on this node, waits for the original (an in-memory future per running key) and gets its answer;</li>
 *   <li>finds the stored answer once the original completed;</li>
 *   <li>finds the key running under an owner that is gone (this node restarted while the original ran): the
 *       outcome is unknown — the work may or may not have committed — so the retry gets 409 and is told not to
 *       retry with that key. Running it again could apply it twice; that is the one thing this class exists to
 *       prevent.</li>
 * </ul>
 * Work that provably did not apply ({@link MyelinException#notApplied()}: refused, rolled back, never started)
 * releases its key, so a retry runs it.
 *
 * <p><b>Many nodes</b> (a later storage adapter): the store is shared, so the same protocol holds across nodes,
 * except that "owner gone" must then be decided by node liveness rather than by comparing with this node's boot
 * id, and a retry on another node polls the store instead of awaiting a local future.
 *
 * <p>Keys expire after {@code retentionMs} ({@link #expireOnce}), in bounded chunks.
 *
 * <p>Thread-safe. {@link #once} blocks the caller (a virtual thread) while the work and the two writer calls run.
 */
public final class Idempotency {
    private static final Logger log = LoggerFactory.getLogger(Idempotency.class);
    private static final int EXPIRY_CHUNK = 5_000;

    /** A key in its scope: the unit of "at most once". */
    private record ScopedKey(String scope, String key) {}

    /** A request running on this node under a key, for retries that arrive meanwhile. */
    private record Running(Fingerprint fingerprint, CompletableFuture<Reply> answer) {}

    /** What claiming a key found. Exactly one field is set, or none for a fresh claim. */
    private record Claim(Reply stored, String runningOwner) {
        static final Claim FRESH = new Claim(null, null);
    }

    /** The work of {@link #once}: runs the request and answers it, or throws. */
    @FunctionalInterface
    public interface Work {
        Reply run();
    }

    private final Storage storage;
    private final long retentionMs;
    private final String bootId;
    private final KeyTable table = new KeyTable();
    private final ConcurrentHashMap<ScopedKey, Running> running = new ConcurrentHashMap<>();

    public Idempotency(Storage storage, long retentionMs) {
        this.storage = storage;
        this.retentionMs = retentionMs;
        byte[] b = new byte[8];
        new SecureRandom().nextBytes(b);
        this.bootId = "boot-" + HexFormat.of().formatHex(b);
    }

    /** This process's identity as an owner of running keys; new at every start. */
    public String bootId() {
        return bootId;
    }

    /**
     * Runs {@code work} at most once for {@code key} in {@code scope} and returns its answer; a retry gets the
     * original's answer.
     *
     * @param maxWait how long a retry waits for an original still running on this node before it gets 409 with
     *                "still running, retry" (the SDKs retry 409 by themselves)
     * @throws MyelinException 422 when the key was used for a different request; 409 when the original is still
     *                         running after {@code maxWait}, or its outcome is unknown; whatever {@code work} throws
     */
    public Reply once(String scope, RequestKey key, Duration maxWait, Work work) {
        ScopedKey sk = new ScopedKey(scope, key.value());
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (true) {
            Running mine = new Running(key.fingerprint(), new CompletableFuture<>());
            Running original = running.putIfAbsent(sk, mine);
            if (original != null) {
                if (!original.fingerprint().equals(key.fingerprint())) {
                    throw reused(key);
                }
                Reply answer = await(original, key, deadline);
                if (answer != null) {
                    return replay(answer, key);
                }
                continue; // the original did not apply and released the key: run it ourselves
            }
            try {
                return claimAndRun(scope, key, work, mine);
            } finally {
                running.remove(sk, mine);
                mine.answer().complete(null);
            }
        }
    }

    private Reply claimAndRun(String scope, RequestKey key, Work work, Running mine) {
        Claim claim = WriteCall.run(storage.writer(), new WriteCall<Claim>() {
            @Override
            public void apply(Connection c, WriteGroup g) throws SQLException {
                KeyRecord known = lookup(c, g, scope, key.value());
                if (known == null) {
                    table.insert(c, scope, key, bootId, null, g.nowMs());
                    g.scratch().put(new ScopedKey(scope, key.value()), new KeyRecord(key.fingerprint(), bootId, null));
                    result(Claim.FRESH);
                } else if (!known.matches(key.fingerprint())) {
                    throw reused(key);
                } else if (known.running()) {
                    result(new Claim(null, known.owner()));
                } else {
                    result(new Claim(known.reply(), null));
                }
            }
        });
        if (claim.stored() != null) {
            mine.answer().complete(claim.stored());
            return replay(claim.stored(), key);
        }
        if (claim.runningOwner() != null) {
            throw new MyelinException(ErrorKind.CONFLICT, key.header(), "the request with " + key.header() + " '"
                    + key.value() + "' was still running when the server restarted; its outcome is unknown (it may"
                    + " or may not have been applied). Check the data, then send it again with a new "
                    + key.header()).retry(false, null);
        }
        Reply reply;
        try {
            reply = work.run();
        } catch (MyelinException e) {
            if (e.notApplied()) {
                release(scope, key);
            } else {
                // A storage failure mid-way or no answer in time: the work may have committed. Remember that we
                // cannot tell, so that a retry is not run a second time.
                complete(scope, key, unknownOutcome(key, e));
            }
            throw e;
        } catch (RuntimeException | Error e) {
            complete(scope, key, unknownOutcome(key, e));
            throw e;
        }
        complete(scope, key, reply);
        mine.answer().complete(reply);
        return reply;
    }

    private Reply await(Running original, RequestKey key, long deadline) {
        try {
            return original.answer().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new MyelinException(ErrorKind.CONFLICT, key.header(), "the request with " + key.header() + " '"
                    + key.value() + "' is still running; retry later to get its answer")
                    .retry(true, Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MyelinException(ErrorKind.UNAVAILABLE, null, "interrupted while waiting for the original request");
        } catch (ExecutionException e) {
            return null; // never completed exceptionally; kept for completeness of the contract
        }
    }

    private void complete(String scope, RequestKey key, Reply reply) {
        try {
            WriteCall.run(storage.writer(), new WriteCall<Boolean>() {
                @Override
                public void apply(Connection c, WriteGroup g) throws SQLException {
                    table.complete(c, scope, key.value(), reply);
                    result(Boolean.TRUE);
                }
            });
        } catch (MyelinException e) {
            // The work is done and answered; a retry will find the key running and be told the outcome is unknown.
            log.warn("could not store the answer for {} '{}' in scope '{}': {}", key.header(), key.value(), scope,
                    e.getMessage());
        }
    }

    private void release(String scope, RequestKey key) {
        WriteCall.run(storage.writer(), new WriteCall<Boolean>() {
            @Override
            public void apply(Connection c, WriteGroup g) throws SQLException {
                table.delete(c, scope, key.value());
                result(Boolean.TRUE);
            }
        });
    }

    /**
     * A stored answer as a retry gets it. An answer stored as an error (only "outcome unknown" is ever stored so)
     * is raised again, so the retry is refused the same way, not shown an error body as a success.
     */
    private static Reply replay(Reply stored, RequestKey key) {
        if (stored.status() >= 400) {
            throw new MyelinException(ErrorKind.CONFLICT, key.header(),
                    new String(stored.body(), java.nio.charset.StandardCharsets.UTF_8)).retry(false, null);
        }
        return stored;
    }

    private static Reply unknownOutcome(RequestKey key, Throwable cause) {
        String message = "the request with " + key.header() + " '" + key.value() + "' failed with a storage error ("
                + cause.getMessage() + "); its outcome is unknown. Check the data, then send it again with a new "
                + key.header();
        return new Reply(ErrorKind.CONFLICT.status(), message.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * The stored result of a keyed write, read from committed state (any thread; a storage read). For a request
     * whose target is gone since it succeeded — a retried delete finds no axon, but must still get its answer.
     *
     * @return the decoded result, or null when the key is unknown in {@code scope}
     * @throws MyelinException 422 when the key was used for a different request, 409 while it runs
     */
    public <T> T storedResult(String scope, RequestKey key, ResultCodec<T> codec) {
        KeyRecord known = storage.reads().read(c -> KeyTable.findOn(c, scope, key.value()));
        return known == null ? null : codec.decode(answerOf(known, key).body());
    }

    /**
     * Writer thread: the record of a key, seen by this group (a record stored earlier in the same, uncommitted
     * group counts) or committed before.
     */
    KeyRecord lookup(Connection c, WriteGroup group, String scope, String key) throws SQLException {
        KeyRecord inGroup = (KeyRecord) group.scratch().get(new ScopedKey(scope, key));
        return inGroup != null ? inGroup : table.find(c, scope, key);
    }

    /** Writer thread: stores a key with its answer, visible to the rest of the group at once. */
    void record(Connection c, WriteGroup group, String scope, RequestKey key, Reply reply) throws SQLException {
        table.insert(c, scope, key, null, reply, group.nowMs());
        group.scratch().put(new ScopedKey(scope, key.value()), new KeyRecord(key.fingerprint(), null, reply));
    }

    /**
     * The stored answer a retry gets, or the refusal: 422 for a different request under the same key, 409 while
     * the original runs.
     */
    static Reply answerOf(KeyRecord known, RequestKey key) {
        if (!known.matches(key.fingerprint())) {
            throw reused(key);
        }
        if (known.running()) {
            throw new MyelinException(ErrorKind.CONFLICT, key.header(), "the request with " + key.header() + " '"
                    + key.value() + "' is still running; retry later to get its answer").retry(true, Duration.ofSeconds(1));
        }
        return replay(known.reply(), key);
    }

    static MyelinException reused(RequestKey key) {
        return new MyelinException(ErrorKind.UNPROCESSABLE, key.header(), key.header() + " '" + key.value()
                + "' was already used for a different request; a retry must repeat the request exactly. Send a new "
                + key.header() + " for a new request").retry(false, null);
    }

    /**
     * Deletes keys older than the retention, at most one chunk per writer op, until none are left; returns how
     * many were deleted. Runs on the caller's thread (a maintenance thread), never on the writer's.
     */
    public long expireOnce() {
        long cutoff = System.currentTimeMillis() - retentionMs;
        long total = 0;
        while (true) {
            int n = WriteCall.run(storage.writer(), new WriteCall<Integer>() {
                @Override
                public void apply(Connection c, WriteGroup g) throws SQLException {
                    result(KeyTable.expire(c, cutoff, EXPIRY_CHUNK));
                }
            });
            total += n;
            if (n < EXPIRY_CHUNK) {
                return total;
            }
        }
    }
}
