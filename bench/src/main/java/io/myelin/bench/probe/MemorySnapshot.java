package io.myelin.bench.probe;

/** Server memory at one instant; -1 where a figure could not be read. */
public record MemorySnapshot(long rssKb, long heapUsedKb, long heapCommittedKb) {}
