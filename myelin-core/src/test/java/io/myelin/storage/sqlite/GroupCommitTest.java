package io.myelin.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.myelin.auth.AccessPolicy;
import io.myelin.auth.Caller;
import io.myelin.axon.AxonLimits;
import io.myelin.stream.Appended;
import io.myelin.stream.Event;
import io.myelin.stream.EventDraft;
import io.myelin.stream.EventLog;
import io.myelin.stream.EventPage;
import io.myelin.stream.Origin;
import io.myelin.stream.StreamLimits;
import io.myelin.axon.Axons;
import io.myelin.idempotency.Fingerprint;
import io.myelin.idempotency.Idempotency;
import io.myelin.idempotency.RequestKey;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer's group transactions: grouping, and rollback without sequence holes. */
class GroupCommitTest {
    @TempDir
    Path dir;
    SqliteStores storage;
    Axons axons;
    EventLog log;

    @BeforeEach
    void open() {
        storage = SqliteStores.open(StorageOptions.defaults(dir));
        axons = Axons.load(storage.axons(), AxonLimits.DEFAULTS, new AccessPolicy());
        log = new EventLog(storage.events(), storage.commits(), axons, StreamLimits.DEFAULTS);
    }

    @AfterEach
    void close() {
        log.close();
        storage.close();
    }

    Idempotency idempotency() {
        return new Idempotency(storage.requests(), StreamLimits.DEFAULTS.idempotencyRetentionMs(), java.time.InstantSource.system());
    }

    static RequestKey key(String value) {
        return new RequestKey(value, "Idempotency-Key", Fingerprint.builder().add(value).build());
    }

    static EventDraft draft(String payload) {
        return new EventDraft("t", Origin.USER_EVENT, "test", payload);
    }

    /** Holds the writer inside a group until released, so that everything submitted meanwhile forms the next group. */
    final class Gate implements WriteOp {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void apply(Connection c, WriteGroup g) {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override public void committed() {}
        @Override public void failed(RuntimeException cause) {}
    }

    /** An op whose statement fails: it must fail alone. */
    record Poison(CompletableFuture<RuntimeException> outcome) implements WriteOp {
        @Override
        public void apply(Connection c, WriteGroup g) throws SQLException {
            c.createStatement().execute("INSERT INTO no_such_table VALUES (1)");
        }

        @Override public void committed() { outcome.complete(null); }
        @Override public void failed(RuntimeException cause) { outcome.complete(cause); }
    }

    /** An op that makes its whole group's commit fail (as a full disk or an I/O error would). */
    static final class FailingCommit implements WriteOp {
        @Override
        public void apply(Connection c, WriteGroup g) {
            g.beforeCommit(this, conn -> {
                throw new SQLException("simulated failure at commit");
            });
        }

        @Override public void committed() {}
        @Override public void failed(RuntimeException cause) {}
    }

    /** Queues {@code n} publishes of {@code prefix0..} behind whatever holds the writer. */
    List<CompletableFuture<Appended>> publishes(String id, String prefix, int n) {
        List<CompletableFuture<Appended>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            out.add(CompletableFuture.supplyAsync(() -> log.publish(Caller.SYSTEM, id, draft(prefix + k), null),
                    r -> Thread.ofVirtual().start(r)));
        }
        return out;
    }

