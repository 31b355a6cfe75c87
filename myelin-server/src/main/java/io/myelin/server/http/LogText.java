package io.myelin.server.http;

/** Client-supplied text made safe for one log line. */
final class LogText {
    private LogText() {}

    /**
     * {@code text} with every character outside visible ASCII replaced by {@code ?}, so a request cannot forge or
     * break log lines; {@code -} for null.
     */
    static String safe(String text) {
        if (text == null) {
            return "-";
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                if (out == null) {
                    out = new StringBuilder(text);
                }
                out.setCharAt(i, '?');
            }
        }
        return out == null ? text : out.toString();
    }
}
