package io.myelin.axon;

import java.util.Map;

/** An axon as clients see it (wire shape: AxonView). */
public record Axon(String id, String name, Map<String, String> metadata, long createdAtMs) {}
