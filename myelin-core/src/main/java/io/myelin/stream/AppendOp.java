package io.myelin.stream;

import io.myelin.axon.LiveAxon;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.storage.WriteCall;
import io.myelin.storage.WriteGroup;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends one or more events to one axon as a contiguous run of sequences, inside the writer's group transaction.
 *
 * <p>Sequences come from {@link LiveAxon#pendingSeq()}, which only the writer thread touches; a rolled-back group
 * restores it, so sequences never skip. With an idempotency key, a key already used on this axon (earlier in the
 * same group, or stored within the retention window) answers the original run and writes nothing — provided
 * the request is the same; the same key with a different request is refused with 422.
 */
final class AppendOp extends WriteCall<List<Appended>> {
    private final LiveAxon axon;
    private final List<EventDraft> drafts;
    private final String idempotencyKey;
    private final WriterStatements statements;
    private final Fanout fanout;
    private final long requestHash;
    private List<Event> written = List.of();

    AppendOp(LiveAxon axon, List<EventDraft> drafts, String idempotencyKey, WriterStatements statements, Fanout fanout) {
        this.axon = axon;
        this.drafts = drafts;
        this.idempotencyKey = idempotencyKey;
        this.statements = statements;
        this.fanout = fanout;
        this.requestHash = idempotencyKey == null ? 0 : fingerprint(drafts);
    }

    @Override
    public int weight() {
        return drafts.size();
    }

    @Override
    public void apply(Connection c, WriteGroup group) throws SQLException {
        if (axon.deleted()) {
            throw MyelinException.notFound("axon", axon.id());
        }
        WriterStatements st = statements.on(c);
        if (idempotencyKey != null && replayKnownKey(st, group)) {
            return;
        }
        long previous = axon.pendingSeq();
        long ts = group.nowMs();
        List<Event> events = new ArrayList<>(drafts.size());
        List<Appended> results = new ArrayList<>(drafts.size());
        long seq = previous;
        for (EventDraft d : drafts) {
            seq++;
            events.add(new Event(axon.id(), seq, d.eventType(), d.origin(), d.source(), d.payload(), ts));
            results.add(new Appended(seq, ts));
        }
        st.insert(axon.pk(), events);
        group.beforeCommit(axon, this::writeHead);
        if (idempotencyKey != null) {
            PreparedStatement k = st.insertKey;
            k.setLong(1, axon.pk());
            k.setString(2, idempotencyKey);
            k.setLong(3, previous + 1);
            k.setInt(4, drafts.size());
            k.setLong(5, ts);
            k.setLong(6, ts);
            k.setLong(7, requestHash);
            k.executeUpdate();
            group.scratch().put(new KeyRef(axon.pk(), idempotencyKey), new long[] {previous + 1, drafts.size(), ts, requestHash});
        }
        axon.setPendingSeq(seq);
        group.onRollback(() -> axon.setPendingSeq(previous));
        written = events;
        result(results);
    }

    /** Writes the axon's head once per group (the last op on the axon registers last and wins). */
    private Void writeHead(Connection c) throws SQLException {
        statements.updateHead.setLong(1, axon.pendingSeq());
        statements.updateHead.setLong(2, axon.pk());
        statements.updateHead.executeUpdate();
        return null;
    }

    private boolean replayKnownKey(WriterStatements st, WriteGroup group) throws SQLException {
        long[] known = (long[]) group.scratch().get(new KeyRef(axon.pk(), idempotencyKey));
        if (known == null) {
            st.findKey.setLong(1, axon.pk());
            st.findKey.setString(2, idempotencyKey);
            try (ResultSet rs = st.findKey.executeQuery()) {
                if (rs.next()) {
                    long hash = rs.getLong(4);
                    known = new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.wasNull() ? requestHash : hash};
                }
            }
        }
        if (known == null) {
            return false;
        }
        if (known[3] != requestHash) {
            throw new MyelinException(ErrorKind.UNPROCESSABLE, "Idempotency-Key", "Idempotency-Key '" + idempotencyKey
                    + "' was already used on axon " + axon.id() + " for a different request; use a new key");
        }
        List<Appended> results = new ArrayList<>((int) known[1]);
        for (long i = 0; i < known[1]; i++) {
            results.add(new Appended(known[0] + i, known[2]));
        }
        result(results);
        return true;
    }

    @Override
    protected void onCommitted() {
        if (!written.isEmpty()) {
            axon.publishCommitted(written.get(written.size() - 1).sequence());
            fanout.deliver(axon, written);
        }
    }

    /**
     * 64-bit FNV-1a over every field of every draft, with separators: equal requests hash equal, and a
     * different request under the same key is caught with overwhelming probability. Computed only for keyed
     * requests.
     */
    static long fingerprint(List<EventDraft> drafts) {
        long h = 0xcbf29ce484222325L;
        for (EventDraft d : drafts) {
            for (String field : new String[] {d.eventType(), d.origin().name(), d.source(), d.payload()}) {
                for (int i = 0, n = field.length(); i < n; i++) {
                    h = (h ^ field.charAt(i)) * 0x100000001b3L;
                }
                h = (h ^ 0x1f) * 0x100000001b3L;
            }
            h = (h ^ 0x1e) * 0x100000001b3L;
        }
        return h;
    }

    private record KeyRef(long axon, String key) {}
}
