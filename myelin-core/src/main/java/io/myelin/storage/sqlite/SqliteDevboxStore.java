package io.myelin.storage.sqlite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.myelin.auth.AxonVisibility;
import io.myelin.concurrent.MemoryBudget;
import io.myelin.devbox.Devbox;
import io.myelin.devbox.DevboxFilter;
import io.myelin.devbox.DevboxPage;
import io.myelin.devbox.DevboxSpec;
import io.myelin.devbox.DevboxStatus;
import io.myelin.devbox.DevboxStore;
import io.myelin.devbox.StateTransition;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.idempotency.RequestKey;
import io.myelin.storage.QueuedWrite;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * {@link DevboxStore} over the {@code devboxes} table. A devbox's spec and history are JSON columns (written and read
 * only here); its status is the enum's name. Creates are {@link KeyedWrite}s in the request-key scope {@code ''},
 * like axon creates (the fingerprint covers the path, so one key cannot name both).
 */
final class SqliteDevboxStore implements DevboxStore {
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final TypeReference<List<StateTransition>> TRANSITIONS = new TypeReference<>() {};
    private static final String COLUMNS = "id, spec, status, create_time_ms, end_time_ms, shutdown_reason,"
            + " failure_reason, transitions";

    /** Stored results of keyed creates: the devbox as the request answered it. */
    private static final ResultCodec<Devbox> CODEC = new ResultCodec<>() {
        @Override
        public byte[] encode(Devbox d) {
            try {
                return JSON.writeValueAsBytes(d);
            } catch (JsonProcessingException e) {
                throw new MyelinException(ErrorKind.INTERNAL, null, "cannot encode devbox: " + e.getMessage(), e);
            }
        }

        @Override
        public Devbox decode(byte[] stored) {
            try {
                return JSON.readValue(stored, Devbox.class);
            } catch (java.io.IOException e) {
                throw new MyelinException(ErrorKind.INTERNAL, null, "stored devbox result is unreadable: " + e.getMessage(), e);
            }
        }
    };

    private final GroupCommitWriter writer;
    private final ReadPool reads;
    private final RequestKeyTable keys;

    SqliteDevboxStore(GroupCommitWriter writer, ReadPool reads, RequestKeyTable keys) {
        this.writer = writer;
        this.reads = reads;
        this.keys = keys;
    }

    @Override
    public List<Devbox> loadUnfinished() {
        return reads.read(c -> {
            List<Devbox> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM devboxes WHERE status <> 'SHUTDOWN' ORDER BY pk");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        });
    }

    @Override
    public Devbox create(String id, DevboxSpec spec, RequestKey key, Consumer<Devbox> created) {
        String specJson = json(spec);
        String axonsJson = json(spec.mountedAxons());
        return WriteCall.run(writer, new KeyedWrite<Devbox>(keys, "", key, CODEC) {
            private Devbox devbox;

            @Override
            protected Devbox applyOnce(Connection c, WriteGroup g) throws SQLException {
                List<StateTransition> history = List.of(new StateTransition(DevboxStatus.PROVISIONING, g.nowMs(), null));
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO devboxes(id, spec, mounted_axons, status,"
                        + " create_time_ms, transitions) VALUES (?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, id);
                    ps.setString(2, specJson);
                    ps.setString(3, axonsJson);
                    ps.setString(4, DevboxStatus.PROVISIONING.name());
                    ps.setLong(5, g.nowMs());
                    ps.setString(6, json(history));
                    ps.executeUpdate();
                }
                devbox = new Devbox(id, spec, DevboxStatus.PROVISIONING, g.nowMs(), null, history, null, null);
                return devbox;
            }

            @Override
            protected void onCommitted() {
                if (!replayed()) {
                    created.accept(devbox);
                }
            }
        });
    }

    @Override
    public Devbox transition(String id, DevboxStatus to, String shutdownReason, String failureReason) {
        return WriteCall.run(writer, moves(id, List.of(to), shutdownReason, failureReason));
    }

    @Override
    public QueuedWrite<Devbox> transitionQueued(String id, List<DevboxStatus> path) {
        return WriteCall.queue(writer, moves(id, path, null, null));
    }

    /** One write that moves the devbox through {@code path} in order, each move in its history. */
    private WriteCall<Devbox> moves(String id, List<DevboxStatus> path, String shutdownReason, String failureReason) {
        if (path.isEmpty()) {
            throw new IllegalArgumentException("a devbox moves through at least one status");
        }
        return new WriteCall<Devbox>() {
            @Override
            public void apply(Connection c, WriteGroup g) throws SQLException {
                Devbox before;
                try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM devboxes WHERE id = ?")) {
                    ps.setString(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw MyelinException.notFound("devbox", id);
                        }
                        before = row(rs);
                    }
                }
                DevboxStatus to = path.get(path.size() - 1);
                List<StateTransition> history = new ArrayList<>(before.stateTransitions());
                for (int i = 0; i < path.size(); i++) {
                    history.add(new StateTransition(path.get(i), g.nowMs(), i == path.size() - 1 ? failureReason : null));
                }
                if (history.size() > Devbox.MAX_TRANSITIONS) {
                    history = history.subList(history.size() - Devbox.MAX_TRANSITIONS, history.size());
                }
                Long end = to == DevboxStatus.SHUTDOWN ? Long.valueOf(g.nowMs()) : before.endTimeMs();
                String shut = shutdownReason != null ? shutdownReason : before.shutdownReason();
                String failed = failureReason != null ? failureReason : before.failureReason();
                try (PreparedStatement ps = c.prepareStatement("UPDATE devboxes SET status = ?, end_time_ms = ?,"
                        + " shutdown_reason = ?, failure_reason = ?, transitions = ? WHERE id = ?")) {
                    ps.setString(1, to.name());
                    ps.setObject(2, end);
                    ps.setString(3, shut);
                    ps.setString(4, failed);
                    ps.setString(5, json(history));
                    ps.setString(6, id);
                    ps.executeUpdate();
                }
                result(new Devbox(id, before.spec(), to, before.createTimeMs(), end, history, shut, failed));
            }
        };
    }

