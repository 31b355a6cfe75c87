package io.myelin.storage.sqlite;

import io.myelin.auth.AxonVisibility;
import io.myelin.axon.LiveAxon;
import io.myelin.concurrent.MemoryBudget;
import io.myelin.error.MyelinException;
import io.myelin.idempotency.RequestKey;
import io.myelin.intent.Intent;
import io.myelin.intent.IntentFilter;
import io.myelin.intent.IntentJson;
import io.myelin.intent.IntentPage;
import io.myelin.intent.IntentStore;
import io.myelin.storage.QueuedWrite;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * {@link IntentStore} over the {@code intents} table of {@code myelin.db}: writes are {@link IntentWrites} ops on the
 * group-commit writer (the row and its event in one transaction), reads run on the {@link ReadPool}. Rows of a
 * deleted axon are invisible at once (every query joins live axons) and removed when the axon is purged.
 */
final class SqliteIntentStore implements IntentStore {
    private static final String LIVE = " JOIN axons a ON a.pk = i.axon AND a.deleted_at_ms IS NULL";

    private final GroupCommitWriter writer;
    private final ReadPool reads;
    private final RequestKeyTable keys;
    private final AxonAppender appender;

    SqliteIntentStore(GroupCommitWriter writer, ReadPool reads, RequestKeyTable keys, AxonAppender appender) {
        this.writer = writer;
        this.reads = reads;
        this.keys = keys;
        this.appender = appender;
    }

    @Override
    public Intent create(LiveAxon axon, Intent intent, RequestKey key) {
        return WriteCall.run(writer, new IntentWrites.Create(axon, intent, key, keys, appender));
    }

    @Override
    public Intent find(String id) {
        return reads.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT i.view FROM intents i" + LIVE + " WHERE i.id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? IntentJson.parse(rs.getString(1)) : null;
                }
            }
        });
    }

    @Override
    public QueuedWrite<Intent> change(LiveAxon axon, String id, Change change, RequestKey key) {
        return WriteCall.queue(writer, new IntentWrites.Change(axon, id, change, key, keys, appender));
    }

    @Override
    public List<Due> due(long untilMs, int limit) {
        return reads.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT i.id, a.id, i.due_ms FROM intents i" + LIVE
                    + " WHERE i.due_ms IS NOT NULL AND i.due_ms <= ? ORDER BY i.due_ms, i.pk LIMIT ?")) {
                ps.setLong(1, untilMs);
                ps.setInt(2, limit);
                List<Due> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Due(rs.getString(1), rs.getString(2), rs.getLong(3)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public IntentPage list(IntentFilter f, AxonVisibility visible, long maxPageBytes, MemoryBudget.Lease memory) {
        StringBuilder where = new StringBuilder(" WHERE 1");
        List<Object> args = new ArrayList<>();
        condition(where, args, "a.id = ?", f.axonId());
        condition(where, args, "i.status = ?", f.status() == null ? null : f.status().wire());
        condition(where, args, "i.waiting_for = ?", f.waitingFor() == null ? null : f.waitingFor().wire());
        condition(where, args, "i.assignee = ?", f.assignee());
        condition(where, args, "i.kind = ?", f.kind());
        if (!visible.all()) {
            // One argument however many ids, sorted so the same visibility is the same SQL text and argument.
            condition(where, args, "a.id IN (SELECT value FROM json_each(?))", json(new TreeSet<>(visible.ids())));
        }
        return reads.read(c -> {
            long after = f.startingAfter() == null ? 0 : cursor(c, f.startingAfter());
            List<Intent> rows = new ArrayList<>();
            boolean cut = false;
            long bytes = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT i.view FROM intents i" + LIVE + where
                    + " AND i.pk > ? ORDER BY i.pk LIMIT ?")) {
                int at = bind(ps, args);
                ps.setLong(at++, after);
                ps.setInt(at, f.limit() + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String view = rs.getString(1);
                        if (rows.size() < f.limit() && bytes + view.length() > maxPageBytes && !rows.isEmpty()) {
                            cut = true;
                            break;
                        }
                        rows.add(IntentJson.parse(view));
                        if (rows.size() <= f.limit()) {
                            bytes += view.length();
                        }
                    }
                }
            }
            boolean hasMore = cut || rows.size() > f.limit();
            if (rows.size() > f.limit()) {
                rows = rows.subList(0, f.limit());
            }
            memory.grow(bytes);
            Long total = null;
            if (f.includeTotal()) {
                try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM intents i" + LIVE + where)) {
                    bind(ps, args);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        total = rs.getLong(1);
                    }
                }
            }
            return new IntentPage(rows, hasMore, total);
        });
    }

    private static void condition(StringBuilder where, List<Object> args, String sql, Object value) {
        if (value != null) {
            where.append(" AND ").append(sql);
            args.add(value);
        }
    }

    private static int bind(PreparedStatement ps, List<Object> args) throws SQLException {
        int i = 1;
        for (Object a : args) {
            ps.setObject(i++, a);
        }
        return i;
    }

    private static long cursor(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pk FROM intents WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw MyelinException.invalid("starting_after", "unknown cursor: no intent has id '" + id + "'");
                }
                return rs.getLong(1);
            }
        }
    }

    private static String json(TreeSet<String> ids) {
        com.fasterxml.jackson.databind.node.ArrayNode array = com.fasterxml.jackson.databind.node.JsonNodeFactory
                .instance.arrayNode();
        ids.forEach(array::add);
        return array.toString();
    }
}
