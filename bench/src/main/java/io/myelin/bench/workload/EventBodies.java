package io.myelin.bench.workload;

import java.nio.charset.StandardCharsets;

/**
 * Request bodies for the publish endpoints, built once and reused: the generator should spend
 * its CPU on sockets, not on JSON serialisation of identical events.
 */
public final class EventBodies {
    private EventBodies() {}

    /** An ASCII payload of exactly {@code bytes} characters that needs no JSON escaping. */
    public static String filler(int bytes) {
        return "x".repeat(Math.max(0, bytes));
    }

    public static String eventJson(String payload) {
        // payload is produced by this class or PayloadClock: plain ASCII without quotes or backslashes.
        return "{\"event_type\":\"bench\",\"origin\":\"AGENT_EVENT\",\"source\":\"myelin-bench\",\"payload\":\"" + payload + "\"}";
    }

    public static byte[] publish(String payload) {
        return eventJson(payload).getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] batch(String payload, int count) {
        String one = eventJson(payload);
        StringBuilder b = new StringBuilder(16 + count * (one.length() + 1)).append("{\"events\":[");
        for (int i = 0; i < count; i++) {
            if (i > 0) b.append(',');
            b.append(one);
        }
        return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
