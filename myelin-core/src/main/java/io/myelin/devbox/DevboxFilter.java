package io.myelin.devbox;

/**
 * A list request (Runloop {@code DevboxListParams}).
 *
 * @param status        only devboxes in this status, or null for all
 * @param startingAfter cursor: the id of the last devbox of the previous page, or null
 * @param limit         page size
 * @param includeTotal  whether to count every match
 */
public record DevboxFilter(DevboxStatus status, String startingAfter, int limit, boolean includeTotal) {}
