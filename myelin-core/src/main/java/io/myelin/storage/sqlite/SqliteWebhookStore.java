package io.myelin.storage.sqlite;

import io.myelin.axon.LiveAxon;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.stream.Event;
import io.myelin.stream.Origin;
import io.myelin.webhook.AttemptOutcome;
import io.myelin.webhook.Delivery;
import io.myelin.webhook.DeliveryPage;
import io.myelin.webhook.DeliveryStatus;
import io.myelin.webhook.DueDelivery;
import io.myelin.webhook.EventTypeFilter;
import io.myelin.idempotency.RequestKey;
import io.myelin.webhook.NewWebhook;
import io.myelin.webhook.Webhook;
import io.myelin.webhook.WebhookIds;
import io.myelin.webhook.WebhookPage;
import io.myelin.webhook.WebhookStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@link WebhookStore} over tables {@code webhooks} and {@code webhook_deliveries} (migration V9), and the
 * {@link Outbox} every append passes: {@link #appended} inserts one pending delivery per event and matching webhook,
 * inside the op's savepoint, so deliveries commit or roll back with their events.
 *
 * <p>Matching runs against a {@link WebhookSnapshot} in memory, which only the webhook create and delete ops change
 * (on the writer thread, undone with their savepoint): an append that matches no webhook reads and writes nothing.
 * The ids of webhooks that got deliveries in a group are handed to the listener after the commit.
 *
 * <p>Threading: the {@code WebhookStore} methods may be called from any thread (writes through the writer, reads
 * through the read pool); the {@code Outbox} methods and everything they touch are confined to the writer thread.
 */
final class SqliteWebhookStore implements WebhookStore, Outbox {
    private static final String INSERT_DELIVERY = "INSERT INTO webhook_deliveries(id, webhook_pk, axon_id, sequence,"
            + " event_type, status, attempts, next_attempt_at_ms, created_at_ms) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?)";
    private static final String FROM_DELIVERIES = " FROM webhook_deliveries d JOIN webhooks w ON w.pk = d.webhook_pk";

    private final GroupCommitWriter writer;
    private final ReadPool reads;
    private final RequestKeyTable keys;
    private final WebhookSnapshot snapshot = new WebhookSnapshot();
    private final Set<String> touched = new HashSet<>();
    private Connection insertOwner;
    private PreparedStatement insertDelivery;
    private volatile Consumer<Set<String>> listener = ids -> {};

    SqliteWebhookStore(GroupCommitWriter writer, ReadPool reads, RequestKeyTable keys) {
        this.keys = keys;
        this.writer = writer;
        this.reads = reads;
    }

    /** Fills the snapshot from the table, on the writer thread, before any append can need it. */
    void loadSnapshot() {
        WriteCall.run(writer, new WriteCall<Boolean>() {
            @Override
            public void apply(Connection c, WriteGroup g) throws SQLException {
                try (PreparedStatement ps = c.prepareStatement("SELECT pk, id, axon_id, event_types FROM webhooks");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        snapshot.add(new WebhookSnapshot.Hook(rs.getLong(1), rs.getString(2), rs.getString(3),
                                EventTypeFilter.of(WebhookRows.eventTypes(rs.getString(4)))));
                    }
                }
                result(Boolean.TRUE);
            }
        });
    }

    @Override
    public void appended(Connection c, WriteGroup group, LiveAxon axon, List<Event> events) throws SQLException {
        if (snapshot.isEmpty()) {
            return;
        }
        List<WebhookSnapshot.Hook> everyAxon = snapshot.everyAxon();
        List<WebhookSnapshot.Hook> own = snapshot.forAxon(axon.id());
        if (everyAxon.isEmpty() && own == null) {
            return;
        }
        for (Event e : events) {
            for (WebhookSnapshot.Hook h : everyAxon) {
                record(c, h, e);
            }
            if (own != null) {
                for (WebhookSnapshot.Hook h : own) {
                    record(c, h, e);
                }
            }
        }
    }

    private void record(Connection c, WebhookSnapshot.Hook hook, Event e) throws SQLException {
        if (!hook.filter().matches(e.eventType())) {
            return;
        }
        if (insertOwner != c) {
            insertOwner = c;
            insertDelivery = c.prepareStatement(INSERT_DELIVERY);
        }
        insertDelivery.setString(1, WebhookIds.delivery());
        insertDelivery.setLong(2, hook.pk());
        insertDelivery.setString(3, e.axonId());
        insertDelivery.setLong(4, e.sequence());
        insertDelivery.setString(5, e.eventType());
        insertDelivery.setLong(6, e.timestampMs());
        insertDelivery.setLong(7, e.timestampMs());
        insertDelivery.executeUpdate();
        touched.add(hook.id()); // an op rolled back afterwards leaves a spurious id: the sender finds nothing, fine
    }

    @Override
    public void committed() {
        if (touched.isEmpty()) {
            return;
        }
        Set<String> ids = Set.copyOf(touched);
        touched.clear();
        listener.accept(ids);
    }

    @Override
    public void onDeliveriesAdded(Consumer<Set<String>> listener) {
        this.listener = listener;
    }

    @Override
    public NewWebhook create(Webhook w, String secret, int maxWebhooks, RequestKey key) {
        return WriteCall.run(writer, new KeyedWrite<NewWebhook>(keys, "", key, WebhookRows.CREATED) {
            @Override
            protected NewWebhook applyOnce(Connection c, WriteGroup g) throws SQLException {
                try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM webhooks");
                     ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getLong(1) >= maxWebhooks) {
                        throw new MyelinException(ErrorKind.CONFLICT, null, maxWebhooks + " webhooks exist, the limit"
                                + " (webhooks.max-webhooks): delete one first");
                    }
                }
                long pk;
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhooks(id, url, event_types, axon_id,"
                        + " secret, created_at_ms) VALUES (?, ?, ?, ?, ?, ?) RETURNING pk")) {
                    ps.setString(1, w.id());
                    ps.setString(2, w.url());
                    ps.setString(3, WebhookRows.eventTypesJson(w.eventTypes()));
                    ps.setString(4, w.axonId());
                    ps.setString(5, secret);
                    ps.setLong(6, w.createdAtMs());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        pk = rs.getLong(1);
                    }
                }
                snapshot.add(new WebhookSnapshot.Hook(pk, w.id(), w.axonId(), EventTypeFilter.of(w.eventTypes())));
                g.onRollback(() -> snapshot.remove(pk));
                return new NewWebhook(w, secret);
            }
        });
    }

    @Override
    public boolean delete(String id) {
        return WriteCall.run(writer, new WriteCall<Boolean>() {
            @Override
            public void apply(Connection c, WriteGroup g) throws SQLException {
                Long pk = webhookPk(c, id);
                if (pk == null) {
                    result(Boolean.FALSE);
                    return;
                }
                for (String sql : new String[] {"DELETE FROM webhook_deliveries WHERE webhook_pk = ?",
                        "DELETE FROM webhooks WHERE pk = ?"}) {
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        ps.setLong(1, pk);
                        ps.executeUpdate();
                    }
                }
                WebhookSnapshot.Hook removed = snapshot.remove(pk);
                if (removed != null) {
                    g.onRollback(() -> snapshot.add(removed));
                }
                result(Boolean.TRUE);
            }
        });
    }

    @Override
    public Webhook get(String id) {
        return reads.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + WebhookRows.WEBHOOK_COLUMNS
                    + " FROM webhooks w WHERE w.id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? WebhookRows.webhook(rs, 1) : null;
                }
            }
        });
    }

    @Override
    public WebhookPage list(String startingAfter, int limit) {
        return reads.read(c -> {
            long after = 0;
            if (startingAfter != null) {
                Long pk = webhookPk(c, startingAfter);
                if (pk == null) {
                    throw MyelinException.invalid("starting_after", "starting_after names no webhook: " + startingAfter);
                }
                after = pk;
            }
            List<Webhook> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + WebhookRows.WEBHOOK_COLUMNS
                    + " FROM webhooks w WHERE w.pk > ? ORDER BY w.pk LIMIT ?")) {
                ps.setLong(1, after);
                ps.setInt(2, limit + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(WebhookRows.webhook(rs, 1));
                    }
                }
            }
            boolean more = out.size() > limit;
            return new WebhookPage(more ? out.subList(0, limit) : out, more);
        });
    }

    @Override
    public DeliveryPage deliveries(String webhookId, DeliveryStatus status, String startingAfter, int limit) {
        return reads.read(c -> {
            Long hook = webhookPk(c, webhookId);
            if (hook == null) {
                return null;
            }
            long after = 0;
            if (startingAfter != null) {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT pk FROM webhook_deliveries WHERE id = ? AND webhook_pk = ?")) {
                    ps.setString(1, startingAfter);
                    ps.setLong(2, hook);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw MyelinException.invalid("starting_after", "starting_after names no delivery of "
                                    + webhookId + ": " + startingAfter);
                        }
                        after = rs.getLong(1);
                    }
                }
            }
            List<Delivery> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + WebhookRows.DELIVERY_COLUMNS + FROM_DELIVERIES
                    + " WHERE d.webhook_pk = ?" + (status == null ? "" : " AND d.status = ?")
                    + " AND d.pk > ? ORDER BY d.pk LIMIT ?")) {
                int i = 1;
                ps.setLong(i++, hook);
                if (status != null) {
                    ps.setString(i++, status.wireName());
                }
                ps.setLong(i++, after);
                ps.setInt(i, limit + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(WebhookRows.delivery(rs, 1));
                    }
                }
            }
            boolean more = out.size() > limit;
            return new DeliveryPage(more ? out.subList(0, limit) : out, more);
        });
    }

    @Override
    public Delivery retry(String webhookId, String deliveryId, long nowMs) {
        return WriteCall.run(writer, new WriteCall<Delivery>() {
            @Override
            public void apply(Connection c, WriteGroup g) throws SQLException {
                try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_deliveries SET status = 'pending',"
                        + " attempts = 0, next_attempt_at_ms = ?, delivered_at_ms = NULL"
                        + " WHERE id = ? AND webhook_pk = (SELECT pk FROM webhooks WHERE id = ?)")) {
                    ps.setLong(1, nowMs);
                    ps.setString(2, deliveryId);
                    ps.setString(3, webhookId);
                    if (ps.executeUpdate() == 0) {
                        result(null);
                        return;
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT " + WebhookRows.DELIVERY_COLUMNS
                        + FROM_DELIVERIES + " WHERE d.id = ?")) {
                    ps.setString(1, deliveryId);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        result(WebhookRows.delivery(rs, 1));
                    }
                }
            }
        });
    }

    @Override
    public List<String> webhooksWithPending() {
        return reads.read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT w.id FROM webhooks w WHERE EXISTS (SELECT 1 FROM"
                    + " webhook_deliveries d WHERE d.webhook_pk = w.pk AND d.status = 'pending')");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    @Override
    public DueDelivery oldestPending(String webhookId) {
        return reads.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + WebhookRows.DELIVERY_COLUMNS
                    + ", w.url, w.secret, e.origin, e.source, e.payload, e.ts" + FROM_DELIVERIES
                    + " LEFT JOIN axons a ON a.id = d.axon_id LEFT JOIN events e ON e.axon = a.pk AND e.seq = d.sequence"
                    + " WHERE w.id = ? AND d.status = 'pending' ORDER BY d.pk LIMIT 1")) {
                ps.setString(1, webhookId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    Delivery d = WebhookRows.delivery(rs, 1);
                    int at = WebhookRows.DELIVERY_COLUMN_COUNT + 1;
                    String origin = rs.getString(at + 2);
                    Event event = origin == null ? null : new Event(d.axonId(), d.sequence(), d.eventType(),
                            Origin.valueOf(origin), rs.getString(at + 3), rs.getString(at + 4), rs.getLong(at + 5));
                    return new DueDelivery(d, rs.getString(at), rs.getString(at + 1), event);
                }
            }
        });
    }

    @Override
    public void recordAttempt(AttemptOutcome o) {
        WriteCall.run(writer, new WriteCall<Boolean>() {
            @Override
            public void apply(Connection c, WriteGroup g) throws SQLException {
                try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_deliveries SET status = ?, attempts = ?,"
                        + " next_attempt_at_ms = ?, last_attempt_at_ms = ?, last_response_status = ?, last_error = ?,"
                        + " delivered_at_ms = ? WHERE id = ? AND status = 'pending' AND attempts = ?")) {
                    ps.setString(1, o.status().wireName());
                    ps.setInt(2, o.attempts());
                    setNullable(ps, 3, o.nextAttemptAtMs());
                    ps.setLong(4, o.attemptedAtMs());
                    setNullable(ps, 5, o.lastResponseStatus() == null ? null : o.lastResponseStatus().longValue());
                    ps.setString(6, o.lastError());
                    setNullable(ps, 7, o.status() == DeliveryStatus.DELIVERED ? o.attemptedAtMs() : null);
                    ps.setString(8, o.deliveryId());
                    ps.setInt(9, o.attempts() - 1);
                    result(ps.executeUpdate() > 0);
                }
            }
        });
    }

    private static void setNullable(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setLong(index, value);
        }
    }

    private static Long webhookPk(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pk FROM webhooks WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }
}
