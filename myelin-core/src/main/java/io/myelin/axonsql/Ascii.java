package io.myelin.axonsql;

/**
 * ASCII-only case folding. SQLite folds only ASCII letters when it compares keywords and names; Java's
 * {@code toLowerCase} also folds characters such as KELVIN SIGN into {@code k}, which would make this guard
 * see a name SQLite does not.
 */
final class Ascii {
    private Ascii() {}

    static String lower(String s) {
        char[] out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (out == null) {
                    out = s.toCharArray();
                }
                out[i] = (char) (c + ('a' - 'A'));
            }
        }
        return out == null ? s : new String(out);
    }

    static boolean equalsIgnoreCase(String a, String b) {
        return a.length() == b.length() && lower(a).equals(lower(b));
    }
}
