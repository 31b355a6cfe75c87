package io.myelin.idempotency;

import io.myelin.auth.Caller;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
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
 * <p><b>Writes to the server's own data</b> (publish, axon create/update/delete) store the key with the write, in
 * one transaction: the stores do that themselves ({@link io.myelin.axon.AxonStore}, {@link
 * io.myelin.stream.EventStore}). The record exists exactly when the write does.
 *
 * <p><b>Writes elsewhere</b> (an axon's own SQL database) cannot share a transaction with the key, so
 * {@link #once} runs them in two durable steps on the {@link IdempotencyStore}: <em>claim</em> the key as running
 * (owner: this node's boot id), run the work, then <em>complete</em> the key with the answer. A retry meanwhile:
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
 * <p>Keys expire after the retention ({@link #expireOnce}), in bounded chunks.
 *
 * <p>Thread-safe. {@link #once} blocks the caller (a virtual thread) while the work and the two store calls run.
 */
public final class Idempotency {
    private static final Logger log = LoggerFactory.getLogger(Idempotency.class);
    private static final int EXPIRY_CHUNK = 5_000;

    /** A key in its scope: the unit of "at most once". */
    private record ScopedKey(String scope, String key) {}

    /** A request running on this node under a key, for retries that arrive meanwhile. */
    private record Running(Fingerprint fingerprint, CompletableFuture<Reply> answer) {}

    /** The work of {@link #once}: runs the request and answers it, or throws. */
    @FunctionalInterface
    public interface Work {
        Reply run();
    }

    private final IdempotencyStore store;
    private final long retentionMs;
    private final InstantSource clock;
    private final String bootId;
    private final ConcurrentHashMap<ScopedKey, Running> running = new ConcurrentHashMap<>();

    public Idempotency(IdempotencyStore store, long retentionMs, InstantSource clock) {
        this.store = store;
        this.retentionMs = retentionMs;
        this.clock = clock;
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
     * @param caller  who sent the request: the same key from another caller is a different request (422)
     * @param sent    the client's retry identity as the HTTP layer read it ({@link RequestKey#sentBy} adds the caller)
     * @param maxWait how long a retry waits for an original still running on this node before it gets 409 with
     *                "still running, retry" (the SDKs retry 409 by themselves)
     * @throws MyelinException 422 when the key was used for a different request; 409 when the original is still
     *                         running after {@code maxWait}, or its outcome is unknown; whatever {@code work} throws
     */
    public Reply once(Caller caller, String scope, RequestKey sent, Duration maxWait, Work work) {
        RequestKey key = RequestKey.sentBy(caller, sent);
        ScopedKey sk = new ScopedKey(scope, key.value());
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (true) {
            Running mine = new Running(key.fingerprint(), new CompletableFuture<>());
            Running original = running.putIfAbsent(sk, mine);
            if (original != null) {
                if (!original.fingerprint().equals(key.fingerprint())) {
                    throw key.reused();
                }
                Reply answer = await(original, key, deadline);
                if (answer != null) {
                    return key.replay(answer);
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
        IdempotencyStore.Claim claim = store.claim(scope, key, bootId);
        if (claim.stored() != null) {
            mine.answer().complete(claim.stored());
            return key.replay(claim.stored());
        }
        if (claim.runningOwner() != null) {
            throw key.outcomeUnknown("was still running when the server restarted");
        }
        Reply reply;
        try {
            reply = work.run();
        } catch (MyelinException e) {
            if (e.notApplied()) {
                store.release(scope, key);
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
            throw key.stillRunning();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MyelinException(ErrorKind.UNAVAILABLE, null, "interrupted while waiting for the original request");
        } catch (ExecutionException e) {
            return null; // never completed exceptionally; a null answer means "run it yourself"
        }
    }

    private void complete(String scope, RequestKey key, Reply reply) {
        try {
            store.complete(scope, key, reply);
        } catch (MyelinException e) {
            // The work is done and answered; a retry will find the key running and be told the outcome is unknown.
            log.warn("could not store the answer for {} '{}' in scope '{}': {}", key.header(), key.value(), scope,
                    e.getMessage());
        }
    }

    private static Reply unknownOutcome(RequestKey key, Throwable cause) {
        String message = key.outcomeUnknown("failed with a storage error (" + cause.getMessage() + ")").getMessage();
        return new Reply(ErrorKind.CONFLICT.status(), message.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Deletes keys older than the retention, at most one chunk per store call, until none are left; returns how
     * many were deleted. Runs on the caller's thread (a maintenance thread).
     */
    public long expireOnce() {
        long cutoff = clock.millis() - retentionMs;
        long total = 0;
        while (true) {
            int n = store.expire(cutoff, EXPIRY_CHUNK);
            total += n;
            if (n < EXPIRY_CHUNK) {
                return total;
            }
        }
    }
}
