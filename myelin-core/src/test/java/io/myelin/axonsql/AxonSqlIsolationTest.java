package io.myelin.axonsql;

import static org.assertj.core.api.Assertions.assertThat;

import io.myelin.auth.Caller;
import io.myelin.error.ErrorKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AxonSqlIsolationTest extends SqlTestSupport {

    @Test
    void eachAxonHasItsOwnDatabase() {
        q("axn_a", "CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT)");
        q("axn_a", "INSERT INTO kv VALUES ('owner', 'a')");
        fails(ErrorKind.INVALID_REQUEST, () -> q("axn_b", "SELECT * FROM kv"));
        q("axn_b", "CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT)");
        q("axn_b", "INSERT INTO kv VALUES ('owner', 'b')");
        assertThat(scalar("axn_a", "SELECT v FROM kv")).isEqualTo("a");
        assertThat(scalar("axn_b", "SELECT v FROM kv")).isEqualTo("b");
        assertThat(sql().databaseFile("axn_a")).isNotEqualTo(sql().databaseFile("axn_b"));
    }

    @Test
    void databaseIsCreatedLazilyUnderTheShardedRoot() throws IOException {
        Path file = sql().databaseFile("axn_lazy");
        assertThat(file).doesNotExist();
        assertThat(file.getParent().getParent()).isEqualTo(dir.resolve("sql").toAbsolutePath());
        assertThat(file.getParent().getFileName().toString()).matches("[0-9a-f]{2}");
        assertThat(file.getFileName().toString()).isEqualTo("axn_lazy.db");
        q("axn_lazy", "SELECT 1");
        assertThat(file).exists();
        try (Stream<Path> all = Files.walk(dir)) {
            assertThat(all.filter(Files::isRegularFile).toList())
                    .allSatisfy(p -> assertThat(p.getFileName().toString()).startsWith("axn_lazy.db"));
        }
        assertThat(sql().databaseFile("axn_lazy")).isEqualTo(file);
    }

    @Test
    void dropDeletesTheDatabaseAndItsSideFiles() throws IOException {
        q("axn_gone", "CREATE TABLE t (a)");
        q("axn_gone", "INSERT INTO t VALUES (1)");
        q("axn_kept", "CREATE TABLE t (a)");
        Path file = sql().databaseFile("axn_gone");
        assertThat(sql().drop("axn_gone")).isTrue();
        try (Stream<Path> shard = Files.list(file.getParent())) {
            assertThat(shard.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("axn_gone"));
        }
        assertThat(sql().drop("axn_gone")).isFalse();
        assertThat(sql().drop("axn_never")).isFalse();
        fails(ErrorKind.INVALID_REQUEST, () -> q("axn_gone", "SELECT * FROM t"));
        assertThat(q("axn_kept", "SELECT * FROM t").rows()).isEmpty();
    }

    @Test
    void asyncDropRunsAfterQueuedWorkAndOrphansAreSwept() throws Exception {
        q("axn_x", "CREATE TABLE t (a)");
        q("axn_y", "CREATE TABLE t (a)");
        q("axn_z", "CREATE TABLE t (a)");
        assertThat(sql().dropAsync("axn_x").get()).isTrue();
        assertThat(sql().databaseFile("axn_x")).doesNotExist();
        assertThat(sql().dropAllExcept(id -> id.equals("axn_y"))).containsExactly("axn_z");
        assertThat(sql().databaseFile("axn_y")).exists();
        assertThat(sql().databaseFile("axn_z")).doesNotExist();
    }

    @Test
    void requestsForAxonsThatNoLongerExistAre404AndCreateNothing() {
        java.util.Set<String> live = java.util.concurrent.ConcurrentHashMap.newKeySet();
        live.add("axn_live");
        try (AxonSql guarded = new AxonSql(dir.resolve("guarded"), limits(), live::contains)) {
            guarded.query(Caller.SYSTEM, "axn_live", "CREATE TABLE t (a)", null);
            fails(ErrorKind.NOT_FOUND, () -> guarded.query(Caller.SYSTEM, "axn_dead", "SELECT 1", null));
            assertThat(guarded.databaseFile("axn_dead")).doesNotExist();
            live.remove("axn_live");
            guarded.dropAsync("axn_live");
            fails(ErrorKind.NOT_FOUND, () -> guarded.batch(Caller.SYSTEM, "axn_live", List.of(st("SELECT 1"))));
            assertThat(guarded.databaseFile("axn_live")).doesNotExist();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../escape", "a/b", "a.b", "..", "axn x", "axn\u0000", "axn_é", "C:\\x"})
    void axonIdsThatCouldNameOtherFilesAreRejected(String id) {
        assertThat(fails(ErrorKind.INVALID_REQUEST, () -> q(id, "SELECT 1")).field()).isEqualTo("id");
        fails(ErrorKind.INVALID_REQUEST, () -> sql().drop(id));
        fails(ErrorKind.INVALID_REQUEST, () -> sql().batch(Caller.SYSTEM, id, List.of(st("SELECT 1"))));
    }

    @Test
    void nullOrOverlongIdIsRejected() {
        fails(ErrorKind.INVALID_REQUEST, () -> q(null, "SELECT 1"));
        fails(ErrorKind.INVALID_REQUEST, () -> q("a".repeat(129), "SELECT 1"));
        q("a".repeat(128), "SELECT 1");
    }
}
