package io.myelin.journal;

/**
 * The answer of a write that may record a step: the step as stored, and whether this write recorded it (false: an
 * earlier writer had, and its record stands).
 */
public record Recorded(JournalRecord record, boolean created) {}
