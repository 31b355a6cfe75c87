package io.myelin.storage.sqlite;

import io.myelin.axon.LiveAxon;
import io.myelin.error.MyelinException;
import io.myelin.stream.CommitFeed;
import io.myelin.stream.Event;
import io.myelin.stream.EventDraft;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends events to an axon inside whatever write op holds the group transaction: a publish ({@link AppendOp}) or a
 * state change that must be on the axon's stream in the same transaction (an intent's transition). One place assigns
 * sequences, inserts rows, moves the axon's head, records the outbox's deliveries and, after commit, hands the events
 * to the {@link CommitFeed}.
 *
 * <p>Sequences come from {@link LiveAxon#pendingSeq()}, which only the writer thread touches; a rolled-back op restores
 * it, so sequences never skip. Confined to the writer thread.
 */
final class AxonAppender {
    private final WriterStatements statements = new WriterStatements();
    private final CommitFeed.Listener feed;
    private final Outbox outbox;

    AxonAppender(CommitFeed.Listener feed, Outbox outbox) {
        this.feed = feed;
        this.outbox = outbox;
    }

    /**
     * Inserts {@code drafts} as the axon's next sequences, all stamped with the group's clock.
     *
     * @throws MyelinException 404 when the axon was deleted
     */
    List<Event> append(Connection c, WriteGroup group, LiveAxon axon, List<EventDraft> drafts) throws SQLException {
        if (axon.deleted()) {
            throw MyelinException.notFound("axon", axon.id());
        }
        WriterStatements st = statements.on(c);
        long previous = axon.pendingSeq();
        long ts = group.nowMs();
        List<Event> events = new ArrayList<>(drafts.size());
        long seq = previous;
        for (EventDraft d : drafts) {
            seq++;
            events.add(new Event(axon.id(), seq, d.eventType(), d.origin(), d.source(), d.payload(), ts));
        }
        st.insert(axon.pk(), events);
        group.beforeCommit(axon, conn -> writeHead(axon));
        axon.setPendingSeq(seq);
        group.onRollback(() -> axon.setPendingSeq(previous));
        outbox.appended(c, group, axon, events);
        return events;
    }

    /** The group holding {@code events} is durable: subscribers and deliverers may see them. */
    void committed(LiveAxon axon, List<Event> events) {
        if (!events.isEmpty()) {
            feed.committed(axon, events);
            outbox.committed();
        }
    }

    /** Writes the axon's head once per group (the last op on the axon registers last and wins). */
    private Void writeHead(LiveAxon axon) throws SQLException {
        statements.updateHead.setLong(1, axon.pendingSeq());
        statements.updateHead.setLong(2, axon.pk());
        statements.updateHead.executeUpdate();
        return null;
    }
}
