package io.myelin.axonsql;

import io.myelin.concurrent.MemoryBudget;

/**
 * What one answer's rows may still take: its share of {@code sql.max-result-bytes} (counted as JSON-encoded bytes,
 * shared by all statements of a batch), and the server memory to hold them until the answer is written
 * ({@link MemoryBudget}).
 *
 * <p>When the answer's own limit is reached, the statement stops reading rows and reports
 * {@code rows_read_limit_reached}. When the server's memory budget is spent, a statement that changes nothing is
 * refused with 503 (retry shortly); one that may have written keeps its changes and stops reading rows instead,
 * since refusing it would hide a write that happened.
 *
 * <p>Threading: used by the lane thread running the request.
 */
final class ResultAllowance {
    /** Memory is taken from the budget in steps of this many bytes, so small answers cost one atomic add. */
    private static final long STEP = 64 * 1024;

    private long remaining;
    private final MemoryBudget.Lease memory;
    private long taken;

    ResultAllowance(long maxResultBytes, MemoryBudget.Lease memory) {
        this.remaining = maxResultBytes;
        this.memory = memory;
    }

    /**
     * Accounts one row of {@code bytes} encoded bytes. Returns false when it does not fit the answer's limit or, for
     * a statement that may have written, the server's memory; the row is then not returned.
     *
     * @throws io.myelin.error.MyelinException 503 when the memory budget is spent and {@code mayWrite} is false
     */
    boolean admit(long bytes, boolean mayWrite) {
        if (bytes > remaining) {
            return false;
        }
        if (taken + bytes > memory.held()) {
            long step = Math.max(STEP, taken + bytes - memory.held());
            if (!memory.tryGrow(step) && !memory.tryGrow(taken + bytes - memory.held())) {
                if (mayWrite) {
                    return false;
                }
                throw memory.refusal(bytes);
            }
        }
        remaining -= bytes;
        taken += bytes;
        return true;
    }
}
