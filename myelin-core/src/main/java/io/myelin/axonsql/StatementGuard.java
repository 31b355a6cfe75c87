package io.myelin.axonsql;

import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.axonsql.SqlTokenizer.Token;
import java.util.List;
import java.util.Set;

/**
 * Decides, before SQLite sees a statement, whether it may run against an axon's database.
 *
 * <p>Why a classifier: sqlite-jdbc exposes no {@code sqlite3_set_authorizer} and no {@code sqlite3_db_config}
 * (so no {@code SQLITE_DBCONFIG_DEFENSIVE}), and its native library exports no {@code sqlite3_*} symbols to
 * reach them another way. Checking must also happen before {@code prepare}: flag PRAGMAs such as
 * {@code writable_schema} take effect while being compiled, so even {@code EXPLAIN} would be too late.
 *
 * <p>The rules, applied to the statement after an optional {@code EXPLAIN [QUERY PLAN]}:
 * <ul>
 *   <li>{@code ATTACH}, {@code DETACH}: 403, they reach other files. (Also impossible at the SQLite level:
 *       {@code SQLITE_LIMIT_ATTACHED} is 0.)</li>
 *   <li>{@code VACUUM INTO}, or {@code VACUUM} of any schema but {@code main}: 403, it writes a file.
 *       Plain {@code VACUUM} is allowed ({@link Kind#VACUUM}).</li>
 *   <li>{@code PRAGMA}: allow-list only. Introspection pragmas may take an argument; a few settings may be
 *       read but not written; {@code user_version} and {@code defer_foreign_keys} may be written. Everything
 *       else (journal_mode, synchronous, writable_schema, max_page_count, locking_mode, mmap_size, ...)
 *       changes how the database is stored or reaches outside it: 403.</li>
 *   <li>Transaction control ({@code BEGIN}, {@code COMMIT}, {@code ROLLBACK}, {@code SAVEPOINT},
 *       {@code RELEASE}, {@code END}): 400, the server owns transactions ({@code batch()} is one).</li>
 *   <li>{@code CREATE TEMP}/{@code TEMPORARY} or a {@code temp.} name in CREATE: 403, the temp schema lives
 *       outside the axon's database file (in memory or an anonymous temp file, without the size limit).</li>
 *   <li>{@code CREATE VIRTUAL TABLE}: only the modules in {@link #VIRTUAL_TABLE_MODULES}.</li>
 *   <li>Anywhere in the statement, a name (bare, quoted, or a string literal, which SQLite accepts as a name
 *       in some positions) equal to a refused function or table, or a {@code pragma_*} table-valued function
 *       outside the allow-list: 403. {@code load_extension} and {@code fts3_tokenizer} are also replaced by
 *       refusing functions on every connection, in case a spelling slips through.</li>
 * </ul>
 * Hazard: the name scan also refuses a string literal that merely equals a refused name (for example
 * {@code 'load_extension'} as data); bind such values as parameters instead.
 */
final class StatementGuard {

    /** What the runner needs to know about an allowed statement. */
    enum Kind {
        ORDINARY,
        /** Known to change nothing: SELECT, VALUES, EXPLAIN, a WITH whose statement is a SELECT, a PRAGMA read. */
        READ_ONLY,
        /** Plain VACUUM: needs one attach slot for SQLite's internal scratch database. */
        VACUUM;

        /** False only when the statement is known to change nothing; anything unclassified may write. */
        boolean mayWrite() {
            return this != READ_ONLY;
        }
    }

    /** Pragmas that only describe the schema or check it; arguments name a table or index. */
    static final Set<String> INTROSPECTION_PRAGMAS = Set.of("table_info", "table_xinfo", "table_list", "index_list",
            "index_info", "index_xinfo", "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check",
            "collation_list", "function_list", "module_list", "pragma_list", "optimize");

    /** Settings that may be read (no argument) but not changed. */
    static final Set<String> READ_ONLY_PRAGMAS = Set.of("foreign_keys", "schema_version", "application_id",
            "page_count", "page_size", "freelist_count", "data_version", "encoding", "auto_vacuum",
            "max_page_count", "journal_mode", "synchronous", "trusted_schema", "recursive_triggers", "cache_size");

