package io.myelin.axonsql;

import io.myelin.text.Utf8;
import io.myelin.error.MyelinException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Turns caller-supplied parameter values (as Jackson decodes JSON, or as a Java caller passes them) into the
 * five things SQLite can bind: {@code null}, {@link Long}, {@link Double}, {@link String}, {@code byte[]}.
 *
 * <p>Accepted inputs: {@code null}; {@link Boolean} (bound as 1 or 0, SQLite has no boolean type); any
 * integral {@link Number} that fits in 64 bits; {@link Float}, {@link Double} and {@link BigDecimal} (bound
 * as REAL; non-finite values, and non-zero values that would round to 0, are refused); {@link String} (TEXT); {@code byte[]}; and the JSON blob form
 * {@code {"$blob": "<standard base64>"}} (BLOB). Anything else (arrays, other objects) is refused with a 400
 * naming the parameter, so that nothing reaches SQLite as an accidental {@code toString()}.
 */
final class SqlParams {

    static final String BLOB_KEY = "$blob";

    private SqlParams() {}

    /**
     * @param field the field holding the list, as the client spelled it: {@code params} or
     *              {@code statements[2].params}
     */
    static Object[] convert(List<Object> params, String field, SqlLimits limits) {
        if (params == null) {
            return new Object[0];
        }
        if (params.size() > limits.maxParams()) {
            throw MyelinException.invalid(field, field + " has " + params.size() + " values; the limit is "
                    + limits.maxParams() + " (sql.max-params)");
        }
        Object[] out = new Object[params.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = convertOne(params.get(i), field + "[" + i + "]", limits);
        }
        return out;
    }

    private static Object convertOne(Object v, String field, SqlLimits limits) {
        return switch (v) {
            case null -> null;
            case Boolean b -> b ? 1L : 0L;
            case Long l -> l;
            case Integer n -> n.longValue();
            case Short n -> n.longValue();
            case Byte n -> n.longValue();
            case BigInteger n -> {
                if (n.bitLength() > 63) {
                    throw MyelinException.invalid(field, field + " is an integer outside the 64-bit range SQLite"
                            + " stores: " + abbreviate(n.toString()));
                }
                yield n.longValue();
            }
            case Double d -> finite(d, field);
            case Float f -> finite(f.doubleValue(), field);
            case BigDecimal d -> representable(d, field);
            case String s -> {
                checkSize(Utf8.checkedLength(s, field), field, "text", limits);
                yield s;
            }
            case byte[] bytes -> {
                checkSize(bytes.length, field, "blob", limits);
                yield bytes;
            }
            case Map<?, ?> map -> blob(map, field, limits);
            case List<?> list -> throw MyelinException.invalid(field, field
                    + " is an array; parameters must be null, boolean, number, string or {\"$blob\": \"<base64>\"}");
            default -> throw MyelinException.invalid(field, field + " has unsupported type "
                    + v.getClass().getSimpleName() + "; parameters must be null, boolean, number, string or"
                    + " {\"$blob\": \"<base64>\"}");
        };
    }

    private static byte[] blob(Map<?, ?> map, String field, SqlLimits limits) {
        if (map.size() != 1 || !(map.get(BLOB_KEY) instanceof String encoded)) {
            throw MyelinException.invalid(field, field + " is an object; the only object form accepted is"
                    + " {\"$blob\": \"<base64>\"}, got keys " + abbreviate(map.keySet().toString()));
        }
        // Checked before decoding so a huge string is refused without allocating its decoded copy.
        if ((long) encoded.length() / 4 * 3 > (long) limits.maxValueBytes() + 3) {
            throw MyelinException.tooLarge(field, field + " blob is about " + (encoded.length() / 4 * 3)
                    + " bytes; values are limited to " + limits.maxValueBytes() + " bytes (sql.max-value-bytes)");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw MyelinException.invalid(field, field + ".$blob is not valid standard base64: " + e.getMessage());
        }
        checkSize(bytes.length, field, "blob", limits);
        return bytes;
    }

    private static Double finite(double d, String field) {
        if (!Double.isFinite(d)) {
            throw MyelinException.invalid(field, field + " is " + d + "; only finite numbers can be stored");
        }
        return d;
    }

    /** A decimal stored as REAL: refused when the double would be infinite, or 0 for a value that is not. */
    private static Double representable(BigDecimal d, String field) {
        double v = finite(d.doubleValue(), field);
        if (v == 0 && d.signum() != 0) {
            throw MyelinException.invalid(field, field + " is " + abbreviate(d.toString()) + ", too close to 0 for a"
                    + " REAL (it would be stored as 0); send it as a string");
        }
        return v;
    }

    private static void checkSize(long bytes, String field, String what, SqlLimits limits) {
        if (bytes > limits.maxValueBytes()) {
            throw MyelinException.tooLarge(field, field + " " + what + " is " + bytes + " bytes; values are limited"
                    + " to " + limits.maxValueBytes() + " bytes (sql.max-value-bytes)");
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }
}
