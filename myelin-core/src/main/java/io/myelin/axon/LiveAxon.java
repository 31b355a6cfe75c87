package io.myelin.axon;

/**
 * The in-memory index entry of one live axon: all the engine keeps for an axon nobody is using. Its storage key,
 * its id, and the head of its event stream.
 *
 * <p>Threading: {@link #committedSeq} is written by the {@link io.myelin.stream.CommitFeed} listener after a commit
 * and read by anyone. {@link #pendingSeq} belongs to the one-node storage adapter and is confined to its writer
 * thread: it runs ahead of the committed head while a group transaction is open and is put back if the group rolls
 * back. On many nodes the index is each node's cache of the shared axons table, kept current by the commit feed.
 */
public final class LiveAxon {
    private final long pk;
    private final String id;
    private volatile long committedSeq;
    private volatile boolean deleted;
    private long pendingSeq;

    public LiveAxon(long pk, String id, long committedSeq) {
        this.pk = pk;
        this.id = id;
        this.committedSeq = committedSeq;
        this.pendingSeq = committedSeq;
    }

    /** The storage key (the row number in the axons table); never shown to clients. */
    public long pk() {
        return pk;
    }

    public String id() {
        return id;
    }

    /** Highest sequence whose event is durable; 0 when the axon has no events. */
    public long committedSeq() {
        return committedSeq;
    }

    public boolean deleted() {
        return deleted;
    }

    // ---- the one-node adapter's writer thread only ----

    public long pendingSeq() {
        return pendingSeq;
    }

    public void setPendingSeq(long seq) {
        this.pendingSeq = seq;
    }

    public void publishCommitted(long seq) {
        this.committedSeq = seq;
    }

    void markDeleted() {
        this.deleted = true;
    }
}
