package io.myelin.stream;

/** Where a published event landed (wire shape: PublishResultView). */
public record Appended(long sequence, long timestampMs) {}
