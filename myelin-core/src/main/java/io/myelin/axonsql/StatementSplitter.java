package io.myelin.axonsql;

import io.myelin.error.MyelinException;
import io.myelin.axonsql.SqlTokenizer.Token;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the statements in a SQL text so that {@code query()} can insist on exactly one.
 *
 * <p>Why not let SQLite decide: {@code sqlite3_prepare} compiles the first statement and hands back the rest
 * as a "tail" that sqlite-jdbc silently ignores, so {@code "SELECT 1; DROP TABLE t"} would run half and
 * report success. Preparing each piece to find the boundaries is no option either, because some PRAGMAs act
 * while they are being prepared.
 *
 * <p>The boundary rule is SQLite's own {@code sqlite3_complete()} state machine, ported token for token: a
 * {@code ;} ends a statement, except inside the body of {@code CREATE [TEMP] TRIGGER ... BEGIN ... END},
 * where a statement ends only at an {@code END} that directly follows a {@code ;}. So a {@code CASE ... END}
 * inside a trigger body does not end it early, and {@code "SELECT 1;"} with a trailing {@code ;} and
 * comments is one statement. Empty statements (stray semicolons) are ignored, as SQLite ignores them.
 */
final class StatementSplitter {

    /** One statement: its tokens (no SEMI) and its source text without surrounding comments. */
    record Piece(List<Token> tokens, String text) {}

    // Token classes of sqlite3_complete().
    private static final int SEMI = 0, WS = 1, OTHER = 2, EXPLAIN = 3, CREATE = 4, TEMP = 5, TRIGGER = 6, END = 7;

    // States: 0 INVALID, 1 START, 2 NORMAL, 3 EXPLAIN, 4 CREATE, 5 TRIGGER, 6 SEMI, 7 END.
    private static final int[][] TRANS = {
            /* 0 INVALID */ {1, 0, 2, 3, 4, 2, 2, 2},
            /* 1 START   */ {1, 1, 2, 3, 4, 2, 2, 2},
            /* 2 NORMAL  */ {1, 2, 2, 2, 2, 2, 2, 2},
            /* 3 EXPLAIN */ {1, 3, 3, 2, 4, 2, 2, 2},
            /* 4 CREATE  */ {1, 4, 2, 2, 2, 4, 5, 2},
            /* 5 TRIGGER */ {6, 5, 5, 5, 5, 5, 5, 5},
            /* 6 SEMI    */ {6, 6, 5, 5, 5, 5, 5, 7},
            /* 7 END     */ {1, 7, 5, 5, 5, 5, 5, 5},
    };

    private StatementSplitter() {}

    static List<Piece> split(String sql, String field) {
        List<Token> tokens = SqlTokenizer.tokenize(sql, field);
        List<Piece> pieces = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        int state = 0;
        for (Token t : tokens) {
            int next = TRANS[state][classOf(t)];
            if (t.type() == SqlTokenizer.Type.SEMI && next == 1) {
                addPiece(sql, current, pieces);
                current = new ArrayList<>();
            } else {
                // A ';' inside a trigger body stays part of the statement.
                current.add(t);
            }
            state = next;
        }
        addPiece(sql, current, pieces);
        return pieces;
    }

    /**
     * The single statement of {@code sql}.
     *
     * @throws MyelinException 400 when the text holds no statement or more than one
     */
    static Piece single(String sql, String field) {
        List<Piece> pieces = split(sql, field);
        if (pieces.isEmpty()) {
            throw MyelinException.invalid(field, "SQL text contains no statement");
        }
        if (pieces.size() > 1) {
            Piece second = pieces.get(1);
            throw MyelinException.invalid(field, "query() executes exactly one statement but the SQL text holds "
                    + pieces.size() + " (the second starts at offset " + second.tokens().getFirst().start()
                    + "); use batch() to run several statements");
        }
        return pieces.getFirst();
    }

    private static void addPiece(String sql, List<Token> tokens, List<Piece> out) {
        if (tokens.isEmpty()) {
            return;
        }
        String text = sql.substring(tokens.getFirst().start(), tokens.getLast().end());
        out.add(new Piece(List.copyOf(tokens), text));
    }

    private static int classOf(Token t) {
        return switch (t.type()) {
            case SEMI -> SEMI;
            case WORD -> {
                String w = Ascii.lower(t.value());
                yield switch (w) {
                    case "explain" -> EXPLAIN;
                    case "create" -> CREATE;
                    case "temp", "temporary" -> TEMP;
                    case "trigger" -> TRIGGER;
                    case "end" -> END;
                    default -> OTHER;
                };
            }
            default -> OTHER;
        };
    }
}
