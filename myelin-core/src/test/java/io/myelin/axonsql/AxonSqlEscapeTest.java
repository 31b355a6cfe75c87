package io.myelin.axonsql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.myelin.error.ErrorKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every documented escape, against a real database: the request is refused with 403 naming what was refused,
 * nothing outside the axon's file appears, and the database's storage settings are unchanged. The second
 * half bypasses the guard and shows SQLite's own defences stop the same escapes.
 */
class AxonSqlEscapeTest extends SqlTestSupport {
    private static final String A = "axn_escape";

    private List<Path> filesOutsideTheAxonDatabase() throws IOException {
        Path db = sql().databaseFile(A);
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith(db.getFileName().toString()))
                    .toList();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "ATTACH DATABASE '%s/attached.db' AS other",
            "ATTACH '%s/attached.db' AS other",
            "VACUUM INTO '%s/copy.db'",
            "VACUUM main INTO '%s/copy.db'",
            "SELECT load_extension('%s/evil.so')",
            "SELECT load_extension('%s/evil.so', 'sqlite3_extension_init')",
            "PRAGMA writable_schema=1",
            "PRAGMA writable_schema=ON",
            "EXPLAIN PRAGMA writable_schema=1",
            "PRAGMA journal_mode=off",
            "PRAGMA journal_mode=DELETE",
            "PRAGMA journal_mode=MEMORY",
            "PRAGMA locking_mode=EXCLUSIVE",
            "PRAGMA synchronous=OFF",
            "PRAGMA max_page_count=4294967294",
            "PRAGMA mmap_size=268435456",
            "PRAGMA temp_store_directory='%s'",
            "PRAGMA data_store_directory='%s'",
            "PRAGMA foreign_keys=OFF",
            "PRAGMA trusted_schema=ON",
            "PRAGMA database_list",
            "SELECT file FROM pragma_database_list",
            "SELECT fts3_tokenizer('simple')",
            "CREATE TEMP TABLE scratch (a)",
            "CREATE TABLE temp.scratch (a)",
            "CREATE VIRTUAL TABLE pages USING sqlite_dbpage",
            "SELECT * FROM sqlite_dbpage",
    })
    void escapeIsRefusedAndLeavesNoTrace(String template) throws IOException {
        q(A, "CREATE TABLE t (a)");
        String sqlText = template.replace("%s", dir.toString());
        var e = fails(ErrorKind.FORBIDDEN, () -> q(A, sqlText));
        assertThat(e.getMessage()).contains("refused");
        assertThat(e.field()).isEqualTo("sql");
        assertThat(filesOutsideTheAxonDatabase()).isEmpty();
        assertThat(scalar(A, "PRAGMA journal_mode")).isEqualTo("wal");
        assertThat(scalar(A, "PRAGMA synchronous")).isEqualTo(2L);
        assertThat(scalar(A, "PRAGMA foreign_keys")).isEqualTo(1L);
        assertThat((Long) scalar(A, "PRAGMA max_page_count")).isEqualTo(SqlLimits.DEFAULT_MAX_DATABASE_BYTES / 4096);
        fails(ErrorKind.INVALID_REQUEST, () -> q(A, "UPDATE sqlite_master SET sql = 'x'"));
    }

    @Test
    void refusalNamesWhatWasRefused() {
        assertThat(fails(ErrorKind.FORBIDDEN, () -> q(A, "ATTACH 'x.db' AS x")).getMessage()).contains("ATTACH");
        assertThat(fails(ErrorKind.FORBIDDEN, () -> q(A, "PRAGMA journal_mode=off")).getMessage())
                .contains("journal_mode");
        assertThat(fails(ErrorKind.FORBIDDEN, () -> q(A, "VACUUM INTO 'x'")).getMessage()).contains("VACUUM INTO");
        assertThat(fails(ErrorKind.FORBIDDEN, () -> q(A, "SELECT load_extension('x')")).getMessage())
                .contains("load_extension");
    }

    @Test
    void tableValuedPragmasCannotWriteSettings() {
        // Allowed read-only pragmas have no argument column in their table-valued form.
        fails(ErrorKind.INVALID_REQUEST, () -> q(A, "SELECT * FROM pragma_journal_mode('off')"));
        fails(ErrorKind.INVALID_REQUEST, () -> q(A, "SELECT * FROM pragma_foreign_keys(0)"));
        assertThat(scalar(A, "PRAGMA journal_mode")).isEqualTo("wal");
        assertThat(scalar(A, "PRAGMA foreign_keys")).isEqualTo(1L);
    }

    @Test
    void shadowTablesOfVirtualTablesCannotBeWrittenDirectly() {
        q(A, "CREATE VIRTUAL TABLE docs USING fts5(body)");
        q(A, "CREATE VIRTUAL TABLE boxes USING rtree(id, x0, x1)");
        q(A, "INSERT INTO docs VALUES ('hello world')");
        q(A, "CREATE TABLE t (a)");
        for (String write : List.of("INSERT INTO docs_data VALUES (999, x'00')", "UPDATE docs_idx SET pgno = 0",
                "DELETE FROM \"DOCS_CONTENT\"", "REPLACE INTO docs_config VALUES ('version', 99)",
                "DROP TABLE docs_docsize", "ALTER TABLE docs_data RENAME TO x", "UPDATE boxes_node SET data = x''",
                "WITH x AS (SELECT 1) DELETE FROM docs_data",
                "CREATE TRIGGER trg AFTER INSERT ON t BEGIN DELETE FROM docs_data; END")) {
            var e = fails(ErrorKind.FORBIDDEN, () -> q(A, write));
            assertThat(e.getMessage()).as(write).contains("shadow table");
        }
        BatchResult inBatch = batch(A, st("INSERT INTO t VALUES (1)"), st("DELETE FROM docs_data"));
        assertThat(inBatch.results().get(1).error().message()).contains("shadow table");
        assertThat(q(A, "SELECT count(*) FROM docs_data").rows()).hasSize(1);
        assertThat(scalar(A, "SELECT body FROM docs WHERE docs MATCH 'hello'")).isEqualTo("hello world");
        assertThat(scalar(A, "SELECT count(*) FROM t")).isEqualTo(0L);
        // Ordinary tables with the same suffixes are untouched by the rule.
        q(A, "CREATE TABLE user_data (v)");
        q(A, "INSERT INTO user_data VALUES (1)");
        q(A, "DELETE FROM user_data");
    }

    @Test
    void aTriggerNamingAFutureShadowTableBlocksTheVirtualTable() {
        q(A, "CREATE TABLE t (a)");
        q(A, "CREATE TRIGGER sneaky AFTER INSERT ON t BEGIN DELETE FROM later_data; END");
        var e = fails(ErrorKind.FORBIDDEN, () -> q(A, "CREATE VIRTUAL TABLE later USING fts5(body)"));
        assertThat(e.getMessage()).contains("sneaky").contains("later_data");
        q(A, "DROP TRIGGER sneaky");
        q(A, "CREATE VIRTUAL TABLE later USING fts5(body)");
    }

    // --- SQLite's own defences, with the guard bypassed -------------------------------------------------

    private AxonConnection raw() throws SQLException {
        Path file = dir.resolve("raw.db");
        return AxonConnection.open("raw", file, SqlLimits.defaults());
    }

    @Test
    void attachAndVacuumIntoFailInsideSqlite() throws Exception {
        try (AxonConnection c = raw()) {
            assertThatThrownBy(() -> c.execInternal("ATTACH '" + dir.resolve("o.db") + "' AS o"))
                    .hasMessageContaining("too many attached databases - max 0");
            assertThatThrownBy(() -> c.execInternal("VACUUM INTO '" + dir.resolve("copy.db") + "'"))
                    .hasMessageContaining("too many attached databases");
        }
        assertThat(dir.resolve("o.db")).doesNotExist();
        assertThat(dir.resolve("copy.db")).doesNotExist();
    }

    @Test
    void extensionFunctionsFailInsideSqlite() throws Exception {
        try (AxonConnection c = raw()) {
            assertThatThrownBy(() -> c.execInternal("SELECT load_extension('/nonexistent/evil.so')"))
                    .hasMessageContaining("load_extension is refused");
            assertThatThrownBy(() -> c.execInternal("SELECT fts3_tokenizer('simple')"))
                    .hasMessageContaining("fts3_tokenizer is refused");
            assertThatThrownBy(() -> c.execInternal("SELECT * FROM sqlite_dbpage"))
                    .hasMessageContaining("no such table");
        }
    }

    @Test
    void largeValuesFailInsideSqlite() throws Exception {
        try (AxonConnection c = raw()) {
            assertThatThrownBy(() -> c.execInternal("SELECT randomblob(3000000)"))
                    .hasMessageContaining("string or blob too big");
        }
    }
}
