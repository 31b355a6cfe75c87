package io.myelin.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sqlite.SQLiteDataSource;

/** Publish keys stored before the shared idempotency store still answer their retries after the upgrade. */
@Timeout(60)
class LegacyKeysMigrationTest {
    @Test
    void aPublishKeyFromBeforeTheUpgradeStillAnswersItsRetry() throws Exception {
        Path dir = Files.createTempDirectory("myelin-migrate");
        String url = "jdbc:sqlite:" + dir.resolve("myelin.db");
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("PRAGMA journal_mode=WAL");
        }
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl(url);
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("2").load().migrate();
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("INSERT INTO axons(pk, id, name, metadata, created_at_ms, last_seq) VALUES (1, 'axn_old', 'old', '{}', 1, 3)");
            for (int seq = 1; seq <= 3; seq++) {
                st.execute("INSERT INTO events VALUES (1, " + seq + ", 't', 'USER_EVENT', 's', 'p" + seq + "', 1000)");
            }
            st.execute("INSERT INTO idempotency_keys(axon, key, first_seq, count, ts, created_ms, request_hash)"
                    + " VALUES (1, 'sdk-retry-1', 2, 2, 1000, " + System.currentTimeMillis() + ", 42)");
        }

        SqliteStores storage = SqliteStores.open(StorageOptions.defaults(dir));
        try {
            Idempotency idempotency = new Idempotency(storage.requests(), StreamLimits.DEFAULTS.idempotencyRetentionMs(), java.time.InstantSource.system());
            Axons axons = Axons.load(storage.axons(), AxonLimits.DEFAULTS, new AccessPolicy());
            EventLog log = new EventLog(storage.events(), storage.commits(), axons, StreamLimits.DEFAULTS);
            RequestKey retry = new RequestKey("sdk-retry-1", "X-Request-Id", Fingerprint.builder().add("any").build());
            List<Appended> answer = log.publishBatch(Caller.SYSTEM, "axn_old", List.of(
                    new EventDraft("t", Origin.USER_EVENT, "s", "p2"), new EventDraft("t", Origin.USER_EVENT, "s", "p3")), retry);
            assertThat(answer).containsExactly(new Appended(2, 1000), new Appended(3, 1000));
            assertThat(log.history(Caller.SYSTEM, "axn_old", null, 10, true).totalCount()).as("nothing appended").isEqualTo(3);
            log.close();
        } finally {
            storage.close();
        }
    }
}
