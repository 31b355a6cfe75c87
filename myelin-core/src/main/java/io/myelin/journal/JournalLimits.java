package io.myelin.journal;

/**
 * The limits on the step journal ({@code journal.*} settings; README "Step journal").
 *
 * @param maxResultBytes the JSON text of a step's {@code result}, and of a streamed step's chunks and result
 *                       together, in UTF-8 bytes (413 beyond)
 * @param maxChunks      the most chunks one streamed step may hold (413 beyond)
 * @param maxListLimit   the largest {@code limit} of a listing page
 * @param maxPageBytes   about how many bytes one listing page may hold (a page is cut short, with {@code has_more})
 */
public record JournalLimits(int maxResultBytes, int maxChunks, int maxListLimit, long maxPageBytes) {
    /** The longest step name, in characters (Unicode code points). */
    public static final int MAX_STEP_CHARS = 256;

    public static final JournalLimits DEFAULTS = new JournalLimits(1 << 20, 10_000, 1000, 8L << 20);
}
