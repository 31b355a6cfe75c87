package io.myelin.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.error.MyelinException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Typed reads of JSON request fields; a wrong type is a 400 that names the field and the type it needs. */
public final class Bodies {
    private static final int MAX_WHOLE_DIGITS = 18;

    private Bodies() {}

    /** A string field; null when absent or JSON null (unless required). */
    public static String string(JsonNode obj, String field, String prefix, boolean required) {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw MyelinException.invalid(prefix + field, field + " is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw MyelinException.invalid(prefix + field, field + " must be a string, got " + describe(v));
        }
        return v.textValue();
    }

    /** A string-to-string map field; null when absent or JSON null. */
    public static Map<String, String> stringMap(JsonNode obj, String field) {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw MyelinException.invalid(field, field + " must be an object of strings, got " + describe(v));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw MyelinException.invalid(field + "." + e.getKey(), field + " values must be strings, got "
                        + describe(e.getValue()) + " for key '" + e.getKey() + "'");
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return out;
    }

    /** A whole number of at most 18 digits; null when absent or JSON null. */
    public static Long wholeNumber(JsonNode obj, String field, String prefix) {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || v.asText().length() > MAX_WHOLE_DIGITS) {
            throw MyelinException.invalid(prefix + field, field + " must be a whole number of at most "
                    + MAX_WHOLE_DIGITS + " digits, got " + (v.isNumber() ? v.asText() : describe(v)));
        }
        return v.longValue();
    }

    /**
     * Refuses, with 422 naming it, the first member of {@code obj} not in {@code known}: a field the server would
     * ignore (a typo, a field of another version) must not pass silently.
     */
    public static void onlyFields(JsonNode obj, String what, java.util.Set<String> known) {
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw new MyelinException(io.myelin.error.ErrorKind.UNPROCESSABLE, f, f + ": unknown field: " + what
                        + " takes " + String.join(", ", new java.util.TreeSet<>(known)));
            }
        }
    }

    public static String describe(JsonNode v) {
        return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
