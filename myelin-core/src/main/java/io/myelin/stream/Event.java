package io.myelin.stream;

import io.myelin.text.JsonSize;

/** A stored event (wire shape: AxonEventView). Sequences start at 1 and are contiguous per axon. */
public record Event(String axonId, long sequence, String eventType, Origin origin, String source, String payload,
                    long timestampMs) {

    /**
     * Bytes of this event as JSON (the AxonEventView shape, or an SSE frame's data line): its strings as escaped,
     * plus the fixed names, numbers and punctuation. What a page of events costs on the wire, and an upper bound
     * (within a factor of two) of what its strings hold on the heap. Scans the strings: O(payload).
     */
    public long jsonBytes() {
        return 160 + JsonSize.string(axonId) + JsonSize.string(eventType) + JsonSize.string(source)
                + JsonSize.string(payload);
    }
}