    /** Settings an application may change: they alter neither storage nor reach. */
    static final Set<String> WRITABLE_PRAGMAS = Set.of("user_version", "defer_foreign_keys");

    static final Set<String> VIRTUAL_TABLE_MODULES = Set.of("fts3", "fts4", "fts5", "fts5vocab", "rtree",
            "rtree_i32");

    /** Functions and tables that read or write outside the database, or its raw pages. */
    static final Set<String> REFUSED_NAMES = Set.of("load_extension", "fts3_tokenizer", "sqlite_dbpage",
            "sqlite_dbdata", "sqlite_dbptr", "readfile", "writefile", "fsdir", "zipfile");

    private static final Set<String> TRANSACTION_CONTROL = Set.of("begin", "commit", "end", "rollback",
            "savepoint", "release");

    private StatementGuard() {}

    /**
     * @throws MyelinException 403 when the statement is refused, 400 when it is transaction control
     */
    static Kind check(List<Token> tokens, String field) {
        int i = 0;
        if (tokens.get(i).isKeyword("explain")) {
            i++;
            if (i + 1 < tokens.size() && tokens.get(i).isKeyword("query") && tokens.get(i + 1).isKeyword("plan")) {
                i += 2;
            }
        }
        scanNames(tokens, field);
        if (i >= tokens.size() || tokens.get(i).type() != SqlTokenizer.Type.WORD) {
            return Kind.ORDINARY; // not a statement SQLite will accept; it reports the syntax error itself
        }
        String lead = Ascii.lower(tokens.get(i).value());
        List<Token> rest = tokens.subList(i + 1, tokens.size());
        boolean explained = i > 0;
        Kind kind = switch (lead) {
            case "attach", "detach" -> throw refused(field, lead.toUpperCase()
                    + " is refused: an axon's database cannot reach other database files");
            case "vacuum" -> vacuum(rest, field);
            case "pragma" -> pragma(rest, field);
            case "select", "values" -> Kind.READ_ONLY;
            case "with" -> mainStatementReads(rest) ? Kind.READ_ONLY : Kind.ORDINARY;
            case "create" -> {
                create(rest, field);
                yield Kind.ORDINARY;
            }
            default -> {
                if (TRANSACTION_CONTROL.contains(lead)) {
                    throw MyelinException.invalid(field, "transaction control (" + lead.toUpperCase()
                            + ") is not supported: each query() runs in its own transaction and batch() runs"
                            + " all of its statements in one");
                }
                yield Kind.ORDINARY;
            }
        };
        // EXPLAIN compiles the statement without running it.
        return explained && kind != Kind.VACUUM ? Kind.READ_ONLY : kind;
    }

    private static void scanNames(List<Token> tokens, String field) {
        for (Token t : tokens) {
            if (!t.isName()) {
                continue;
            }
            String name = Ascii.lower(t.value());
            if (REFUSED_NAMES.contains(name)) {
                throw refused(field, name + " is refused: it reaches outside the axon's database or its raw pages");
            }
            if (name.startsWith("pragma_")) {
                String pragma = name.substring("pragma_".length());
                if (!INTROSPECTION_PRAGMAS.contains(pragma) && !READ_ONLY_PRAGMAS.contains(pragma)
                        && !WRITABLE_PRAGMAS.contains(pragma)) {
                    throw refused(field, "table-valued " + name + " is refused: only introspection pragmas are"
                            + " readable");
                }
            }
        }
    }

    private static Kind vacuum(List<Token> rest, String field) {
        for (Token t : rest) {
            if (t.isKeyword("into")) {
                throw refused(field, "VACUUM INTO is refused: it writes a copy of the database to another file");
            }
        }
        if (rest.isEmpty()) {
            return Kind.VACUUM;
        }
        if (rest.size() == 1 && rest.getFirst().isName() && Ascii.equalsIgnoreCase(rest.getFirst().value(), "main")) {
            return Kind.VACUUM;
        }
        throw refused(field, "this VACUUM is refused: only VACUUM or VACUUM main is allowed");
    }

