package io.myelin.axonsql;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.sqlite.Function;
import org.sqlite.SQLiteConnection;

/**
 * SQLite's {@code instr(X,Y)}, {@code replace(X,Y,Z)}, {@code trim/ltrim/rtrim(X,Y)} and {@code unhex(X,Y)} with
 * the same results, in time linear in their arguments.
 *
 * <p>Why: SQLite's own versions compare naively, and one call runs inside a single virtual-machine step, where the
 * statement timeout cannot reach it. At {@code sql.max-value-bytes} (2 MiB), measured on SQLite 3.54.1: {@code instr}
 * and {@code replace} with a 1 MiB needle that almost matches everywhere took 43 s and 38 s; {@code trim} costs the
 * text's length times the size of its character set (200,000 characters against 20,000: 25 s, so about 45 minutes
 * at the largest set SQLite accepts), and {@code unhex} the same with its set of ignored characters (41 s at that
 * size, hours at the maximum). An application function of the same name and argument count takes precedence over
 * the built-in, so these replace exactly those forms; the one-argument {@code trim} and {@code unhex} stay SQLite's.
 *
 * <p>Semantics follow SQLite's {@code func.c}: arguments are read as their UTF-8 bytes (a number as its text),
 * {@code instr} counts characters unless both arguments are BLOBs, {@code replace} matches bytes left to right
 * without overlap and fails with SQLite's "string or blob too big" past {@code SQLITE_LIMIT_LENGTH}, a character is
 * a lead byte and its continuation bytes, NULL in gives NULL out. One difference: {@code replace} and {@code trim}
 * return TEXT through Java strings, so on text that is not valid UTF-8 (only a BLOB cast to TEXT can be) they fail
 * with an error instead of returning the malformed bytes.
 *
 * <p>Registered {@code SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS}, like the built-ins, so views, indexes, generated
 * columns and triggers may use them with {@code trusted_schema = OFF}.
 */
final class LinearTextFunctions {
    /** {@code SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS}; sqlite-jdbc adds {@code SQLITE_UTF16}. */
    private static final int FLAGS = 1 | 0x800 | 0x200000;
    private static final int SQLITE_NULL = 5;
    private static final int SQLITE_BLOB = 4;

    private LinearTextFunctions() {}

    static void register(SQLiteConnection conn, int maxValueBytes) throws SQLException {
        Function.create(conn, "instr", new Instr(), 2, FLAGS);
        Function.create(conn, "replace", new Replace(maxValueBytes), 3, FLAGS);
        Function.create(conn, "trim", new Trim(true, true), 2, FLAGS);
        Function.create(conn, "ltrim", new Trim(true, false), 2, FLAGS);
        Function.create(conn, "rtrim", new Trim(false, true), 2, FLAGS);
        Function.create(conn, "unhex", new Unhex(), 2, FLAGS);
    }

    /** A function that reads its arguments as bytes. */
    private abstract static class ByteFunction extends Function {
        /** The argument's bytes as SQLite's {@code sqlite3_value_text} or {@code _blob} would give them. */
        byte[] bytes(int arg) throws SQLException {
            byte[] b = value_blob(arg);
            return b == null ? new byte[0] : b;
        }
    }

