package io.myelin.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.myelin.auth.AccessPolicy;
import io.myelin.auth.Caller;
import io.myelin.axon.AxonFilter;
import io.myelin.axon.AxonLimits;
import io.myelin.axon.Axons;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.axonsql.AxonSql;
import io.myelin.axonsql.SqlLimits;
import io.myelin.axonsql.SqlStatement;
import io.myelin.storage.sqlite.SqliteStores;
import io.myelin.storage.sqlite.StorageOptions;
import io.myelin.stream.EventDraft;
import io.myelin.stream.EventLog;
import io.myelin.stream.Origin;
import io.myelin.stream.StreamLimits;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Java callers of the engine (no HTTP, no JSON) cannot store text that UTF-8 cannot hold either: a string with an
 * unpaired surrogate would be stored as '?', so it is refused with a 400 naming the field, and nothing is stored.
 */
@Timeout(60)
class EngineTextTest {
    @TempDir
    Path dir;
    SqliteStores storage;
    Axons axons;
    EventLog log;
    AxonSql sql;

    @BeforeEach
    void open() {
        storage = SqliteStores.open(StorageOptions.defaults(dir));
        io.myelin.idempotency.Idempotency idempotency = new io.myelin.idempotency.Idempotency(storage.requests(), StreamLimits.DEFAULTS.idempotencyRetentionMs(), java.time.InstantSource.system());
        axons = Axons.load(storage.axons(), AxonLimits.DEFAULTS, new AccessPolicy());
        log = new EventLog(storage.events(), storage.commits(), axons, StreamLimits.DEFAULTS);
        sql = new AxonSql(dir.resolve("sql"), SqlLimits.defaults());
    }

    @AfterEach
    void close() {
        sql.close();
        log.close();
        storage.close();
    }

    private static MyelinException refused(Runnable r, String field) {
        Throwable t = catchThrowable(r::run);
        assertThat(t).isInstanceOf(MyelinException.class);
        MyelinException e = (MyelinException) t;
        assertThat(e.kind()).as(e.getMessage()).isEqualTo(ErrorKind.INVALID_REQUEST);
        assertThat(e.field()).isEqualTo(field);
        return e;
    }

    @Test
    void eventsWithUnpairedSurrogatesAreNotStored() {
        String id = axons.create(Caller.SYSTEM, "events", Map.of(), null).id();
        refused(() -> log.publish(Caller.SYSTEM, id, new EventDraft("t", Origin.USER_EVENT, "s", "lone:\ud800 end"), null), "payload");
        refused(() -> log.publish(Caller.SYSTEM, id, new EventDraft("t\udc00", Origin.USER_EVENT, "s", "p"), null), "event_type");
        refused(() -> log.publish(Caller.SYSTEM, id, new EventDraft("t", Origin.USER_EVENT, "\ud83d", "p"), null), "source");
        refused(() -> log.publishBatch(Caller.SYSTEM, id, List.of(new EventDraft("t", Origin.USER_EVENT, "s", "ok"),
                new EventDraft("t", Origin.USER_EVENT, "s", "x\ude00")), null), "events[1].payload");
        assertThat(log.history(Caller.SYSTEM, id, null, 10, true).events()).isEmpty();
        log.publish(Caller.SYSTEM, id, new EventDraft("t", Origin.USER_EVENT, "s", "😀\u0000"), null);
        assertThat(log.history(Caller.SYSTEM, id, null, 10, true).events().getFirst().payload()).isEqualTo("😀\u0000");
    }

    @Test
    void axonNamesMetadataAndFiltersFollowTheSameRules() {
        long before = axons.index().size();
        refused(() -> axons.create(Caller.SYSTEM, "n\ud800m", Map.of(), null), "name");
        refused(() -> axons.create(Caller.SYSTEM, "n", Map.of("k\ud800", "v"), null), "metadata");
        refused(() -> axons.create(Caller.SYSTEM, "n", Map.of("k\u0000", "v"), null), "metadata");
        refused(() -> axons.create(Caller.SYSTEM, "n", Map.of("k\u009f", "v"), null), "metadata");
        refused(() -> axons.create(Caller.SYSTEM, "n", Map.of("k", "v\udfff"), null), "metadata.k");
        assertThat(axons.index().size()).isEqualTo(before);
        String id = axons.create(Caller.SYSTEM, "n", Map.of("k", "v"), null).id();
        refused(() -> axons.updateMetadata(Caller.SYSTEM, id, Map.of("k", "\ud800"), null), "metadata.k");
        assertThat(axons.get(Caller.SYSTEM, id).metadata()).isEqualTo(Map.of("k", "v"));

        refused(() -> axons.list(Caller.SYSTEM, new AxonFilter(null, null, null, Map.of("k\u0000", "v"), null, null, 10, true)), "metadata[k\u0000]");
        refused(() -> axons.list(Caller.SYSTEM, new AxonFilter(null, null, null, null, Map.of("k\u001f", List.of("v")), null, 10, true)),
                "metadata[k\u001f][in]");
        refused(() -> axons.list(Caller.SYSTEM, new AxonFilter(null, "\ud800", null, null, null, null, 10, true)), "name");
        refused(() -> axons.list(Caller.SYSTEM, new AxonFilter(null, null, null, Map.of("k", "\udc00"), null, null, 10, true)), "metadata[k]");
    }

    @Test
    void sqlTextAndParametersWithUnpairedSurrogatesAreRefused() {
        String id = "axn_text";
        sql.query(Caller.SYSTEM, id, "CREATE TABLE t (v)", List.of());
        refused(() -> sql.query(Caller.SYSTEM, id, "INSERT INTO t VALUES ('\ud800')", List.of()), "sql");
        refused(() -> sql.query(Caller.SYSTEM, id, "INSERT INTO t VALUES (?)", new ArrayList<>(List.of("a\ud800b"))), "params[0]");
        refused(() -> sql.batch(Caller.SYSTEM, id, List.of(new SqlStatement("INSERT INTO t VALUES (1)", List.of()),
                new SqlStatement("INSERT INTO t VALUES (?)", List.of("\udc00")))), "statements[1].params[0]");
        refused(() -> sql.query(Caller.SYSTEM, id, "INSERT INTO t VALUES (?)", List.of(new BigDecimal("1e-400"))), "params[0]");
        refused(() -> sql.query(Caller.SYSTEM, id, "INSERT INTO t VALUES (?)", List.of(new BigDecimal("1e400"))), "params[0]");
        assertThat(sql.query(Caller.SYSTEM, id, "SELECT count(*) FROM t", List.of()).rows().getFirst().getFirst()).isEqualTo(0L);
        sql.query(Caller.SYSTEM, id, "INSERT INTO t VALUES (?)", List.of("😀"));
        sql.query(Caller.SYSTEM, id, "INSERT INTO t VALUES (?)", List.of(new BigDecimal("2.5")));
        assertThat(sql.query(Caller.SYSTEM, id, "SELECT v FROM t ORDER BY rowid", List.of()).rows())
                .containsExactly(List.of("😀"), List.of(2.5));
    }
}
