package io.myelin.axonsql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.myelin.auth.Caller;
import io.myelin.error.MyelinException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A generated corpus of malformed and hostile statements and parameters. Every case must end in a
 * MyelinException with a 4xx kind (never another exception, never a 5xx), or, for batches, in a step error;
 * and the pre-existing table must be exactly as it was.
 */
class AxonSqlHostileInputTest extends SqlTestSupport {
    private static final String A = "axn_hostile";
    private static final List<String> WRITES = List.of("DELETE FROM guarded", "UPDATE guarded SET v = 'pwned'",
            "DROP TABLE guarded", "INSERT INTO guarded VALUES (99, 'x')", "ALTER TABLE guarded RENAME TO gone",
            "CREATE TABLE evil (a)");
    private static final List<String> HOSTILE = List.of("ATTACH 'x.db' AS x", "DETACH x", "VACUUM INTO 'copy.db'",
            "SELECT load_extension('/tmp/x.so')", "PRAGMA writable_schema=1", "PRAGMA journal_mode=off",
            "PRAGMA locking_mode=EXCLUSIVE", "PRAGMA synchronous=0", "PRAGMA max_page_count=1",
            "PRAGMA temp_store_directory='/tmp'", "PRAGMA mmap_size=1", "CREATE TEMP TABLE x(a)",
            "SELECT * FROM pragma_database_list", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT s",
            "SELECT fts3_tokenizer('simple')", "CREATE VIRTUAL TABLE d USING dbstat", "PRAGMA foreign_keys=0",
            "PRAGMA temp.table_info(guarded)", "VACUUM temp");
    private static final List<String> JOINERS = List.of(";", "; ", ";\n", " ; -- c\n", "/* ; */;", ";/**/", ";;",
            "\n;\t", "; /* unterminated");
    private static final String ALPHABET = "SELECT*FROM guarded WHERE();,'\"`[]-/\\?:@$#.=<>|&+%!~\n\t\u00a0é\u212a0123456789";

    @Override
    SqlLimits limits() {
        return SqlLimits.builder().statementTimeout(Duration.ofMillis(200)).maxParams(20).build();
    }

