package io.myelin.axonsql;

import static io.myelin.axonsql.SqlTestSupport.fails;
import static org.assertj.core.api.Assertions.assertThat;

import io.myelin.error.ErrorKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StatementSplitterTest {

    private static String single(String sql) {
        return StatementSplitter.single(sql, "sql").text();
    }

    @Test
    void trailingSemicolonAndCommentsAreTrimmed() {
        assertThat(single("SELECT 1;")).isEqualTo("SELECT 1");
        assertThat(single("  SELECT 1 ;;  -- done\n")).isEqualTo("SELECT 1");
        assertThat(single("/* lead */ SELECT 1 /* tail */ ; /* after */")).isEqualTo("SELECT 1");
        assertThat(single(";;SELECT 1")).isEqualTo("SELECT 1");
        assertThat(single("SELECT 1 /* unterminated comment ; SELECT 2")).isEqualTo("SELECT 1");
    }

    @Test
    void semicolonsInsideLiteralsAndNamesDoNotSplit() {
        assertThat(single("SELECT ';', 'it''s; fine'")).isEqualTo("SELECT ';', 'it''s; fine'");
        assertThat(single("SELECT \"a;b\" FROM t")).isEqualTo("SELECT \"a;b\" FROM t");
        assertThat(single("SELECT `a;b`, [c;d] FROM t")).isEqualTo("SELECT `a;b`, [c;d] FROM t");
        assertThat(single("SELECT 1 -- ; SELECT 2")).isEqualTo("SELECT 1");
        assertThat(single("SELECT x'3b3b'")).isEqualTo("SELECT x'3b3b'");
    }

    @Test
    void triggerBodyIsOneStatement() {
        String trigger = "CREATE TRIGGER trg AFTER INSERT ON t BEGIN "
                + "UPDATE t SET a = CASE WHEN new.a > 0 THEN 1 ELSE 0 END WHERE rowid = new.rowid; "
                + "INSERT INTO log VALUES (new.a); END";
        assertThat(single(trigger + ";")).isEqualTo(trigger);
        assertThat(single(trigger.replace("CREATE TRIGGER", "CREATE TEMP TRIGGER"))).contains("INSERT INTO log");
        assertThat(StatementSplitter.split(trigger + "; SELECT 1", "sql")).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT 1; SELECT 2",
            "SELECT 1;DROP TABLE t",
            "SELECT 1 /* ; */ ; DROP TABLE t",
            "SELECT 1 -- comment\n; DROP TABLE t",
            "SELECT ';'; DROP TABLE t",
            "SELECT \"x;\"; ATTACH 'x' AS y",
            "INSERT INTO t VALUES (1); -- the rest\nDELETE FROM t",
            "SELECT 1;\n\n  /* c */ SELECT 2;",
            "CREATE TRIGGER trg AFTER INSERT ON t BEGIN SELECT 1; END; DROP TABLE t",
    })
    void moreThanOneStatementIsRejected(String sql) {
        var e = fails(ErrorKind.INVALID_REQUEST, () -> StatementSplitter.single(sql, "sql"));
        assertThat(e.getMessage()).contains("exactly one statement");
        assertThat(e.field()).isEqualTo("sql");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", ";", ";;;", "-- nothing", "/* nothing */", "\n\t"})
    void emptyTextIsRejected(String sql) {
        assertThat(fails(ErrorKind.INVALID_REQUEST, () -> StatementSplitter.single(sql, "sql")).getMessage())
                .contains("no statement");
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT 'abc", "SELECT \"abc", "SELECT `abc", "SELECT [abc", "SELECT 1\0; DROP TABLE t"})
    void unterminatedQuotesAndNulAreRejected(String sql) {
        fails(ErrorKind.INVALID_REQUEST, () -> StatementSplitter.single(sql, "statements[3].sql"));
    }

    @Test
    void nonBreakingSpaceIsAnIdentifierCharacterAsInSqlite() {
        var tokens = SqlTokenizer.tokenize("PRAGMA\u00a0journal_mode", "sql");
        assertThat(tokens).hasSize(1);
        assertThat(tokens.getFirst().type()).isEqualTo(SqlTokenizer.Type.WORD);
    }
}
