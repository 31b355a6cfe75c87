package io.myelin.intent;

import java.time.Duration;

/**
 * The limits on intents ({@code intents.*} settings; README "Intents").
 *
 * @param maxPayloadBytes  the JSON text of {@code payload} and of a resolution's {@code result}, in UTF-8 bytes
 * @param maxTextChars     {@code title}, {@code comment} and a cancel {@code reason}, in characters
 * @param maxHorizon       how far ahead {@code fire_at_ms} and {@code deadline_ms} may lie, and the longest
 *                         {@code remind_every_ms}
 * @param minRemindEvery   the shortest {@code remind_every_ms}
 * @param maxWait          the longest {@code wait_ms} of a long poll
 * @param maxPageBytes     about how many bytes one list page may hold (a page is cut short, with {@code has_more})
 * @param maxListLimit     the largest {@code limit} of a list page
 * @param maxWaiters       the most long polls parked at once (each holds a connection and a virtual thread)
 */
public record IntentLimits(int maxPayloadBytes, int maxTextChars, Duration maxHorizon, Duration minRemindEvery,
                           Duration maxWait, long maxPageBytes, int maxListLimit, int maxWaiters) {
    /** The longest {@code kind}, {@code assignee} and {@code escalate_to}, in characters. */
    public static final int MAX_NAME_CHARS = 256;

    /**
     * The deepest nesting of arrays and objects in {@code payload} and {@code result}: an intent travels inside other
     * JSON (its view, an event, a webhook's envelope), which must stay within the 1000 levels JSON readers accept.
     */
    public static final int MAX_JSON_DEPTH = 100;

    public static final IntentLimits DEFAULTS = new IntentLimits(64 * 1024, 4096, Duration.ofDays(366),
            Duration.ofSeconds(1), Duration.ofSeconds(60), 8L << 20, 1000, 50_000);
}
