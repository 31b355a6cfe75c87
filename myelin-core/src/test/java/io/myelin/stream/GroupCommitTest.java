package io.myelin.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.myelin.axon.AxonLimits;
import io.myelin.axon.Axons;
import io.myelin.idempotency.Fingerprint;
import io.myelin.idempotency.Idempotency;
import io.myelin.idempotency.RequestKey;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.storage.Storage;
import io.myelin.storage.StorageOptions;
import io.myelin.storage.WriteGroup;
import io.myelin.storage.WriteOp;
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
    Storage storage;
    Axons axons;
    EventLog log;

    @BeforeEach
    void open() {
        storage = Storage.open(StorageOptions.defaults(dir));
        axons = Axons.load(storage, AxonLimits.DEFAULTS, idempotency());
        log = new EventLog(storage, axons, StreamLimits.DEFAULTS, idempotency());
    }

    @AfterEach
    void close() {
        log.close();
        storage.close();
    }

    Idempotency idempotency() {
        return new Idempotency(storage, StreamLimits.DEFAULTS.idempotencyRetentionMs());
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

    static final class Poison implements WriteOp {
        @Override
        public void apply(Connection c, WriteGroup g) throws SQLException {
            c.createStatement().execute("INSERT INTO no_such_table VALUES (1)");
        }

        @Override public void committed() {}
        @Override public void failed(RuntimeException cause) {}
    }

    @Test
    void failedGroupFailsEveryOpAndLeavesNoSequenceHole() throws Exception {
        String id = axons.create("g", null, null).id();
        assertThat(log.publish(id, draft("first"), null).sequence()).isEqualTo(1);

        Gate gate = new Gate();
        storage.writer().submit(gate);
        assertThat(gate.entered.await(5, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<Appended>> doomed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            doomed.add(CompletableFuture.supplyAsync(() -> log.publish(id, draft("doomed" + n), null),
                    r -> Thread.ofVirtual().start(r)));
        }
        Thread.sleep(200); // let the five reach the queue
        storage.writer().submit(new Poison());
        gate.release.countDown();

        for (CompletableFuture<Appended> f : doomed) {
            assertThatThrownBy(f::join).hasCauseInstanceOf(MyelinException.class)
                    .satisfies(t -> assertThat(((MyelinException) t.getCause()).kind()).isEqualTo(ErrorKind.UNAVAILABLE));
        }
        assertThat(log.publish(id, draft("next"), null).sequence()).as("no hole after a rolled-back group").isEqualTo(2);
        EventPage page = log.history(id, null, 10, true);
        assertThat(page.events()).extracting(Event::payload).containsExactly("next", "first");
        assertThat(page.totalCount()).isEqualTo(2);
    }

    @Test
    void concurrentPublishesShareGroups() throws Exception {
        String id = axons.create("share", null, null).id();
        Gate gate = new Gate();
        storage.writer().submit(gate);
        gate.entered.await(5, TimeUnit.SECONDS);
        long groupsBefore = storage.writer().stats().groups();
        List<CompletableFuture<Appended>> fs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int n = i;
            fs.add(CompletableFuture.supplyAsync(() -> log.publish(id, draft("p" + n), null), r -> Thread.ofVirtual().start(r)));
        }
        Thread.sleep(300);
        gate.release.countDown();
        for (CompletableFuture<Appended> f : fs) f.join();
        // the gate's group, plus one group for the hundred that queued behind it
        assertThat(storage.writer().stats().groups() - groupsBefore).isLessThanOrEqualTo(3);
        assertThat(fs.stream().map(f -> f.join().sequence()).sorted().toList())
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 100).boxed().toList());
    }

    @Test
    void stateSurvivesReopen() {
        String id = axons.create("reopen", java.util.Map.of("k", "v"), null).id();
        log.publishBatch(id, List.of(draft("a"), draft("b"), draft("c")), key("key"));
        log.close();
        storage.close();
        storage = Storage.open(StorageOptions.defaults(dir));
        axons = Axons.load(storage, AxonLimits.DEFAULTS, idempotency());
        log = new EventLog(storage, axons, StreamLimits.DEFAULTS, idempotency());
        assertThat(axons.get(id).metadata()).containsEntry("k", "v");
        assertThat(log.publishBatch(id, List.of(draft("a"), draft("b"), draft("c")), key("key")))
                .extracting(Appended::sequence).containsExactly(1L, 2L, 3L);
        assertThat(log.publish(id, draft("d"), null).sequence()).isEqualTo(4);
    }

    @Test
    void walStaysBoundedUnderSustainedWrites() throws Exception {
        String id = axons.create("wal", null, null).id();
        String payload = "w".repeat(1000);
        List<EventDraft> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) batch.add(draft(payload));
        Path wal = dir.resolve("myelin.db-wal");
        long largest = 0;
        for (int i = 0; i < 120; i++) { // ~120 MB of events
            log.publishBatch(id, batch, null);
            largest = Math.max(largest, java.nio.file.Files.size(wal));
        }
        assertThat(largest).as("largest WAL seen while writing 120 MB").isLessThan(80L << 20);
    }

    @Test
    void deletedAxonEventsArePurged() throws Exception {
        String id = axons.create("purge", null, null).id();
        List<EventDraft> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) batch.add(draft("x" + i));
        for (int i = 0; i < 12; i++) log.publishBatch(id, batch, null);
        axons.delete(id, null);
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
}
