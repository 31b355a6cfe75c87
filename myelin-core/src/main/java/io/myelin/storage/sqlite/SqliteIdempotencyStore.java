package io.myelin.storage.sqlite;

import io.myelin.idempotency.IdempotencyStore;
import io.myelin.idempotency.Reply;
import io.myelin.idempotency.RequestKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** {@link IdempotencyStore} over {@code request_keys} in {@code myelin.db}; every call is one writer op. */
final class SqliteIdempotencyStore implements IdempotencyStore {
    private final GroupCommitWriter writer;
    private final RequestKeyTable keys;

    SqliteIdempotencyStore(GroupCommitWriter writer, RequestKeyTable keys) {
        this.writer = writer;
        this.keys = keys;
    }

    @Override
    public Claim claim(String scope, RequestKey key, String owner) {
        return WriteCall.run(writer, new WriteCall<Claim>() {
            @Override
            public void apply(Connection c, WriteGroup g) throws SQLException {
                KeyRecord known = keys.lookup(c, g, scope, key.value());
                if (known == null) {
                    keys.record(c, g, scope, key, owner, null);
                    result(Claim.FRESH);
                } else if (!known.matches(key.fingerprint())) {
                    throw key.reused();
                } else if (known.running()) {
                    result(new Claim(null, known.owner()));
                } else {
                    result(new Claim(known.reply(), null));
                }
            }
        });
    }

    @Override
    public void complete(String scope, RequestKey key, Reply reply) {
        WriteCall.run(writer, new WriteCall<Boolean>() {
            @Override
            public void apply(Connection c, WriteGroup g) throws SQLException {
                keys.complete(c, scope, key.value(), reply);
                result(Boolean.TRUE);
            }
        });
    }

    @Override
    public void release(String scope, RequestKey key) {
        WriteCall.run(writer, new WriteCall<Boolean>() {
            @Override
            public void apply(Connection c, WriteGroup g) throws SQLException {
                keys.delete(c, scope, key.value());
                result(Boolean.TRUE);
            }
        });
    }

    @Override
    public int expire(long cutoffMs, int limit) {
        return WriteCall.run(writer, new WriteCall<Integer>() {
            @Override
            public void apply(Connection c, WriteGroup g) throws SQLException {
                result(RequestKeyTable.expire(c, cutoffMs, limit));
            }
        });
    }
}
