package io.myelin.axon;

import io.myelin.error.MyelinException;
import io.myelin.text.Utf8;
import java.util.Map;

/**
 * The rules for a metadata map, shared by everything that carries one (axons, devboxes): at most
 * {@code limits.max-metadata-keys} entries, each key following {@link MetadataKeys}, each value a string of at most
 * {@code limits.max-metadata-value-chars} characters of valid Unicode.
 */
public final class Metadata {
    private Metadata() {}

    /**
     * @param field the request field holding the map ({@code metadata})
     * @throws MyelinException 400 naming {@code field}, or {@code field.key} for one bad value
     */
    public static void check(Map<String, String> md, AxonLimits limits, String field) {
        if (md.size() > limits.maxMetadataKeys()) {
            throw MyelinException.invalid(field, field + " has " + md.size() + " keys; the limit is " + limits.maxMetadataKeys());
        }
        for (Map.Entry<String, String> e : md.entrySet()) {
            String k = e.getKey();
            MetadataKeys.check(k, limits.maxMetadataKeyChars(), field);
            if (e.getValue() == null) {
                throw MyelinException.invalid(field + "." + k, field + " values must be strings, got null");
            }
            if (e.getValue().length() > limits.maxMetadataValueChars()) {
                throw MyelinException.invalid(field + "." + k, field + " value is " + e.getValue().length()
                        + " characters; the limit is " + limits.maxMetadataValueChars());
            }
            Utf8.checkedLength(e.getValue(), field + "." + k);
        }
    }
}
