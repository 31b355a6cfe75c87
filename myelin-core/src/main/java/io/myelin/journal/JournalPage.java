package io.myelin.journal;

import java.util.List;

/** One page of a journal listing, in recording order, without chunks; {@code hasMore} when steps follow. */
public record JournalPage(List<JournalRecord> steps, boolean hasMore) {}
