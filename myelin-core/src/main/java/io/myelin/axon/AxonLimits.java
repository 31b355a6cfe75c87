package io.myelin.axon;

/**
 * Limits on axon fields, enforced on create, update and list.
 *
 * @param maxNameChars          longest axon name
 * @param maxMetadataKeys       most metadata entries per axon
 * @param maxMetadataKeyChars   longest metadata key
 * @param maxMetadataValueChars longest metadata value
 * @param maxListLimit          largest page a list request may ask for
 * @param maxPageBytes          largest page, JSON-encoded: a page that would pass it ends early with has_more
 */
public record AxonLimits(int maxNameChars, int maxMetadataKeys, int maxMetadataKeyChars, int maxMetadataValueChars,
                         int maxListLimit, long maxPageBytes) {
    public static final AxonLimits DEFAULTS = new AxonLimits(256, 64, 256, 256, 5000, 8L << 20);
}