    @Override
    public Devbox get(String id) {
        return reads.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM devboxes WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? row(rs) : null;
                }
            }
        });
    }

    @Override
    public DevboxPage list(DevboxFilter filter, AxonVisibility visible, long maxPageBytes, MemoryBudget.Lease memory) {
        StringBuilder where = new StringBuilder(" WHERE 1");
        List<Object> args = new ArrayList<>();
        if (filter.status() != null) {
            where.append(" AND status = ?");
            args.add(filter.status().name());
        }
        if (!visible.all()) {
            // Visible: at least one mount, and every mount on an axon the caller may see. One argument however
            // many ids (json_each), sorted so the same visibility is the same SQL text and argument.
            where.append(" AND json_array_length(mounted_axons) > 0 AND NOT EXISTS (SELECT 1 FROM"
                    + " json_each(devboxes.mounted_axons) m WHERE m.value NOT IN (SELECT value FROM json_each(?)))");
            args.add(json(new TreeSet<>(visible.ids())));
        }
        return reads.read(c -> {
            long after = filter.startingAfter() == null ? 0 : cursorKey(c, filter.startingAfter());
            List<Devbox> rows = new ArrayList<>();
            boolean cut = false;
            long bytes = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", length(spec) + length(transitions)"
                    + " FROM devboxes" + where + " AND pk > ? ORDER BY pk LIMIT ?")) {
                int i = bind(ps, args);
                ps.setLong(i++, after);
                ps.setInt(i, filter.limit() + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        // Stored JSON is about as long as its rendering; the fixed part covers ids, times, statuses.
                        long size = 512 + rs.getLong(9);
                        if (rows.size() < filter.limit() && bytes + size > maxPageBytes && !rows.isEmpty()) {
                            cut = true;
                            break;
                        }
                        rows.add(row(rs));
                        if (rows.size() <= filter.limit()) {
                            bytes += size;
                        }
                    }
                }
            }
            boolean hasMore = cut || rows.size() > filter.limit();
            if (rows.size() > filter.limit()) {
                rows = rows.subList(0, filter.limit());
            }
            memory.grow(bytes);
            Long total = null;
            if (filter.includeTotal()) {
                try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM devboxes" + where)) {
                    bind(ps, args);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        total = rs.getLong(1);
                    }
                }
            }
            return new DevboxPage(rows, hasMore, total);
        });
    }

    private static int bind(PreparedStatement ps, List<Object> args) throws SQLException {
        int i = 1;
        for (Object a : args) {
            ps.setObject(i++, a);
        }
        return i;
    }

    private static long cursorKey(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pk FROM devboxes WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw MyelinException.invalid("starting_after", "unknown cursor: no devbox has id '" + id + "'");
                }
                return rs.getLong(1);
            }
        }
    }

    private static Devbox row(ResultSet rs) throws SQLException {
        long end = rs.getLong(5);
        Long endTime = rs.wasNull() ? null : end;
        return new Devbox(rs.getString(1), read(rs.getString(2), DevboxSpec.class), DevboxStatus.valueOf(rs.getString(3)),
                rs.getLong(4), endTime, read(rs.getString(8), TRANSITIONS), rs.getString(6), rs.getString(7));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new MyelinException(ErrorKind.INTERNAL, null, "cannot encode devbox data: " + e.getMessage(), e);
        }
    }

    private static <T> T read(String text, Class<T> type) {
        try {
            return JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new MyelinException(ErrorKind.INTERNAL, null, "stored devbox data is unreadable: " + e.getMessage(), e);
        }
    }

    private static <T> T read(String text, TypeReference<T> type) {
        try {
            return JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new MyelinException(ErrorKind.INTERNAL, null, "stored devbox data is unreadable: " + e.getMessage(), e);
        }
    }
}
