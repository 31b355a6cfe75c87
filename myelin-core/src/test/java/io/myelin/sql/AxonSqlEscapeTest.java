package io.myelin.sql;

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