    /**
     * True when a {@code WITH} statement's main statement (the first SELECT/VALUES/INSERT/UPDATE/DELETE/REPLACE
     * outside the common table expressions' parentheses) is a query.
     */
    private static boolean mainStatementReads(List<Token> rest) {
        int depth = 0;
        for (Token t : rest) {
            if (t.isPunct('(')) {
                depth++;
            } else if (t.isPunct(')')) {
                depth--;
            } else if (depth == 0 && t.type() == SqlTokenizer.Type.WORD) {
                String w = Ascii.lower(t.value());
                switch (w) {
                    case "select", "values" -> {
                        return true;
                    }
                    case "insert", "update", "delete", "replace" -> {
                        return false;
                    }
                    default -> {
                        // a CTE name, AS, MATERIALIZED, RECURSIVE, a comma: keep looking
                    }
                }
            }
        }
        return false;
    }

    /** {@code PRAGMA [schema.]name [= value | (value)]}. */
    private static Kind pragma(List<Token> rest, String field) {
        if (rest.isEmpty() || !rest.getFirst().isName()) {
            return Kind.ORDINARY; // SQLite reports the syntax error
        }
        int i = 0;
        String name = Ascii.lower(rest.get(i).value());
        if (rest.size() > 2 && rest.get(1).isPunct('.') && rest.get(2).isName()) {
            if (!name.equals("main")) {
                throw refused(field, "PRAGMA on schema '" + rest.getFirst().value() + "' is refused: only the axon's"
                        + " main database is reachable");
            }
            i = 2;
            name = Ascii.lower(rest.get(i).value());
        }
        boolean hasArgument = i + 1 < rest.size();
        if (INTROSPECTION_PRAGMAS.contains(name)) {
            return name.equals("optimize") ? Kind.ORDINARY : Kind.READ_ONLY; // optimize writes statistics
        }
        if (WRITABLE_PRAGMAS.contains(name)) {
            return hasArgument ? Kind.ORDINARY : Kind.READ_ONLY;
        }
        if (READ_ONLY_PRAGMAS.contains(name)) {
            if (hasArgument) {
                throw refused(field, "changing PRAGMA " + name + " is refused: it may be read but the server owns"
                        + " this setting");
            }
            return Kind.READ_ONLY;
        }
        throw refused(field, "PRAGMA " + name + " is refused: only introspection pragmas and user_version are"
                + " allowed (it could change how the database is stored or reach outside it)");
    }

    private static void create(List<Token> rest, String field) {
        if (!rest.isEmpty() && (rest.getFirst().isKeyword("temp") || rest.getFirst().isKeyword("temporary"))) {
            throw refused(field, "CREATE " + rest.getFirst().value().toUpperCase() + " is refused: temporary"
                    + " objects live outside the axon's database");
        }
        for (int i = 0; i + 1 < rest.size(); i++) {
            Token t = rest.get(i);
            if (t.isName() && rest.get(i + 1).isPunct('.')
                    && (Ascii.equalsIgnoreCase(t.value(), "temp") || Ascii.equalsIgnoreCase(t.value(), "temporary"))) {
                throw refused(field, "objects in the temp schema are refused: they live outside the axon's"
                        + " database");
            }
        }
        if (rest.size() > 1 && rest.get(0).isKeyword("virtual") && rest.get(1).isKeyword("table")) {
            for (int i = 2; i < rest.size(); i++) {
                if (rest.get(i).isKeyword("using")) {
                    String module = i + 1 < rest.size() ? Ascii.lower(rest.get(i + 1).value()) : "";
                    if (!VIRTUAL_TABLE_MODULES.contains(module)) {
                        throw refused(field, "virtual table module '" + module + "' is refused; allowed modules: "
                                + String.join(", ", VIRTUAL_TABLE_MODULES.stream().sorted().toList()));
                    }
                    return;
                }
            }
        }
    }

    private static MyelinException refused(String field, String message) {
        return new MyelinException(ErrorKind.FORBIDDEN, field, message);
    }
}
