package io.myelin.webhook;

import java.util.Locale;

/** Where a delivery stands: waiting for (another) attempt, acknowledged with a 2xx, or given up after its last attempt. */
public enum DeliveryStatus {
    PENDING, DELIVERED, DEAD;

    /** The wire and storage name: {@code pending}, {@code delivered}, {@code dead}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException for any other text */
    public static DeliveryStatus ofWireName(String text) {
        for (DeliveryStatus s : values()) {
            if (s.wireName().equals(text)) {
                return s;
            }
        }
        throw new IllegalArgumentException("status must be pending, delivered or dead, got '" + text + "'");
    }
}
