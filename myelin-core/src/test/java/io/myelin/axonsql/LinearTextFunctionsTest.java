package io.myelin.axonsql;

import static org.assertj.core.api.Assertions.assertThat;

import io.myelin.error.ErrorKind;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The linear-time {@code instr}, {@code replace}, {@code trim}/{@code ltrim}/{@code rtrim} and {@code unhex} give
 * SQLite's own answers (compared with a plain connection that has the built-ins), and answer at once on the inputs
 * that keep SQLite's versions busy for minutes or hours.
 */
@Timeout(120)
class LinearTextFunctionsTest extends SqlTestSupport {
    private static final String A = "axn_textfn";

    private static final Object[] VALUES = {null, "", "a", "aa", "aaa", "abcabc", "banana", "é", "aé", "éa", "ééé",
            "x€y€z", "😀a😀", "  pad  ", "xyxhelloyxy", 42L, 3.5, "4", "0a1B", "0a 1b", "0a-1b", "12 34 56", "f", "fg",
            new byte[0], new byte[] {1, 2, 1, 2}, new byte[] {(byte) 0xc3, (byte) 0xa9, 0x61},
            new byte[] {(byte) 0xa9, 0x61, (byte) 0xa9}};

    @Test
    void theyAnswerAsSqlitesOwn() throws Exception {
        List<String> calls = List.of("SELECT instr(?, ?)", "SELECT replace(?, ?, 'Z')", "SELECT replace(?, 'a', ?)",
                "SELECT trim(?, ?)", "SELECT ltrim(?, ?)", "SELECT rtrim(?, ?)", "SELECT hex(unhex(?, ?))",
                "SELECT typeof(unhex(?, ?))", "SELECT typeof(replace(?, ?, 'Z'))", "SELECT typeof(trim(?, ?))");
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            int compared = 0;
            for (String call : calls) {
                for (Object x : VALUES) {
                    for (Object y : VALUES) {
                        Object expected;
                        try {
                            expected = builtIn(plain, call, x, y);
                        } catch (java.sql.SQLException e) {
                            continue;
                        }
                        if (expected instanceof String str && !str.equals(new String(
                                str.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                                java.nio.charset.StandardCharsets.UTF_8))) {
                            continue;
                        }
                        Object actual;
                        try {
                            actual = StatementRunner.encode(scalar(A, call, x, y));
                        } catch (io.myelin.error.MyelinException e) {
                            // Only text that is not valid UTF-8 (a BLOB cast to TEXT) may be refused.
                            assertThat(e.getMessage()).as(call + " " + show(x) + " " + show(y)).contains("not valid UTF-8");
                            continue;
                        }
                        assertThat(actual).as(call + " " + show(x) + ", " + show(y)).isEqualTo(expected);
                        compared++;
                    }
                }
            }
            assertThat(compared).isGreaterThan(7000);
        }
    }

    @Test
    void theInputsThatKeepSqlitesVersionsBusyAnswerAtOnce() {
        // A 2 MiB text and a 1 MiB needle that matches almost everywhere: 43 s (instr) and 38 s (replace) built in.
        String big = "printf('%.*c', 2097000, 'a')";
        String needle = "printf('%.*c', 1048576, 'a') || 'b'";
        assertThat(scalar(A, "SELECT instr(" + big + ", " + needle + ")")).isEqualTo(0L);
        assertThat(scalar(A, "SELECT length(replace(" + big + ", " + needle + ", 'x'))")).isEqualTo(2097000L);
        assertThat(scalar(A, "SELECT instr(" + big + " || 'b', " + needle + ")")).isEqualTo(2097000L - 1048576 + 1);
        // Trimming with 200,000 characters (outside the BMP), the one that matches last: about 45 minutes built in.
        String set = "(WITH RECURSIVE r(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM r WHERE i < 199999)"
                + " SELECT group_concat(char(65536 + i), '') FROM r) || 'a'";
        assertThat(scalar(A, "SELECT length(trim(" + big + " || 'b', " + set + "))")).isEqualTo(1L);
        assertThat(scalar(A, "SELECT length(unhex(printf('%.*c', 2000000, ' ') || '0a', " + set + " || ' '))"))
                .isEqualTo(1L);
        // What replace may build is bounded by the value size, as SQLite's is.
        var e = fails(ErrorKind.INVALID_REQUEST, () -> q(A, "SELECT replace(" + big + ", 'a', 'aa')"));
        assertThat(e.getMessage()).contains("string or blob too big").contains("sql.max-value-bytes");
    }

    @Test
    void viewsIndexesAndGeneratedColumnsMayUseThem() {
        q(A, "CREATE TABLE t (a TEXT, b AS (replace(a, 'x', 'y')), c AS (trim(a, 'x')))");
        q(A, "CREATE INDEX ti ON t (instr(a, 'x'))");
        q(A, "CREATE VIEW v AS SELECT unhex(a, ' ') AS h FROM t");
        q(A, "INSERT INTO t (a) VALUES ('x0a x')");
        assertThat(q(A, "SELECT b, c FROM t").rows().getFirst()).containsExactly("y0a y", "0a ");
        assertThat(scalar(A, "SELECT count(*) FROM t WHERE instr(a, 'x') = 1")).isEqualTo(1L);
        assertThat(scalar(A, "SELECT h IS NULL FROM v")).isEqualTo(1L);
    }

    private static Object builtIn(Connection plain, String call, Object x, Object y) throws java.sql.SQLException {
        try (PreparedStatement ps = plain.prepareStatement(call)) {
            ps.setObject(1, x);
            ps.setObject(2, y);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return StatementRunner.encode(rs.getObject(1));
            }
        }
    }

    private static String show(Object v) {
        return v instanceof byte[] b ? Arrays.toString(b) : String.valueOf(v);
    }
}
