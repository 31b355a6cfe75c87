package io.myelin.storage.sqlite;

import io.myelin.axon.LiveAxon;
import io.myelin.error.MyelinException;
import io.myelin.idempotency.RequestKey;
import io.myelin.intent.Intent;
import io.myelin.intent.IntentJson;
import io.myelin.intent.IntentStore;
import io.myelin.intent.Step;
import io.myelin.stream.Event;
import io.myelin.stream.EventDraft;
import io.myelin.stream.Origin;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The writes of {@link SqliteIntentStore}: each stores an intent's row and appends its {@code intent.*} event in one
 * op, so both commit or neither does. A retry under the same request key answers the stored intent (as the first
 * attempt left it) and writes nothing.
 */
final class IntentWrites {
    /** A request key's stored answer: the intent's view, as the first attempt returned it. */
    static final ResultCodec<Intent> CODEC = new ResultCodec<>() {
        @Override
        public byte[] encode(Intent value) {
            return IntentJson.text(value).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public Intent decode(byte[] stored) {
            return IntentJson.parse(new String(stored, StandardCharsets.UTF_8));
        }
    };
    static final String SOURCE = "myelin";

    private IntentWrites() {}

    /** Inserts a new intent and appends {@code intent.created}. */
    static final class Create extends KeyedWrite<Intent> {
        private final LiveAxon axon;
        private final Intent intent;
        private final AxonAppender appender;
        private List<Event> written = List.of();

        Create(LiveAxon axon, Intent intent, RequestKey key, RequestKeyTable keys, AxonAppender appender) {
            super(keys, axon.id(), key, CODEC);
            this.axon = axon;
            this.intent = intent;
            this.appender = appender;
        }

        @Override
        protected Intent applyOnce(Connection c, WriteGroup group) throws SQLException {
            String view = IntentJson.text(intent);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO intents(id, axon, status, waiting_for, kind,"
                    + " assignee, due_ms, view) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, intent.id());
                ps.setLong(2, axon.pk());
                bindState(ps, 3, intent, view);
                ps.executeUpdate();
            }
            written = appender.append(c, group, axon, List.of(event("intent.created", view)));
            return intent;
        }

        @Override
        protected void onCommitted() {
            if (!replayed()) {
                appender.committed(axon, written);
            }
        }
    }

    /** Runs a {@link IntentStore.Change} on the row as it is, then stores the step and appends its event. */
    static final class Change extends KeyedWrite<Intent> {
        private final LiveAxon axon;
        private final String id;
        private final IntentStore.Change change;
        private final AxonAppender appender;
        private List<Event> written = List.of();

        Change(LiveAxon axon, String id, IntentStore.Change change, RequestKey key, RequestKeyTable keys,
               AxonAppender appender) {
            super(keys, axon.id(), key, CODEC);
            this.axon = axon;
            this.id = id;
            this.change = change;
            this.appender = appender;
        }

        @Override
        protected Intent applyOnce(Connection c, WriteGroup group) throws SQLException {
            Intent current;
            try (PreparedStatement ps = c.prepareStatement("SELECT view FROM intents WHERE id = ? AND axon = ?")) {
                ps.setString(1, id);
                ps.setLong(2, axon.pk());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || axon.deleted()) {
                        throw MyelinException.notFound("intent", id);
                    }
                    current = IntentJson.parse(rs.getString(1));
                }
            }
            Step step = change.apply(current, group.nowMs());
            if (step == null) {
                return current;
            }
            Intent next = step.next();
            String view = IntentJson.text(next);
            try (PreparedStatement ps = c.prepareStatement("UPDATE intents SET status = ?, waiting_for = ?, kind = ?,"
                    + " assignee = ?, due_ms = ?, view = ? WHERE id = ?")) {
                bindState(ps, 1, next, view);
                ps.setString(7, id);
                ps.executeUpdate();
            }
            written = appender.append(c, group, axon, List.of(event(step.eventType(), view)));
            return next;
        }

        @Override
        protected void onCommitted() {
            if (!replayed()) {
                appender.committed(axon, written);
            }
        }
    }

    /** The event carrying {@code view}, the intent's JSON text: the same text as its row, rendered once. */
    private static EventDraft event(String type, String view) {
        return new EventDraft(type, Origin.SYSTEM_EVENT, SOURCE, view);
    }

    /** Binds status, waiting_for, kind, assignee, due_ms and view ({@code i} rendered) from {@code at}. */
    private static void bindState(PreparedStatement ps, int at, Intent i, String view) throws SQLException {
        ps.setString(at, i.status().wire());
        ps.setString(at + 1, i.waitingFor().wire());
        ps.setString(at + 2, i.kind());
        ps.setString(at + 3, i.assignee());
        Long due = i.dueAtMs();
        if (due == null) {
            ps.setNull(at + 4, java.sql.Types.INTEGER);
        } else {
            ps.setLong(at + 4, due);
        }
        ps.setString(at + 5, view);
    }
}
