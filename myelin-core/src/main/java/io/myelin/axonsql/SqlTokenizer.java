package io.myelin.axonsql;

import io.myelin.error.MyelinException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL text into tokens the way SQLite's own tokenizer does, closely enough that the
 * {@link StatementSplitter} and {@link StatementGuard} see the same statement boundaries, keywords and
 * names that SQLite will.
 *
 * <p>Hazards it is written against, each a way a naive scanner is fooled:
 * <ul>
 *   <li>{@code ;} inside {@code '...'}, {@code "..."}, {@code `...`}, {@code [...]} or a comment is not a
 *       statement boundary. Doubled quotes escape a quote in the first three; brackets have no escape.</li>
 *   <li>An unterminated {@code /*} comment runs to the end of the text (SQLite accepts it), while an
 *       unterminated quote is rejected here, before SQLite could read it differently.</li>
 *   <li>Only space, tab, CR, LF and form feed are whitespace to SQLite; every byte above 0x7F is an
 *       identifier character. A non-breaking space therefore glues words together, exactly as in SQLite.</li>
 *   <li>NUL ends the text for {@code sqlite3_prepare}; it is rejected so that nothing hides after it.</li>
 * </ul>
 * Whitespace and comments are dropped; every other token keeps its source span.
 */
final class SqlTokenizer {

    enum Type {
        /** Bare word: keyword or unquoted identifier. */
        WORD,
        /** {@code "x"}, {@code `x`} or {@code [x]}: an identifier whatever its spelling. */
        QUOTED,
        /** {@code 'x'}: a string literal (SQLite also accepts it as an identifier in some positions). */
        STRING,
        NUMBER,
        /** {@code ?}, {@code ?NNN}, {@code :name}, {@code @name}, {@code $name}, {@code #name}. */
        VARIABLE,
        SEMI,
        /** Any other punctuation, one character per token. */
        PUNCT
    }

    /**
     * @param value for WORD the text as written, for QUOTED and STRING the content with quoting removed
     * @param start offset of the first character in the source
     * @param end   offset just past the last character
     */
    record Token(Type type, String value, int start, int end) {
        /** True for a bare word equal to {@code keyword}, ignoring ASCII case as SQLite does. */
        boolean isKeyword(String keyword) {
            return type == Type.WORD && Ascii.equalsIgnoreCase(value, keyword);
        }

        /** True for anything SQLite may read as a name: bare word, quoted identifier, or string literal. */
        boolean isName() {
            return type == Type.WORD || type == Type.QUOTED || type == Type.STRING;
        }

        boolean isPunct(char c) {
            return type == Type.PUNCT && value.length() == 1 && value.charAt(0) == c;
        }
    }

    private SqlTokenizer() {}

    static List<Token> tokenize(String sql, String field) {
        List<Token> out = new ArrayList<>();
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == 0) {
                throw MyelinException.invalid(field, "SQL text contains a NUL character at offset " + i);
            }
            if (isSpace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int eol = sql.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int close = sql.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 2;
            } else if (c == '\'' || c == '"' || c == '`') {
                i = quoted(sql, i, c, c == '\'' ? Type.STRING : Type.QUOTED, out, field);
            } else if (c == '[') {
                int close = sql.indexOf(']', i + 1);
                if (close < 0) {
                    throw MyelinException.invalid(field, "unterminated [identifier] starting at offset " + i);
                }
                out.add(new Token(Type.QUOTED, sql.substring(i + 1, close), i, close + 1));
                i = close + 1;
            } else if (c == ';') {
                out.add(new Token(Type.SEMI, ";", i, i + 1));
                i++;
            } else if (isIdStart(c)) {
                int j = i + 1;
                while (j < n && isIdChar(sql.charAt(j))) {
                    j++;
                }
                out.add(new Token(Type.WORD, sql.substring(i, j), i, j));
                i = j;
            } else if (isDigit(c) || (c == '.' && i + 1 < n && isDigit(sql.charAt(i + 1)))) {
                int j = i + 1;
                // Loose on purpose: digits, letters (hex, exponent), dots and signs after an exponent all
                // belong to the number; SQLite reports a malformed one itself.
                while (j < n && (isIdChar(sql.charAt(j)) || sql.charAt(j) == '.'
                        || ((sql.charAt(j) == '+' || sql.charAt(j) == '-')
                        && (sql.charAt(j - 1) == 'e' || sql.charAt(j - 1) == 'E')))) {
                    j++;
                }
                out.add(new Token(Type.NUMBER, sql.substring(i, j), i, j));
                i = j;
            } else if (c == '?') {
                int j = i + 1;
                while (j < n && isDigit(sql.charAt(j))) {
                    j++;
                }
                out.add(new Token(Type.VARIABLE, sql.substring(i, j), i, j));
                i = j;
            } else if ((c == ':' || c == '@' || c == '$' || c == '#') && i + 1 < n && isIdChar(sql.charAt(i + 1))) {
                int j = i + 1;
                while (j < n && isIdChar(sql.charAt(j))) {
                    j++;
                }
                out.add(new Token(Type.VARIABLE, sql.substring(i, j), i, j));
                i = j;
            } else {
                out.add(new Token(Type.PUNCT, String.valueOf(c), i, i + 1));
                i++;
            }
        }
        return out;
    }

    private static int quoted(String sql, int start, char q, Type type, List<Token> out, String field) {
        StringBuilder value = new StringBuilder();
        int n = sql.length();
        int i = start + 1;
        while (true) {
            if (i >= n) {
                String what = type == Type.STRING ? "string literal" : "quoted identifier";
                throw MyelinException.invalid(field, "unterminated " + what + " starting at offset " + start);
            }
            char c = sql.charAt(i);
            if (c == q) {
                if (i + 1 < n && sql.charAt(i + 1) == q) {
                    value.append(q);
                    i += 2;
                    continue;
                }
                out.add(new Token(type, value.toString(), start, i + 1));
                return i + 1;
            }
            if (c == 0) {
                throw MyelinException.invalid(field, "SQL text contains a NUL character at offset " + i);
            }
            value.append(c);
            i++;
        }
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    private static boolean isIdChar(char c) {
        return isIdStart(c) || isDigit(c) || c == '$';
    }
}
