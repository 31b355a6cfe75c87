package io.myelin.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a SQL file into statements at top-level semicolons. Knows enough SQLite lexing to get that right:
 * quoted strings and identifiers ({@code '…'}, {@code "…"}, {@code `…`}, {@code […]}), {@code --} and
 * {@code /* *}{@code /} comments, and the {@code BEGIN … END;} body of {@code CREATE TRIGGER}, whose inner
 * semicolons do not end the statement.
 */
final class SqlScript {
    private SqlScript() {
    }

    static List<String> split(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int n = script.length();
        int depth = 0; // open BEGIN blocks inside a CREATE TRIGGER
        int cases = 0; // open CASE expressions, whose END is not a block's END
        int i = 0;
        while (i < n) {
            char c = script.charAt(i);
            if (c == '\'' || c == '"' || c == '`' || c == '[') {
                char close = c == '[' ? ']' : c;
                int j = i + 1;
                while (j < n) {
                    if (script.charAt(j) == close) {
                        // A doubled quote is an escaped quote, not the end (not for [..]).
                        if (close != ']' && j + 1 < n && script.charAt(j + 1) == close) {
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    j++;
                }
                cur.append(script, i, Math.min(j + 1, n));
                i = j + 1;
            } else if (c == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
                int j = script.indexOf('\n', i);
                i = j < 0 ? n : j; // drop the comment, keep the newline
            } else if (c == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
                int j = script.indexOf("*/", i + 2);
                i = j < 0 ? n : j + 2;
                cur.append(' ');
            } else if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(script.charAt(j)) || script.charAt(j) == '_')) {
                    j++;
                }
                String word = script.substring(i, j).toUpperCase(Locale.ROOT);
                if (word.equals("BEGIN") && isTrigger(cur)) {
                    depth++;
                } else if (word.equals("CASE")) {
                    cases++;
                } else if (word.equals("END") && cases > 0) {
                    cases--;
                } else if (word.equals("END") && depth > 0) {
                    depth--;
                }
                cur.append(script, i, j);
                i = j;
            } else if (c == ';' && depth == 0) {
                add(out, cur);
                cur.setLength(0);
                cases = 0;
                i++;
            } else {
                cur.append(c);
                i++;
            }
        }
        add(out, cur);
        return out;
    }

    private static boolean isTrigger(CharSequence statementSoFar) {
        String s = statementSoFar.toString().strip().toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
        return s.startsWith("CREATE TRIGGER") || s.startsWith("CREATE TEMP TRIGGER") || s.startsWith("CREATE TEMPORARY TRIGGER");
    }

    private static void add(List<String> out, StringBuilder cur) {
        String s = cur.toString().strip();
        if (!s.isEmpty()) {
            out.add(s);
        }
    }
}
