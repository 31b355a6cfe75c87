package io.myelin.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.error.MyelinException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Typed reads of JSON request fields; a wrong type is a 400 that names the field and the type it needs. */
public final class Bodies {
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

    public static String describe(JsonNode v) {
        return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
