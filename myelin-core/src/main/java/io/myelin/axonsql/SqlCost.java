package io.myelin.axonsql;

import io.myelin.axonsql.SqlTokenizer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What one SQL text (a statement, or the definition of a view, trigger, table or index) adds to a compilation by
 * itself, measured in <em>levels</em>: an upper bound on how deep SQLite nests once it has expanded the text, before
 * counting anything the text names. {@link ExpansionGuard} adds what the names bring.
 *
 * <p>The bound, per query (the text itself and each parenthesized {@code SELECT}, {@code VALUES} or {@code WITH}
 * inside it, which SQLite compiles as a query of its own or pastes into the enclosing one):
 * {@value #QUERY_LEVELS} levels for the query, {@value #COMPOUND_TERM_LEVELS} per {@code UNION}, {@code INTERSECT}
 * or {@code EXCEPT}, and the operators of its deepest comma-separated piece, at most {@code maxExpressionDepth}
 * (SQLite refuses a deeper expression when it parses it). An operator is every keyword and every punctuation mark
 * except {@code ,} {@code )} {@code ;}: each level of an expression tree takes at least one, so the count never falls
 * short, while names, literals and parameters are leaves. {@link ExpansionGuard} adds to a query's levels the
 * deepest query nested in it or named by it (a CTE, a view), as SQLite may paste each into the next; queries side
 * by side take the deepest. For a {@code CREATE TABLE}, {@code generatedLevels} is the sum over its generated
 * columns and CHECK constraints, which SQLite codes into one another when one reads another.
 *
 * <p>The weights are the measured native stack per level, in units of one expression level (0.77 KiB): a nested
 * query costs up to 3.1 KiB, a term of a compound that SQLite cannot flatten 1.74 KiB ({@link NativeStack}).
 *
 * @param queries         the text itself (index 0) and each query inside it, in the order they open
 * @param generatedLevels for a {@code CREATE TABLE}: the sum over its generated columns and CHECK constraints
 */
record SqlCost(List<Query> queries, long generatedLevels) {
    static final int QUERY_LEVELS = 4;
    static final int COMPOUND_TERM_LEVELS = 3;

    /**
     * One query of the text.
     *
     * @param levels   its own levels (above)
     * @param children the queries nested directly inside it (indexes into {@link #queries()})
     * @param names    every token at its own level that may name a schema object or a CTE, lower-cased, once per
     *                 occurrence
     * @param cteName  the name it is bound to when it is the body of a CTE, else null
     */
    record Query(long levels, List<Integer> children, List<String> names, String cteName) {}

    /** SQLite's keywords (sqlite.org/lang_keywords.html): each may build a node of an expression tree. */
    static final Set<String> KEYWORDS = Set.of("abort", "action", "add", "after", "all", "alter", "always",
            "analyze", "and", "as", "asc", "attach", "autoincrement", "before", "begin", "between", "by", "cascade",
            "case", "cast", "check", "collate", "column", "commit", "conflict", "constraint", "create", "cross",
            "current", "current_date", "current_time", "current_timestamp", "database", "default", "deferrable",
            "deferred", "delete", "desc", "detach", "distinct", "do", "drop", "each", "else", "end", "escape",
            "except", "exclude", "exclusive", "exists", "explain", "fail", "filter", "first", "following", "for",
            "foreign", "from", "full", "generated", "glob", "group", "groups", "having", "if", "ignore", "immediate",
            "in", "index", "indexed", "initially", "inner", "insert", "instead", "intersect", "into", "is", "isnull",
            "join", "key", "last", "left", "like", "limit", "match", "materialized", "natural", "no", "not",
            "nothing", "notnull", "null", "nulls", "of", "offset", "on", "or", "order", "others", "outer", "over",
            "partition", "plan", "pragma", "preceding", "primary", "query", "raise", "range", "recursive",
            "references", "regexp", "reindex", "release", "rename", "replace", "restrict", "returning", "right",
            "rollback", "row", "rows", "savepoint", "select", "set", "table", "temp", "temporary", "then", "ties",
            "to", "transaction", "trigger", "unbounded", "union", "unique", "update", "using", "vacuum", "values",
            "view", "virtual", "when", "where", "window", "with", "without");

    private static final Set<String> QUERY_STARTS = Set.of("select", "values", "with");
    private static final Set<String> COMPOUND_OPERATORS = Set.of("union", "intersect", "except");

    /** One query being measured: its own parentheses, pieces and compound terms. */
    private static final class Open {
        final int index;
        final String cteName;
        final List<Integer> children = new ArrayList<>();
        final List<String> names = new ArrayList<>();
        int parens;
        long pieceOps;
        long maxPieceOps;
        long compoundTerms;

        Open(int index, String cteName) {
            this.index = index;
            this.cteName = cteName;
        }

        void endPiece() {
            maxPieceOps = Math.max(maxPieceOps, pieceOps);
            pieceOps = 0;
        }

        Query close(int maxExpressionDepth) {
            endPiece();
            long levels = QUERY_LEVELS + COMPOUND_TERM_LEVELS * compoundTerms + Math.min(maxExpressionDepth, maxPieceOps);
            return new Query(levels, List.copyOf(children), List.copyOf(names), cteName);
        }
    }

