package io.myelin.axonsql;

/**
 * How much native stack SQLite may use on an SQL thread at given limits.
 *
 * <p>Why it matters: SQLite recurses on the calling thread's native stack while it compiles a statement (nested
 * expressions, views, subqueries, compound SELECTs, triggers compiled inside triggers) and while it runs some
 * functions (LIKE and GLOB match a pattern recursively, JSON nests). A native stack overflow is a SIGSEGV that
 * kills the whole JVM with no log line, and the JVM's default of 1 MiB per platform thread is not enough: a
 * LIKE pattern of 8,000 {@code %x} groups, a chain of 1,000 triggers or of 999 compound views each overflow it.
 * {@link SqlLimits} bounds every one of these recursions with an SQLite limit or, where SQLite has none, with
 * {@link ExpansionGuard}, and {@link AxonLanes} gives its threads a stack that holds the deepest statement those
 * limits admit.
 *
 * <p>Measurements: sqlite-jdbc 3.54.1.0 (SQLite 3.54.1), x86-64 Linux, Temurin 25. Each hostile shape ran in a
 * fresh JVM on one thread, and the smallest stack on which it still ran was found by binary search (16 KiB
 * steps); the cost per level is the slope between two depths.
 * <ul>
 *   <li>LIKE/GLOB: one level per {@code %x} (or {@code *x}) group, 123-128 bytes, so 64 bytes per pattern byte:
 *       4,000 groups need 527 KiB, the 8,000 of the issue overflow 1 MiB. {@code ESCAPE}, {@code _}, {@code ?},
 *       {@code [...]} classes and non-ASCII letters cost the same or less per byte.</li>
 *   <li>One expression: 0.8 KiB per level for {@code 1+1+...}, {@code ||}, comparisons, {@code NOT},
 *       {@code CAST}; 1.0 KiB for {@code BETWEEN} chains; 1.7 KiB per unit of depth for window functions nested
 *       in subqueries (SQLite's parser stops that shape near 177 levels). AND/OR chains, parentheses and row
 *       values cost almost nothing.</li>
 *   <li>Views and CTEs nested in one another (bounded with everything pasted, below): 0.8 KiB per
 *       level for plain views, 1.0 KiB with {@code GROUP BY} or {@code DISTINCT}, up to 3.1 KiB when each is a
 *       compound: 999 nested {@code UNION ALL} views need 3,162 KiB.</li>
 *   <li>Compound SELECT: 1.7 KiB per {@code INTERSECT}/{@code EXCEPT} term: 499 terms need 890 KiB.</li>
 *   <li>Triggers (and foreign key actions) compiled inside one another: 2.2 KiB per level: 200 need 463 KiB,
 *       so 1,000 need more than 2 MiB.</li>
 *   <li>FROM subqueries nested to the depth SQLite's parser accepts (about 415, whatever the limits): at most
 *       0.5 MiB. JSON documents and paths nested to SQLite's fixed cap of 1,000: at most 332 KiB.</li>
 *   <li>No recursion worth counting: IN lists, VALUES rows, columns, ORDER BY/GROUP BY terms, joins, JSONB
 *       built by hand past 1,000 levels (SQLite refuses to render it and walks it iteratively), printf widths,
 *       zeroblob/randomblob/replace sizes (bounded by the value size). Full-text queries cap their own nesting:
 *       FTS3/4 at 1,000 parentheses (255 KiB), FTS5 at an expression depth of 256 and a small parser stack.</li>
 * </ul>
 *
 * <p>Pasted shapes: SQLite checks each expression against {@code maxExpressionDepth} as it parses it, then pastes
 * views, CTEs and FROM subqueries into the query that reads them and codes a generated column into the one that
 * reads it, and the result is deeper than any piece (each level 0.77 KiB for {@code ~}, {@code +1}, {@code ISNULL},
 * {@code IN}, {@code ||}, {@code =}; 0.81 for {@code LIKE} and {@code ->}; 1.74 per term of an INTERSECT view read by
 * the next). 98 CTEs of 990 levels overflowed 64 MiB; views, being created one statement at a time, chain without
 * end. {@link ExpansionGuard} bounds the pasted depth with {@code maxExpandedDepth} in levels of {@link SqlCost}, each
 * measured at most 1.0 KiB of stack. SQLite's own view nesting check does not: it runs only while a view's columns
 * are first worked out, and keeps them for the connection.
 *
 * <p>The model: one statement can nest all of the compile-time shapes at once (a trigger chain whose last trigger
 * reads views pasted to the expanded depth, over a compound), so their costs add up; LIKE and JSON recurse later,
 * while the statement runs, when compilation has returned. Each cost below is the measured one rounded up. At the
 * default limits the sum is 7.6 MiB; the default stack ({@link SqlLimits#DEFAULT_THREAD_STACK_BYTES}, 64 MiB) is 8.5
 * times that; it only reserves address space, pages are committed as a statement reaches them.
 * {@code NativeStackTest} runs the deepest shapes on exactly the required stack, and {@code SqlNativeLimitsTest} runs
 * them against a server with half the default stack.
 *
 * <p>Checked and not a stack hazard: the time a statement takes to compile is (SQLite interrupts compilation only
 * while it tokenizes and at a few planner steps, whether asked through the progress handler or
 * {@code sqlite3_interrupt}, which {@code sqlite3_step} clears); {@link ExpansionGuard} bounds it through
 * {@code maxExpandedSize}.
 */
final class NativeStack {
    /** JVM guard zones, the thread's Java frames and SQLite's entry: the smallest stack any statement ran on. */
    static final long BASE = 256 * 1024;
    static final long PER_LIKE_PATTERN_BYTE = 72;
    /** One level of {@link SqlCost}: measured at most 1.0 KiB (BETWEEN, two operators per level, at the cap). */
    static final long PER_EXPANDED_LEVEL = 1900;
    static final long PER_COMPOUND_TERM = 1900;
    static final long PER_TRIGGER_LEVEL = 2400;
    /** FROM subqueries nested as deep as SQLite's parser allows, which no limit changes. */
    static final long PARSER_NESTING = 512 * 1024;
    /** JSON nested to SQLite's fixed maximum of 1,000 levels. */
    static final long JSON = 384 * 1024;

    private NativeStack() {}

    /** The stack, in bytes, that the deepest statement admitted by these limits may use. */
    static long requiredBytes(int maxLikePatternBytes, int maxCompoundSelect, int maxTriggerDepth,
                              int maxExpandedDepth) {
        long compile = maxTriggerDepth * PER_TRIGGER_LEVEL + PARSER_NESTING + maxCompoundSelect * PER_COMPOUND_TERM
                + (long) maxExpandedDepth * PER_EXPANDED_LEVEL;
        long run = Math.max(maxLikePatternBytes * PER_LIKE_PATTERN_BYTE, JSON);
        return BASE + Math.max(compile, run);
    }
}