    void awaitQueued(int n) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> storage.writer().queued() >= n);
    }

    @Test
    void aPoisonedOpInTheMiddleOfAGroupFailsAloneAndTheRestCommit() throws Exception {
        String id = axons.create(Caller.SYSTEM, "g", null, null).id();
        assertThat(log.publish(Caller.SYSTEM, id, draft("first"), null).sequence()).isEqualTo(1);

        Gate gate = new Gate();
        storage.writer().submit(gate);
        assertThat(gate.entered.await(30, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<Appended>> before = publishes(id, "before", 5);
        awaitQueued(5);
        CompletableFuture<RuntimeException> poisoned = new CompletableFuture<>();
        storage.writer().submit(new Poison(poisoned));
        List<CompletableFuture<Appended>> after = publishes(id, "after", 5);
        awaitQueued(11);
        gate.release.countDown();

        assertThat(poisoned.get(30, TimeUnit.SECONDS)).isInstanceOfSatisfying(MyelinException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.INTERNAL));
        List<Long> sequences = new ArrayList<>();
        for (CompletableFuture<Appended> f : before) sequences.add(f.join().sequence());
        for (CompletableFuture<Appended> f : after) sequences.add(f.join().sequence());
        assertThat(sequences).as("the ten around the poison committed, contiguously").containsExactlyInAnyOrder(
                2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
        assertThat(log.history(Caller.SYSTEM, id, null, 100, true).totalCount()).isEqualTo(11);
    }

    @Test
    void aGroupWhoseCommitFailsFailsEveryOpAndLeavesNoSequenceHole() throws Exception {
        String id = axons.create(Caller.SYSTEM, "g", null, null).id();
        assertThat(log.publish(Caller.SYSTEM, id, draft("first"), null).sequence()).isEqualTo(1);

        Gate gate = new Gate();
        storage.writer().submit(gate);
        assertThat(gate.entered.await(30, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<Appended>> doomed = publishes(id, "doomed", 5);
        awaitQueued(5);
        storage.writer().submit(new FailingCommit());
        awaitQueued(6);
        gate.release.countDown();

        for (CompletableFuture<Appended> f : doomed) {
            assertThatThrownBy(f::join).hasCauseInstanceOf(MyelinException.class)
                    .satisfies(t -> assertThat(((MyelinException) t.getCause()).kind()).isEqualTo(ErrorKind.UNAVAILABLE));
        }
        assertThat(log.publish(Caller.SYSTEM, id, draft("next"), null).sequence()).as("no hole after a rolled-back group").isEqualTo(2);
        EventPage page = log.history(Caller.SYSTEM, id, null, 10, true);
        assertThat(page.events()).extracting(Event::payload).containsExactly("next", "first");
        assertThat(page.totalCount()).isEqualTo(2);
    }

    @Test
    void closingAnswersEveryOpOnce() throws Exception {
        String id = axons.create(Caller.SYSTEM, "c", null, null).id();
        Gate gate = new Gate();
        storage.writer().submit(gate);
        assertThat(gate.entered.await(30, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<Appended>> queued = publishes(id, "queued", 5);
        awaitQueued(5);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> storage.writer().close());
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
            CompletableFuture<Appended> late = publishes(id, "late", 1).get(0);
            return late.handle((v, e) -> e != null).get(30, TimeUnit.SECONDS);
        });
        gate.release.countDown();
        closing.get(60, TimeUnit.SECONDS);
        for (CompletableFuture<Appended> f : queued) {
            assertThat(f.get(30, TimeUnit.SECONDS).sequence()).as("queued before close: committed").isPositive();
        }
        Throwable late = publishes(id, "after-close", 1).get(0).handle((v, e) -> e).get(30, TimeUnit.SECONDS);
        assertThat(late).hasCauseInstanceOf(MyelinException.class).hasMessageContaining("shutting down");
    }

    @Test
    void concurrentPublishesShareGroups() throws Exception {
        String id = axons.create(Caller.SYSTEM, "share", null, null).id();
        Gate gate = new Gate();
        storage.writer().submit(gate);
        assertThat(gate.entered.await(30, TimeUnit.SECONDS)).isTrue();
        long groupsBefore = storage.writer().stats().groups();
        List<CompletableFuture<Appended>> fs = publishes(id, "p", 100);
        awaitQueued(100);
        gate.release.countDown();
        for (CompletableFuture<Appended> f : fs) f.join();
        // the gate's group, plus one group for the hundred that queued behind it
        assertThat(storage.writer().stats().groups() - groupsBefore).isEqualTo(2);
        assertThat(fs.stream().map(f -> f.join().sequence()).sorted().toList())
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 100).boxed().toList());
    }

    @Test
    void stateSurvivesReopen() {
        String id = axons.create(Caller.SYSTEM, "reopen", java.util.Map.of("k", "v"), null).id();
        log.publishBatch(Caller.SYSTEM, id, List.of(draft("a"), draft("b"), draft("c")), key("key"));
        log.close();
        storage.close();
        storage = SqliteStores.open(StorageOptions.defaults(dir));
        axons = Axons.load(storage.axons(), AxonLimits.DEFAULTS, new AccessPolicy());
        log = new EventLog(storage.events(), storage.commits(), axons, StreamLimits.DEFAULTS);
        assertThat(axons.get(Caller.SYSTEM, id).metadata()).containsEntry("k", "v");
        assertThat(log.publishBatch(Caller.SYSTEM, id, List.of(draft("a"), draft("b"), draft("c")), key("key")))
                .extracting(Appended::sequence).containsExactly(1L, 2L, 3L);
        assertThat(log.publish(Caller.SYSTEM, id, draft("d"), null).sequence()).isEqualTo(4);
    }

    @Test
    void walStaysBoundedUnderSustainedWrites() throws Exception {
        String id = axons.create(Caller.SYSTEM, "wal", null, null).id();
        String payload = "w".repeat(1000);
        List<EventDraft> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) batch.add(draft(payload));
        Path wal = dir.resolve("myelin.db-wal");
        long largest = 0;
        for (int i = 0; i < 120; i++) { // ~120 MB of events
            log.publishBatch(Caller.SYSTEM, id, batch, null);
            largest = Math.max(largest, java.nio.file.Files.size(wal));
        }
        assertThat(largest).as("largest WAL seen while writing 120 MB").isLessThan(40L << 20); // the writer restarts the WAL past 16 MiB
    }

    @Test
    void deletedAxonEventsArePurged() throws Exception {
        String id = axons.create(Caller.SYSTEM, "purge", null, null).id();
        List<EventDraft> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) batch.add(draft("x" + i));
        for (int i = 0; i < 12; i++) log.publishBatch(Caller.SYSTEM, id, batch, null);
        axons.delete(Caller.SYSTEM, id, null);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> storage.reads().read(c -> {
            try (var rs = c.createStatement().executeQuery("SELECT count(*) FROM events")) {
                rs.next();
                return rs.getLong(1) == 0;
            }
        }));
        int purged = storage.reads().read(c -> {
            try (var rs = c.createStatement().executeQuery("SELECT purged FROM axons WHERE id = '" + id + "'")) {
                rs.next();
                return rs.getInt(1);
            }
        });
        assertThat(purged).isEqualTo(1);
    }

    /**
     * Once the WAL has grown past its bound the writer checkpoints it once, and the next commit rewinds and trims the
     * file; later small groups must not checkpoint again (a file trimmed only to a larger limit looked grown forever,
     * putting a RESTART checkpoint and its fsync in front of every commit).
     */
    @Test
    void aWalThatGrewOnceIsCheckpointedOnceNotAfterEveryGroup() throws Exception {
        String id = axons.create(Caller.SYSTEM, "wal", null, null).id();
        String big = "\"" + "w".repeat(64 * 1024) + "\"";
        List<EventDraft> drafts = new ArrayList<>();
        for (int i = 0; i < 400; i++) { // about 26 MiB in one group: past the bound whatever the checkpointer does
            drafts.add(new EventDraft("t", Origin.USER_EVENT, "test", big));
        }
        log.publishBatch(Caller.SYSTEM, id, drafts, null);
        // The writer answers the group, then checkpoints: wait for it rather than race it.
        org.awaitility.Awaitility.await("a RESTART checkpoint after the large group").atMost(java.time.Duration.ofMinutes(1))
                .until(() -> storage.writer().stats().walRestarts() > 0);
        java.nio.file.Path wal = dir.resolve("myelin.db-wal");
        for (int i = 0; i < 100 && java.nio.file.Files.size(wal) > SqliteStores.WAL_RESTART_BYTES; i++) {
            log.publish(Caller.SYSTEM, id, draft("\"after " + i + "\""), null); // rewinds and trims once checkpointed
        }
        assertThat(java.nio.file.Files.size(wal)).isLessThanOrEqualTo(SqliteStores.WAL_RESTART_BYTES);
        long restarts = storage.writer().stats().walRestarts();
        for (int i = 0; i < 30; i++) {
            log.publish(Caller.SYSTEM, id, draft("\"small " + i + "\""), null);
        }
        assertThat(storage.writer().stats().walRestarts()).as("no RESTART for small groups on a trimmed WAL")
                .isEqualTo(restarts);
    }
}