    /** The sum of the levels of every query of the text: what compiling it costs before anything it names. */
    long levels() {
        long sum = 0;
        for (Query q : queries) {
            sum += q.levels();
        }
        return sum;
    }

    /** Every name of the text, once per occurrence. */
    List<String> names() {
        List<String> all = new ArrayList<>();
        for (Query q : queries) {
            all.addAll(q.names());
        }
        return all;
    }

    /** Measures {@code tokens}; never fails, also on text SQLite will refuse (it reports the error itself). */
    static SqlCost of(List<Token> tokens, int maxExpressionDepth) {
        List<Query> done = new ArrayList<>();
        List<Open> open = new ArrayList<>();
        open.add(new Open(0, null));
        done.add(null);
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            Open q = open.getLast();
            if (t.isName()) {
                q.names.add(Ascii.lower(t.value()));
            }
            if (t.isPunct('(')) {
                if (i + 1 < tokens.size() && tokens.get(i + 1).type() == SqlTokenizer.Type.WORD
                        && QUERY_STARTS.contains(Ascii.lower(tokens.get(i + 1).value()))) {
                    Open child = new Open(done.size(), cteName(tokens, i));
                    done.add(null);
                    q.children.add(child.index);
                    open.add(child);
                } else {
                    q.parens++;
                    q.pieceOps++;
                }
            } else if (t.isPunct(')')) {
                if (q.parens > 0) {
                    q.parens--;
                } else if (open.size() > 1) {
                    Open closed = open.removeLast();
                    done.set(closed.index, closed.close(maxExpressionDepth));
                }
            } else if (t.isPunct(',')) {
                if (q.parens == 0) {
                    q.endPiece();
                }
            } else if (t.type() == SqlTokenizer.Type.WORD) {
                String word = Ascii.lower(t.value());
                if (q.parens == 0 && COMPOUND_OPERATORS.contains(word)) {
                    q.compoundTerms++;
                    q.endPiece();
                } else if (KEYWORDS.contains(word)) {
                    q.pieceOps++;
                }
            } else if (t.type() == SqlTokenizer.Type.PUNCT) {
                q.pieceOps++;
            }
        }
        for (Open q : open) {
            done.set(q.index, q.close(maxExpressionDepth));
        }
        return new SqlCost(List.copyOf(done), generatedLevels(tokens, maxExpressionDepth));
    }

    /**
     * The name a query opening at {@code paren} is bound to, for {@code name [(columns)] AS [NOT] [MATERIALIZED] (}
     * in a WITH clause; null for any other query.
     */
    private static String cteName(List<Token> tokens, int paren) {
        int i = paren - 1;
        if (i >= 0 && tokens.get(i).isKeyword("materialized")) {
            i--;
        }
        if (i >= 0 && tokens.get(i).isKeyword("not")) {
            i--;
        }
        if (i < 0 || !tokens.get(i).isKeyword("as")) {
            return null;
        }
        i--;
        if (i >= 0 && tokens.get(i).isPunct(')')) {
            while (i >= 0 && !tokens.get(i).isPunct('(')) {
                i--;
            }
            i--;
        }
        return i >= 0 && tokens.get(i).isName() ? Ascii.lower(tokens.get(i).value()) : null;
    }

    /**
     * For {@code CREATE [TEMP] TABLE name (column, ..., constraint, ...)}: the operators of each column definition
     * or table constraint that holds an expression SQLite codes when the row is read or written (a generated
     * column, {@code AS (...)}, or {@code CHECK}), each at most {@code maxExpressionDepth}, summed. Zero otherwise.
     */
    private static long generatedLevels(List<Token> tokens, int maxExpressionDepth) {
        if (tokens.size() < 4 || !tokens.get(0).isKeyword("create")) {
            return 0;
        }
        int i = 1;
        if (tokens.get(i).isKeyword("temp") || tokens.get(i).isKeyword("temporary")) {
            i++;
        }
        if (!tokens.get(i).isKeyword("table")) {
            return 0;
        }
        while (i < tokens.size() && !tokens.get(i).isPunct('(')) {
            if (tokens.get(i).isKeyword("as")) {
                return 0; // CREATE TABLE ... AS SELECT: no column definitions
            }
            i++;
        }
        long sum = 0;
        long ops = 0;
        boolean coded = false;
        int depth = 0;
        for (i = i + 1; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (depth == 0 && (t.isPunct(',') || t.isPunct(')'))) {
                if (coded) {
                    sum += 1 + Math.min(maxExpressionDepth, ops);
                }
                ops = 0;
                coded = false;
                if (t.isPunct(')')) {
                    break;
                }
                continue;
            }
            if (t.isPunct('(')) {
                depth++;
                ops++;
                if (i > 0 && tokens.get(i - 1).isKeyword("as")) {
                    coded = true;
                }
            } else if (t.isPunct(')')) {
                depth--;
            } else if (t.isKeyword("check") || t.isKeyword("generated")) {
                coded = true;
                ops++;
            } else if (t.type() == SqlTokenizer.Type.PUNCT
                    || (t.type() == SqlTokenizer.Type.WORD && KEYWORDS.contains(Ascii.lower(t.value())))) {
                ops++;
            }
        }
        return sum;
    }
}
