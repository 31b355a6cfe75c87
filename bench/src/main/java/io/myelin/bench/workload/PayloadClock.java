package io.myelin.bench.workload;

/**
 * Carries a send time through the server inside the event payload. Publisher and subscribers
 * live in the same bench process, so {@link System#nanoTime()} is a shared monotonic clock and
 * wall-clock adjustments cannot distort the measured publish-to-delivery latency.
 */
public final class PayloadClock {
    private static final String PAYLOAD_FIELD = "\"payload\"";

    private PayloadClock() {}

    /** Digits of {@code nanos}, a separator, then filler up to {@code size} characters. */
    public static String encode(long nanos, int size) {
        String stamp = Long.toString(nanos) + "|";
        return stamp.length() >= size ? stamp : stamp + "x".repeat(size - stamp.length());
    }

    /**
     * Finds the payload string in an event's JSON view and reads the leading number, without a
     * full JSON parse (subscribers may see a hundred thousand events a second).
     *
     * @return the embedded nanoTime, or {@code Long.MIN_VALUE} if absent
     */
    public static long decodeFromEventJson(String json) {
        int i = json.indexOf(PAYLOAD_FIELD);
        if (i < 0) return Long.MIN_VALUE;
        i += PAYLOAD_FIELD.length();
        int n = json.length();
        while (i < n && json.charAt(i) != '"') {
            char c = json.charAt(i);
            if (c != ' ' && c != ':' && c != '\t') return Long.MIN_VALUE;
            i++;
        }
        i++; // opening quote of the string value
        boolean negative = i < n && json.charAt(i) == '-';
        if (negative) i++;
        long v = 0;
        int digits = 0;
        while (i < n) {
            char c = json.charAt(i);
            if (c < '0' || c > '9') break;
            v = v * 10 + (c - '0');
            digits++;
            i++;
        }
        if (digits == 0) return Long.MIN_VALUE;
        return negative ? -v : v;
    }
}
