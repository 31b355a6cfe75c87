package io.myelin.broker;

import java.time.InstantSource;

/**
 * Bounds the {@code agent.log} events of one broker: a token bucket of {@code perSecond} lines a second with a
 * burst of ten times that. Lines over the rate are dropped and counted; the next line that passes says how many
 * were lost, so a reader knows the log has a hole. An agent that floods stderr costs the axon a few events a second.
 *
 * <p>Confined to the broker's thread.
 */
final class LogLimiter {
    private final double perMilli;
    private final double burst;
    private final InstantSource clock;
    private double tokens;
    private long last;
    private long dropped;

    LogLimiter(int perSecond, InstantSource clock) {
        this.perMilli = perSecond / 1000.0;
        this.burst = perSecond * 10.0;
        this.clock = clock;
        this.tokens = burst;
        this.last = clock.millis();
    }

    /**
     * The message to publish for {@code line}, or null when over the rate.
     *
     * @param droppedElsewhere lines lost before they reached the limiter (a full queue), to be reported too
     */
    String admit(String line, long droppedElsewhere, int maxChars) {
        dropped += droppedElsewhere;
        long now = clock.millis();
        tokens = Math.min(burst, tokens + Math.max(0, now - last) * perMilli);
        last = now;
        if (tokens < 1) {
            dropped++;
            return null;
        }
        tokens--;
        String message = dropped > 0 ? "[" + dropped + " lines dropped] " + line : line;
        dropped = 0;
        return cut(message, maxChars);
    }

    /** {@code s} cut to at most {@code max} characters (never inside a surrogate pair), marked when cut. */
    static String cut(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + "\u2026";
    }
}
