package io.myelin.axonsql;

import io.myelin.error.MyelinException;
import io.myelin.axonsql.SqlTokenizer.Token;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Refuses, before SQLite compiles it, a statement that becomes too deep or too large once SQLite expands what it
 * reads: the views it names (each time it names them), the CTEs and subqueries it holds, the generated columns and
 * expression indexes of its tables, and, for a statement that may write, every trigger it may fire.
 *
 * <p>Why: SQLite checks {@code SQLITE_LIMIT_EXPR_DEPTH} on each expression as it parses it, but then pastes a view,
 * CTE or FROM subquery into the query that reads it, and codes a generated column into the one that reads it. The
 * result is deeper than any piece was: 98 CTEs each of 990 levels overflowed a 64 MiB native stack (a SIGSEGV that
 * kills the JVM) after 160 s of compiling, and a chain of views grows without limit, since views are created one
 * statement at a time. Compiling is also slow and cannot be interrupted: time grows with the square of the pasted
 * depth (8,000 levels of {@code LIKE}: 4 s), and views that each join the previous one to itself expand 2^n times
 * (12 such views: 18 s). SQLite has no limit for either, so this bounds both from the text of the statement and of
 * the schema objects it reaches ({@link SqlCost}): the sum along the deepest chain against
 * {@code sql.max-expanded-depth}, and the sum over everything compiled against {@code sql.max-expanded-size}.
 *
 * <p>Both are upper bounds: they may refuse a statement that would have compiled, never admit one deeper than they
 * say. The schema is read again only when {@code PRAGMA schema_version} changes (and after every rollback, which
 * may take the version back: {@link #forget()}); each object's text is measured once, its depth and size once per
 * version. Not thread-safe: one per connection, used in the axon's lane.
 */
final class ExpansionGuard {
    /** Statements that may fire triggers or foreign key actions (DROP TABLE deletes its rows first). */
    private static final Set<String> FIRES_TRIGGERS = Set.of("insert", "update", "delete", "replace", "with", "drop");

    /** One schema object: its kind, the table it belongs to (triggers, indexes) and its SQL text. */
    private record SchemaObject(String type, String table, String sql) {}

    private final int maxExpressionDepth;
    private final long maxDepth;
    private final long maxSize;
    private int schemaVersion = -1;
    /** Highest rowid of sqlite_schema read so far. */
    private long maxRowid;
    /** True while every statement checked since the schema was last read is a CREATE, which only adds rows. */
    private boolean onlyCreatedSince;
    private final Map<String, SchemaObject> objects = new HashMap<>();
    private final Map<String, List<String>> triggersByTable = new HashMap<>();
    private final Map<String, List<String>> indexesByTable = new HashMap<>();
    /** Per table, the tables whose foreign keys name it; built when first needed for this schema version. */
    private Map<String, Set<String>> childTables;
    private final Map<String, SqlCost> costs = new HashMap<>();
    private final Map<String, Long> depths = new HashMap<>();
    private final Map<String, Long> sizes = new HashMap<>();
    private final Set<String> inProgress = new HashSet<>();
    /** Deeper than this many nested views, the chain alone passes {@code maxDepth}: refuse without recursing. */
    private final int maxChain;

    ExpansionGuard(SqlLimits limits) {
        this.maxExpressionDepth = limits.maxExpressionDepth();
        this.maxDepth = limits.maxExpandedDepth();
        this.maxSize = limits.maxExpandedSize();
        this.maxChain = (int) (maxDepth / SqlCost.QUERY_LEVELS) + 1;
    }

    /**
     * @throws MyelinException 400 naming {@code field}, the measure, the limit and its setting
     * @throws SQLException    reading the schema failed
     */
    void check(AxonConnection c, PreparedSql s) throws SQLException {
        List<Token> tokens = s.tokens();
        inProgress.clear();
        if (isDropOfNonTable(tokens)) {
            onlyCreatedSince = false;
            return; // compiles no expression
        }
        String lead = leadingWord(tokens);
        refresh(c, lead);
        String field = s.sqlField();
        SqlCost own = SqlCost.of(tokens, maxExpressionDepth);
        boolean drop = lead.equals("drop");
        long depth = drop ? 0 : textDepth(own, field, 0);
        long size = drop ? 0 : saturatedAdd(own.levels() + own.generatedLevels(), refSizes(own.names(), field, 0));
        if (lead.equals("alter") && renamesOrDrops(tokens)) {
            // SQLite re-reads every view and trigger to rename in it or check it, each on its own.
            for (Map.Entry<String, SchemaObject> e : objects.entrySet()) {
                if (e.getValue().type().equals("view") || e.getValue().type().equals("trigger")) {
                    depth = Math.max(depth, depth(e.getKey(), field, 0));
                    size = Math.max(size, size(e.getKey(), field, 0));
                }
            }
        } else if (FIRES_TRIGGERS.contains(lead) && (s.kind().mayWrite() || tokens.getFirst().isKeyword("explain"))) {
            // EXPLAIN compiles the triggers of what it explains, though it runs nothing.
            for (String trigger : reachableTriggers(own)) {
                depth = Math.max(depth, depth(trigger, field, 0));
                size = saturatedAdd(size, size(trigger, field, 0));
            }
        }
        if (depth > maxDepth) {
            throw tooDeep(field, depth);
        }
        if (size > maxSize) {
            throw MyelinException.invalid(field, "statement too large once expanded: with the views it reads"
                    + " (each time it reads them), its CTEs and subqueries, the generated columns and indexes of its"
                    + " tables and the triggers it may fire, SQLite would compile about " + size + " levels of"
                    + " queries and expressions; at most " + maxSize + " are allowed (sql.max-expanded-size = "
                    + maxSize + ")");
        }
    }

    /** The statement's first word after {@code EXPLAIN [QUERY PLAN]}, lower-cased; EXPLAIN compiles it all. */
    private static String leadingWord(List<Token> tokens) {
        int i = 0;
        if (tokens.get(i).isKeyword("explain")) {
            i++;
            if (i + 1 < tokens.size() && tokens.get(i).isKeyword("query") && tokens.get(i + 1).isKeyword("plan")) {
                i += 2;
            }
        }
        return i < tokens.size() && tokens.get(i).type() == SqlTokenizer.Type.WORD
                ? Ascii.lower(tokens.get(i).value()) : "";
    }

    private MyelinException tooDeep(String field, long depth) {
        return MyelinException.invalid(field, "statement too deeply nested once expanded: the views, CTEs,"
                + " subqueries and generated columns it reads paste into one another "
                + (depth > maxDepth * 2 ? "more than " + maxDepth * 2 : "about " + depth) + " levels deep;"
                + " at most " + maxDepth + " are allowed (sql.max-expanded-depth = " + maxDepth + ")");
    }

    /** {@code ALTER TABLE ... RENAME ...} or {@code ... DROP [COLUMN] ...}, which make SQLite re-read the schema. */
    private static boolean renamesOrDrops(List<Token> tokens) {
        for (Token t : tokens) {
            if (t.isKeyword("rename") || t.isKeyword("drop")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDropOfNonTable(List<Token> tokens) {
        return tokens.size() > 1 && tokens.get(0).isKeyword("drop") && (tokens.get(1).isKeyword("view")
                || tokens.get(1).isKeyword("trigger") || tokens.get(1).isKeyword("index"));
    }

    /**
     * Forgets what it knows of the schema: after a rollback, which restores an earlier {@code schema_version}, a
     * later change could bring the same number back over a different schema.
     */
    void forget() {
        schemaVersion = -1;
    }

    /**
     * Brings the objects up to date with the schema. When every statement since the last look was a CREATE, only
     * the rows added since are read (they come with higher rowids), so a batch of a thousand CREATEs does not read
     * the schema a thousand times; after anything else, all of it.
     */
    private void refresh(AxonConnection c, String lead) throws SQLException {
        int version;
        try (PreparedStatement ps = c.jdbc().prepareStatement("PRAGMA schema_version");
             ResultSet rs = ps.executeQuery()) {
            version = rs.next() ? rs.getInt(1) : 0;
        }
        if (version != schemaVersion) {
            boolean full = schemaVersion == -1 || !onlyCreatedSince;
            if (full) {
                objects.clear();
                triggersByTable.clear();
                indexesByTable.clear();
                costs.clear();
                maxRowid = 0;
            }
            try (PreparedStatement ps = c.jdbc().prepareStatement("SELECT rowid, type, name, tbl_name, sql"
                    + " FROM sqlite_schema WHERE rowid > ? AND sql IS NOT NULL ORDER BY rowid")) {
                ps.setLong(1, maxRowid);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        maxRowid = rs.getLong(1);
                        add(rs.getString(2), Ascii.lower(rs.getString(3)), Ascii.lower(rs.getString(4)),
                                rs.getString(5));
                    }
                }
            }
            childTables = null;
            depths.clear();
            sizes.clear();
            schemaVersion = version;
            onlyCreatedSince = true;
        }
        onlyCreatedSince &= lead.equals("create");
    }

    private void add(String type, String name, String table, String sql) {
        objects.put(name, new SchemaObject(type, table, sql));
        costs.remove(name);
        if (type.equals("trigger")) {
            triggersByTable.computeIfAbsent(table, k -> new ArrayList<>()).add(name);
        } else if (type.equals("index")) {
            indexesByTable.computeIfAbsent(table, k -> new ArrayList<>()).add(name);
        }
    }

    private SqlCost cost(String name) {
        return costs.computeIfAbsent(name, n -> {
            // Stored SQL was accepted by SQLite, so it tokenizes; a failure would be SQLite's own to report.
            try {
                return SqlCost.of(SqlTokenizer.tokenize(objects.get(n).sql(), "sql"), maxExpressionDepth);
            } catch (MyelinException e) {
                return new SqlCost(List.of(new SqlCost.Query(0, List.of(), List.of(), null)), 0);
            }
        });
    }

    /** Deepest chain below a view or trigger: its text's depth, through the objects it names. */
    private long depth(String name, String field, int chain) {
        Long known = depths.get(name);
        if (known != null) {
            return known;
        }
        if (chain > maxChain) {
            throw tooDeep(field, Long.MAX_VALUE);
        }
        if (!inProgress.add(name)) {
            return 0; // a cycle; SQLite refuses it as "circularly defined"
        }
        long d = textDepth(cost(name), field, chain + 1);
        inProgress.remove(name);
        depths.put(name, d);
        return d;
    }

    /** The depth of a text: of its first query, which holds all the others. */
    private long textDepth(SqlCost text, String field, int chain) {
        Map<String, List<Integer>> ctes = new HashMap<>();
        for (int i = 0; i < text.queries().size(); i++) {
            String cte = text.queries().get(i).cteName();
            if (cte != null) {
                ctes.computeIfAbsent(cte, k -> new ArrayList<>()).add(i);
            }
        }
        long[] memo = new long[text.queries().size()];
        boolean[] open = new boolean[text.queries().size()];
        return text.generatedLevels() + queryDepth(text, 0, ctes, memo, open, field, chain);
    }

    /**
     * A query's own levels plus the deepest of what is pasted into it: a query nested inside it, a CTE or view it
     * names, the generated columns and indexes of a table it names.
     */
    private long queryDepth(SqlCost text, int index, Map<String, List<Integer>> ctes, long[] memo, boolean[] open,
                            String field, int chain) {
        if (memo[index] > 0) {
            return memo[index];
        }
        if (open[index]) {
            return 0; // a recursive CTE reads itself: SQLite runs it as a loop, it pastes nothing
        }
        if (chain > maxChain) {
            throw tooDeep(field, Long.MAX_VALUE);
        }
        open[index] = true;
        SqlCost.Query q = text.queries().get(index);
        long deepest = 0;
        for (int child : q.children()) {
            deepest = Math.max(deepest, queryDepth(text, child, ctes, memo, open, field, chain + 1));
        }
        for (String ref : new HashSet<>(q.names())) {
            for (int cte : ctes.getOrDefault(ref, List.of())) {
                deepest = Math.max(deepest, queryDepth(text, cte, ctes, memo, open, field, chain + 1));
            }
            SchemaObject o = objects.get(ref);
            if (o != null && o.type().equals("view")) {
                deepest = Math.max(deepest, depth(ref, field, chain + 1));
            } else if (o != null && o.type().equals("table")) {
                deepest = Math.max(deepest, tableLevels(ref, false));
            }
        }
        open[index] = false;
        memo[index] = q.levels() + deepest;
        return memo[index];
    }

    /** Everything compiled for a view or trigger: its own levels plus what it names, once per mention. */
    private long size(String name, String field, int chain) {
        Long known = sizes.get(name);
        if (known != null) {
            return known;
        }
        if (chain > maxChain) {
            throw tooDeep(field, Long.MAX_VALUE);
        }
        if (!inProgress.add(name)) {
            return 0;
        }
        SqlCost own = cost(name);
        long total = saturatedAdd(own.levels(), refSizes(own.names(), field, chain + 1));
        inProgress.remove(name);
        sizes.put(name, total);
        return total;
    }

    private long refSizes(List<String> names, String field, int chain) {
        long total = 0;
        for (String ref : names) {
            SchemaObject o = objects.get(ref);
            if (o == null) {
                continue;
            }
            if (o.type().equals("view")) {
                total = saturatedAdd(total, size(ref, field, chain));
            } else if (o.type().equals("table")) {
                total = saturatedAdd(total, tableLevels(ref, true));
            }
        }
        return total;
    }

    /**
     * What reading or writing a table codes besides the statement: its generated columns and CHECK constraints,
     * which may read one another, and its expression indexes (each reading them): the deepest or, for size, all.
     */
    private long tableLevels(String table, boolean sum) {
        long generated = cost(table).generatedLevels();
        long indexes = 0;
        for (String index : indexesByTable.getOrDefault(table, List.of())) {
            long levels = cost(index).levels();
            indexes = sum ? saturatedAdd(indexes, levels) : Math.max(indexes, levels);
        }
        return generated == 0 && indexes == 0 ? 0 : saturatedAdd(generated, indexes);
    }

    /**
     * The triggers a write may fire, directly or through the triggers and foreign key actions it sets off:
     * those on every table or view the statement names, on the tables those triggers name, and on the tables
     * whose foreign keys name any of these. An over-approximation, as SQLite compiles only those that apply.
     */
    private Set<String> reachableTriggers(SqlCost own) {
        if (childTables == null) {
            childTables = new HashMap<>();
            for (Map.Entry<String, SchemaObject> e : objects.entrySet()) {
                if (e.getValue().type().equals("table")) {
                    for (String parent : referencedTables(e.getKey())) {
                        childTables.computeIfAbsent(parent, k -> new HashSet<>()).add(e.getKey());
                    }
                }
            }
        }
        Set<String> seen = new HashSet<>();
        Set<String> triggers = new HashSet<>();
        ArrayDeque<String> queue = new ArrayDeque<>(new HashSet<>(own.names()));
        while (!queue.isEmpty()) {
            String name = queue.poll();
            if (!seen.add(name)) {
                continue;
            }
            for (String trigger : triggersByTable.getOrDefault(name, List.of())) {
                if (triggers.add(trigger)) {
                    queue.addAll(cost(trigger).names());
                }
            }
            queue.addAll(childTables.getOrDefault(name, Set.of()));
        }
        return triggers;
    }

    /** The tables named after {@code REFERENCES} in a table's definition. */
    private List<String> referencedTables(String table) {
        List<String> out = new ArrayList<>();
        List<String> names = cost(table).names();
        String sql = objects.get(table).sql();
        if (sql == null || !Ascii.lower(sql).contains("references")) {
            return out;
        }
        for (int i = 0; i + 1 < names.size(); i++) {
            if (names.get(i).equals("references")) {
                out.add(names.get(i + 1));
            }
        }
        return out;
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return r < 0 || r > (1L << 50) ? 1L << 50 : r;
    }
}
