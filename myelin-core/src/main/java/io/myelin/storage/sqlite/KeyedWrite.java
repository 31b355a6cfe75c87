package io.myelin.storage.sqlite;

import io.myelin.idempotency.Reply;
import io.myelin.idempotency.RequestKey;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A write to the server database that applies at most once per {@link RequestKey}: the key is looked up and stored
 * in the same group transaction as the write itself, so the write and the record of it commit or roll back
 * together — a retry after a crash, a lost answer or a client timeout finds the record and gets the stored result.
 *
 * <p>A retry that queues while the original is still waiting for the writer is handled by the writer's order: the
 * original applies first (in an earlier group, or earlier in the same group, where the record is visible through
 * the group's scratch map) and the retry replays it.
 *
 * <p>Subclasses implement {@link #applyOnce}; their {@link #onCommitted} must check {@link #replayed()} and skip
 * in-memory effects (fan-out, index changes) for a replay, which changed nothing.
 */
abstract class KeyedWrite<T> extends WriteCall<T> {
    private final RequestKeyTable keys;
    private final String scope;
    private final RequestKey key;
    private final ResultCodec<T> codec;
    private boolean replayed;

    /**
     * @param scope the axon the request is about, or {@code ""} for requests about no single axon
     * @param key   the client's retry identity, or null for an unkeyed write (applies every time)
     */
    KeyedWrite(RequestKeyTable keys, String scope, RequestKey key, ResultCodec<T> codec) {
        this.keys = keys;
        this.scope = scope;
        this.key = key;
        this.codec = codec;
    }

    @Override
    public final void apply(Connection c, WriteGroup group) throws SQLException {
        if (key != null) {
            KeyRecord known = keys.lookup(c, group, scope, key.value());
            if (known != null) {
                result(codec.decode(known.answerFor(key).body()));
                replayed = true;
                return;
            }
        }
        T value = applyOnce(c, group);
        if (key != null) {
            keys.record(c, group, scope, key, null, new Reply(200, codec.encode(value)));
        }
        result(value);
    }

    /** The write itself, run only when the key (if any) is new. Validate first, write second (see WriteOp). */
    protected abstract T applyOnce(Connection c, WriteGroup group) throws SQLException;

    /** True when the result came from the store and nothing was written. Writer thread, after apply. */
    protected final boolean replayed() {
        return replayed;
    }
}
