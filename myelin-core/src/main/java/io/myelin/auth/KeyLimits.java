package io.myelin.auth;

import java.time.Duration;

/**
 * The limits on API keys ({@code keys.*} settings; README "API keys and scopes").
 *
 * @param maxKeys          keys that may work at once (not revoked, not expired), the bootstrap admin key included
 * @param maxAxonIds       the most axons one key may be limited to
 * @param rotationGrace    how long a rotated key's previous secret keeps working when the rotation names no
 *                         {@code grace_ms}
 * @param maxRotationGrace the longest {@code grace_ms} of a rotation
 * @param maxPageBytes     about how many bytes one list page may hold (a page is cut short, with {@code has_more})
 * @param maxListLimit     the largest {@code limit} of a list page
 */
public record KeyLimits(int maxKeys, int maxAxonIds, Duration rotationGrace, Duration maxRotationGrace,
                        long maxPageBytes, int maxListLimit) {
    /** The longest key {@code name} and axon id in {@code axon_ids}, in characters. */
    public static final int MAX_NAME_CHARS = 128;

    public static final KeyLimits DEFAULTS = new KeyLimits(10_000, 1000, Duration.ofHours(1), Duration.ofDays(30),
            8L << 20, 1000);

    public KeyLimits {
        if (rotationGrace.isNegative() || rotationGrace.compareTo(maxRotationGrace) > 0) {
            throw new IllegalArgumentException("keys.rotation-grace must be between 0 and keys.max-rotation-grace");
        }
    }
}
