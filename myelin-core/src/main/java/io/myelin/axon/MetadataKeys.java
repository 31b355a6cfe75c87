package io.myelin.axon;

import io.myelin.error.MyelinException;
import io.myelin.text.Utf8;

/**
 * The one rule for metadata keys, applied where keys are stored (create, update) and where they are filtered on
 * (list), so every key that can be stored can be filtered on and a filter that could match nothing stored is
 * refused instead of answered empty: 1..{@code limits.max-metadata-key-chars} characters, valid Unicode (no
 * unpaired surrogate), no control character (U+0000-U+001F, U+007F-U+009F: they cannot be shown, logged or put in a
 * JSON path safely).
 */
final class MetadataKeys {
    private MetadataKeys() {}

    /** @throws MyelinException 400 naming {@code field} when {@code key} breaks the rule */
    static void check(String key, int maxChars, String field) {
        if (key.isEmpty() || key.length() > maxChars) {
            throw MyelinException.invalid(field, "metadata key must be 1.." + maxChars
                    + " characters (limits.max-metadata-key-chars), got " + key.length());
        }
        Utf8.checkedLength(key, field);
        for (int i = 0; i < key.length(); i++) {
            if (Character.isISOControl(key.charAt(i))) {
                throw MyelinException.invalid(field, "metadata key holds control character U+"
                        + String.format("%04X", (int) key.charAt(i)) + " at character " + i
                        + "; keys are printable text");
            }
        }
    }
}
