package io.myelin.stream;

/** A stored event (wire shape: AxonEventView). Sequences start at 1 and are contiguous per axon. */
public record Event(String axonId, long sequence, String eventType, Origin origin, String source, String payload,
                    long timestampMs) {}
