package io.myelin.storage.sqlite;

import io.myelin.axon.Axon;
import io.myelin.axon.AxonFilter;
import io.myelin.axon.AxonPage;
import io.myelin.concurrent.MemoryBudget;
import io.myelin.error.MyelinException;
import io.myelin.text.JsonSize;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns an {@link AxonFilter} into SQL over the axons table. Pages walk the primary key in creation order, so a
 * page costs a seek to the cursor plus the rows it returns, however many axons exist. The cursor is an axon id;
 * it is translated to its row key through the unique index on id (tombstones of deleted axons keep old cursors
 * valid).
 */
final class AxonListQuery {
    private final AxonFilter f;
    private final StringBuilder where = new StringBuilder(" WHERE deleted_at_ms IS NULL");
    private final List<Object> args = new ArrayList<>();
    private final long liveCount;
    private final ListCounts counts;

    /**
     * @param visibleIds a JSON array of the only axon ids the caller may see, or null when it may see all
     * @param liveCount  axons alive right now: the total when no filter applies, so it needs no count query
     */
    AxonListQuery(AxonFilter filter, String visibleIds, long liveCount, ListCounts counts) {
        this.f = filter;
        this.liveCount = liveCount;
        this.counts = counts;
        if (visibleIds != null) {
            // One argument however many ids: json_each walks the array (a list of ? would meet SQLite's variable cap).
            where.append(" AND id IN (SELECT value FROM json_each(?))");
            args.add(visibleIds);
        }
        if (f.id() != null) {
            where.append(" AND id = ?");
            args.add(f.id());
        }
        if (f.namePrefix() != null && !f.namePrefix().isEmpty()) {
            where.append(" AND substr(name, 1, ?) = ?");
            args.add(f.namePrefix().length());
            args.add(f.namePrefix());
        }
        if (f.search() != null && !f.search().isEmpty()) {
            where.append(" AND (instr(id, ?) > 0 OR instr(coalesce(name, ''), ?) > 0)");
            args.add(f.search());
            args.add(f.search());
        }
        if (f.metadataEquals() != null) {
            for (Map.Entry<String, String> e : f.metadataEquals().entrySet()) {
                where.append(" AND ").append(metadataValue(e.getKey())).append(" = ?");
                args.add(e.getValue());
            }
        }
        if (f.metadataIn() != null) {
            for (Map.Entry<String, List<String>> e : f.metadataIn().entrySet()) {
                where.append(" AND ").append(metadataValue(e.getKey())).append(" IN (");
                for (int i = 0; i < e.getValue().size(); i++) {
                    where.append(i == 0 ? "?" : ", ?");
                    args.add(e.getValue().get(i));
                }
                where.append(")");
            }
        }
    }

    /**
     * SQL for one metadata value, bound as a parameter. {@code json_extract} with a quoted path is several times
     * cheaper per row than a {@code json_each} scan; keys that a JSON path cannot quote safely fall back to it.
     */
    private String metadataValue(String key) {
        if (key.indexOf('"') < 0 && key.indexOf('\\') < 0) {
            args.add("$.\"" + key + "\"");
            return "json_extract(metadata, ?)";
        }
        args.add(key);
        return "(SELECT j.value FROM json_each(axons.metadata) j WHERE j.key = ?)";
    }

    /**
     * One page: at most {@code limit} axons, and no more once {@code maxBytes} of encoded axons were read (at least
     * one if any match); {@code memory} grows by the page's encoded size.
     */
    AxonPage run(Connection c, SqliteAxonStore.RowMapper mapper, long maxBytes, MemoryBudget.Lease memory) throws SQLException {
        long after = 0;
        if (f.startingAfter() != null) {
            after = cursorKey(c, f.startingAfter());
        }
        List<Axon> rows;
        String sql = "SELECT id, name, metadata, created_at_ms FROM axons" + where + " AND pk > ? ORDER BY pk LIMIT ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = bind(ps);
            ps.setLong(i++, after);
            ps.setInt(i, f.limit() + 1);
            rows = new ArrayList<>();
            boolean cut = false;
            long bytes = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Axon a = mapper.map(rs);
                    long size = encodedSize(a);
                    if (rows.size() < f.limit() && bytes + size > maxBytes && !rows.isEmpty()) {
                        cut = true;
                        break;
                    }
                    rows.add(a);
                    if (rows.size() <= f.limit()) {
                        bytes += size;
                    }
                }
            }
            boolean hasMore = cut || rows.size() > f.limit();
            if (rows.size() > f.limit()) {
                rows = rows.subList(0, f.limit());
            }
            memory.grow(bytes);
            return finish(c, rows, hasMore);
        }
    }

    /** Bytes of the axon as JSON (AxonView). */
    static long encodedSize(Axon a) {
        long n = 64 + JsonSize.string(a.id()) + JsonSize.string(a.name());
        for (Map.Entry<String, String> e : a.metadata().entrySet()) {
            n += 2 + JsonSize.string(e.getKey()) + JsonSize.string(e.getValue());
        }
        return n;
    }

    private AxonPage finish(Connection c, List<Axon> rows, boolean hasMore) throws SQLException {
        Long total = null;
        if (f.includeTotal() && args.isEmpty()) {
            total = liveCount;
        } else if (f.includeTotal()) {
            total = count(c);
        }
        return new AxonPage(List.copyOf(rows), hasMore, total);
    }

    private long count(Connection c) throws SQLException {
        String key = where + "\u0000" + args;
        long generation = counts.generation();
        long cached = counts.get(key, generation);
        if (cached >= 0) {
            return cached;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM axons" + where)) {
            bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long n = rs.getLong(1);
                counts.put(key, generation, n);
                return n;
            }
        }
    }

    private int bind(PreparedStatement ps) throws SQLException {
        int i = 1;
        for (Object a : args) {
            ps.setObject(i++, a);
        }
        return i;
    }

    private static long cursorKey(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pk FROM axons WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw MyelinException.invalid("starting_after", "unknown cursor: no axon has id '" + id + "'");
                }
                return rs.getLong(1);
            }
        }
    }
}