    private static String text(byte[] utf8, String function) throws SQLException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw new SQLException(function + "() returns text that is not valid UTF-8 (from a BLOB cast to TEXT);"
                    + " work on the BLOB with substr() and instr() instead");
        }
    }

    /** Knuth-Morris-Pratt failure table of {@code needle}. */
    private static int[] failure(byte[] needle) {
        int[] fail = new int[needle.length];
        for (int i = 1, k = 0; i < needle.length; i++) {
            while (k > 0 && needle[i] != needle[k]) {
                k = fail[k - 1];
            }
            if (needle[i] == needle[k]) {
                k++;
            }
            fail[i] = k;
        }
        return fail;
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xc0) == 0x80;
    }

    /** {@code instr(X, Y)}: 1-based position of the first Y in X, 0 when absent. */
    private static final class Instr extends ByteFunction {
        @Override
        protected void xFunc() throws SQLException {
            int typeX = value_type(0);
            int typeY = value_type(1);
            if (typeX == SQLITE_NULL || typeY == SQLITE_NULL) {
                result();
                return;
            }
            byte[] x = bytes(0);
            byte[] y = bytes(1);
            if (y.length == 0) {
                result(1);
                return;
            }
            boolean isText = !(typeX == SQLITE_BLOB && typeY == SQLITE_BLOB);
            int[] fail = failure(y);
            int k = 0;
            for (int i = 0; i < x.length; i++) {
                while (k > 0 && x[i] != y[k]) {
                    k = fail[k - 1];
                }
                if (x[i] == y[k]) {
                    k++;
                }
                if (k == y.length) {
                    int start = i - y.length + 1;
                    // SQLite steps by characters in text, so a match must start on one.
                    if (!isText || start == 0 || !isContinuation(x[start])) {
                        result(position(x, start, isText));
                        return;
                    }
                    k = fail[k - 1];
                }
            }
            result(0);
        }

        private static int position(byte[] x, int start, boolean isText) {
            if (!isText) {
                return start + 1;
            }
            int chars = 1;
            for (int i = 1; i <= start; i++) {
                if (!isContinuation(x[i])) {
                    chars++;
                }
            }
            return chars;
        }
    }

    /** {@code replace(X, Y, Z)}: every Y in X, left to right and not overlapping, replaced by Z. */
    private static final class Replace extends ByteFunction {
        private final int maxValueBytes;

        Replace(int maxValueBytes) {
            this.maxValueBytes = maxValueBytes;
        }

        @Override
        protected void xFunc() throws SQLException {
            if (value_type(0) == SQLITE_NULL || value_type(1) == SQLITE_NULL) {
                result();
                return;
            }
            byte[] x = bytes(0);
            byte[] y = bytes(1);
            if (y.length == 0) {
                result(text(x, "replace"));
                return;
            }
            if (value_type(2) == SQLITE_NULL) {
                result();
                return;
            }
            byte[] z = bytes(2);
            int[] fail = failure(y);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(x.length);
            int copied = 0;
            int k = 0;
            for (int i = 0; i < x.length; i++) {
                while (k > 0 && x[i] != y[k]) {
                    k = fail[k - 1];
                }
                if (x[i] == y[k]) {
                    k++;
                }
                if (k == y.length) {
                    int start = i - y.length + 1;
                    out.write(x, copied, start - copied);
                    out.write(z, 0, z.length);
                    copied = i + 1;
                    k = 0; // matches do not overlap
                    if ((long) out.size() + (x.length - copied) > maxValueBytes) {
                        throw new SQLException("string or blob too big: replace() would return more than "
                                + maxValueBytes + " bytes (sql.max-value-bytes)");
                    }
                }
            }
            out.write(x, copied, x.length - copied);
            result(text(out.toByteArray(), "replace"));
        }
    }

    /**
     * {@code trim(X, Y)} and its one-sided forms: the characters of Y removed from the ends of X. SQLite tries each
     * character of Y in turn at each end; as the characters of valid UTF-8 are prefix-free, at most one can match
     * there, and it is the one of the length the byte at that end announces. Y must therefore be valid UTF-8 (up to
     * its first NUL, where SQLite stops reading it).
     */
    private static final class Trim extends ByteFunction {
        private final boolean left;
        private final boolean right;

        Trim(boolean left, boolean right) {
            this.left = left;
            this.right = right;
        }

        @Override
        protected void xFunc() throws SQLException {
            if (value_type(0) == SQLITE_NULL || value_type(1) == SQLITE_NULL) {
                result();
                return;
            }
            byte[] x = bytes(0);
            byte[] y = bytes(1);
            int nul = 0;
            while (nul < y.length && y[nul] != 0) {
                nul++;
            }
            String chars;
            try {
                chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(y, 0, nul)).toString();
            } catch (CharacterCodingException e) {
                throw new SQLException("the characters to trim are not valid UTF-8 (a BLOB cast to TEXT)");
            }
            Set<Chars> set = new HashSet<>();
            chars.codePoints().forEach(cp -> set.add(new Chars(new String(Character.toChars(cp))
                    .getBytes(StandardCharsets.UTF_8))));
            int from = 0;
            int to = x.length;
            if (left && !set.isEmpty()) {
                while (from < to) {
                    int end = Math.min(to, from + sequenceLength(x[from]));
                    if (!set.contains(new Chars(Arrays.copyOfRange(x, from, end)))) {
                        break;
                    }
                    from = end;
                }
            }
            if (right && !set.isEmpty()) {
                trimming:
                while (to > from) {
                    for (int len = 1; len <= 4 && len <= to - from; len++) {
                        if (set.contains(new Chars(Arrays.copyOfRange(x, to - len, to)))) {
                            to -= len;
                            continue trimming;
                        }
                    }
                    break;
                }
            }
            result(text(Arrays.copyOfRange(x, from, to), "trim"));
        }

        /** The length of the UTF-8 sequence a lead byte announces (1 for anything else). */
        private static int sequenceLength(byte lead) {
            int b = lead & 0xff;
            return b >= 0xf0 && b <= 0xf7 ? 4 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xc0 && b <= 0xdf ? 2 : 1;
        }
    }

    /** A character as its bytes, for set membership. */
    private record Chars(byte[] b) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Chars c && Arrays.equals(b, c.b);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(b);
        }
    }

    /** {@code unhex(X, Y)}: the bytes the hex digits of X spell; characters of Y may stand between byte pairs. */
    private static final class Unhex extends ByteFunction {
        @Override
        protected void xFunc() throws SQLException {
            if (value_type(0) == SQLITE_NULL || value_type(1) == SQLITE_NULL) {
                result();
                return;
            }
            byte[] x = bytes(0);
            byte[] y = bytes(1);
            Set<Integer> ignored = new HashSet<>();
            for (int[] at = {0}; at[0] < y.length; ) {
                ignored.add(utf8Read(y, at));
            }
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(x.length / 2 + 1);
            int[] at = {0};
            while (at[0] < x.length && x[at[0]] != 0) {
                while (!isHex(x[at[0]])) {
                    if (!ignored.contains(utf8Read(x, at))) {
                        result();
                        return;
                    }
                    if (at[0] >= x.length || x[at[0]] == 0) {
                        result(out.toByteArray());
                        return;
                    }
                }
                int c = x[at[0]++];
                if (at[0] >= x.length || !isHex(x[at[0]])) {
                    result();
                    return;
                }
                int d = x[at[0]++];
                out.write((hex(c) << 4) | hex(d));
            }
            result(out.toByteArray());
        }

        private static boolean isHex(byte b) {
            return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
        }

        private static int hex(int b) {
            return b <= '9' ? b - '0' : (b & 0x0f) + 9;
        }

        /** SQLite's {@code Utf8Read}: one character, advancing {@code at}; loose, as SQLite is, on bad bytes. */
        private static int utf8Read(byte[] b, int[] at) {
            int c = b[at[0]++] & 0xff;
            if (c >= 0xc0) {
                c = UTF8_TRANS1[c - 0xc0];
                while (at[0] < b.length && isContinuation(b[at[0]])) {
                    c = (c << 6) + (0x3f & b[at[0]++]);
                }
                if (c < 0x80 || (c & 0xFFFFF800) == 0xD800 || (c & 0xFFFFFFFE) == 0xFFFE) {
                    c = 0xFFFD;
                }
            }
            return c;
        }

        /** SQLite's {@code sqlite3Utf8Trans1}: the value bits of a lead byte. */
        private static final int[] UTF8_TRANS1 = {
                0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
                0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
                0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
                0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x00, 0x01, 0x02, 0x03, 0x00, 0x01, 0x00, 0x00};
    }
}