    @Test
    void hostileInputNeverEscapesAsAnythingButA4xxAndChangesNothing() {
        q(A, "CREATE TABLE guarded (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
        q(A, "INSERT INTO guarded VALUES (1, 'one'), (2, 'two')");
        SqlResult before = q(A, "SELECT * FROM guarded ORDER BY id");
        String schemaBefore = schema();

        Random rnd = new Random(20_26);
        List<Case> cases = new ArrayList<>();
        for (String h : HOSTILE) {
            cases.add(new Case(h, List.of()));
            cases.add(new Case("EXPLAIN " + h, List.of()));
        }
        for (String w : WRITES) {
            for (String j : JOINERS) {
                String h = HOSTILE.get(rnd.nextInt(HOSTILE.size()));
                cases.add(new Case("SELECT 1" + j + w, List.of()));
                if (!j.contains("unterminated")) {
                    // With the rest commented out, the write alone is one valid statement, not an attack.
                    cases.add(new Case(w + j + h, List.of()));
                }
                cases.add(new Case("SELECT ';'" + j + w + j, List.of()));
            }
        }
        for (int i = 0; i < 150; i++) {
            cases.add(new Case(garbage(rnd), List.of()));
        }
        for (Object bad : badParams()) {
            List<Object> ps = new ArrayList<>();
            ps.add(bad);
            cases.add(new Case("SELECT ?", ps));
            cases.add(new Case("INSERT INTO guarded VALUES (3, ?)", ps));
        }
        List<Object> tooMany = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            tooMany.add(i);
        }
        cases.add(new Case("SELECT ?", tooMany));
        cases.add(new Case("INSERT INTO guarded VALUES (?, ?)", List.of(1, "dup")));
        cases.add(new Case("INSERT INTO guarded VALUES (5, NULL)", List.of()));
        cases.add(new Case("UPDATE guarded SET v = NULL", List.of()));
        cases.add(new Case("UPDATE guarded SET v = 'x' WHERE id = (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL"
                + " SELECT x + 1 FROM c) SELECT count(*) FROM c)", List.of()));
        cases.add(new Case("SELECT '" + "x".repeat(200_000) + "'", List.of()));
        cases.add(new Case("SELECT zeroblob(1000000000)", List.of()));
        cases.add(new Case("SELECT ?99999", List.of()));
        cases.add(new Case(null, List.of()));

        int failures = 0;
        for (Case c : cases) {
            Throwable t = catchThrowable(() -> sql().query(Caller.SYSTEM, A, c.sql(), c.params()));
            if (t == null) {
                continue; // random text can happen to be valid SQL; the table check below still applies
            }
            failures++;
            assertThat(t).as("query %s %s", abbreviate(c.sql()), c.params()).isInstanceOf(MyelinException.class);
            assertThat(((MyelinException) t).kind().status()).as("status for %s: %s", abbreviate(c.sql()),
                    t.getMessage()).isBetween(400, 499);
            // The same statement after a real write inside a batch: refused up front or rolled back.
            Throwable bt = catchThrowable(() -> {
                BatchResult r = sql().batch(Caller.SYSTEM, A, List.of(new SqlStatement("UPDATE guarded SET v = v || '!'"),
                        new SqlStatement(c.sql(), c.params())));
                assertThat(r.results().get(1).error()).as("batch step for %s", abbreviate(c.sql())).isNotNull();
            });
            if (bt != null && !(bt instanceof AssertionError)) {
                assertThat(bt).isInstanceOf(MyelinException.class);
                assertThat(((MyelinException) bt).kind().status()).isBetween(400, 499);
            } else if (bt instanceof AssertionError ae) {
                throw ae;
            }
        }
        assertThat(cases.size()).isGreaterThan(300);
        assertThat(failures).isGreaterThan(300);
        assertThat(q(A, "SELECT * FROM guarded ORDER BY id").rows()).isEqualTo(before.rows());
        assertThat(schema()).isEqualTo(schemaBefore);
        assertThat(scalar(A, "PRAGMA journal_mode")).isEqualTo("wal");
        assertThat(scalar(A, "PRAGMA integrity_check")).isEqualTo("ok");
    }

    private String schema() {
        return q(A, "SELECT group_concat(sql, ';') FROM sqlite_schema").rows().toString();
    }

    private static List<Object> badParams() {
        List<Object> bad = new ArrayList<>();
        bad.add(List.of(1, 2));
        bad.add(List.of());
        bad.add(Map.of("x", 1));
        bad.add(Map.of("$blob", 42));
        bad.add(Map.of("$blob", "not base64!"));
        bad.add(Map.of("$blob", "AAA", "extra", "x"));
        bad.add(Map.of());
        bad.add(new BigInteger("123456789012345678901234567890"));
        bad.add(Double.NaN);
        bad.add(Double.POSITIVE_INFINITY);
        bad.add(Float.NEGATIVE_INFINITY);
        bad.add(new Object());
        bad.add('c');
        bad.add(UUID.randomUUID());
        bad.add(new int[] {1});
        bad.add(Map.of("$blob", List.of("AAAA")));
        bad.add("x".repeat(SqlLimits.DEFAULT_MAX_VALUE_BYTES + 1));
        bad.add(new byte[SqlLimits.DEFAULT_MAX_VALUE_BYTES + 1]);
        return bad;
    }

    private static String garbage(Random rnd) {
        StringBuilder sb = new StringBuilder(rnd.nextBoolean() ? "SELECT " : "");
        int n = 1 + rnd.nextInt(40);
        for (int i = 0; i < n; i++) {
            sb.append(ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
        }
        if (rnd.nextInt(10) == 0) {
            sb.append('\0');
        }
        return sb.toString();
    }

    private static String abbreviate(String s) {
        return s == null ? "null" : SqlParams.abbreviate(s.replace("\n", "\\n"));
    }

    private record Case(String sql, List<Object> params) {}
}
