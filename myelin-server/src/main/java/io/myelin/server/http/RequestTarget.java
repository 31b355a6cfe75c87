package io.myelin.server.http;

import io.myelin.error.MyelinException;
import io.myelin.text.Utf8;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.util.Fields;

/**
 * Strict decoding of the request target, done here from the raw path and query instead of by Jetty, whose decoders
 * are lenient in ways that matter: they strip {@code ;parameters} from path segments (so {@code DELETE /v1/axons/ID;x}
 * deleted ID behind a proxy rule on the exact path) and substitute U+FFFD for raw bytes that are not UTF-8.
 *
 * <p>Rules, each a 400 {@code invalid_request} naming the path or the query parameter: the target is ASCII (RFC
 * 3986; anything else must be percent-encoded); every {@code %} starts two hex digits; the percent-decoded bytes
 * are strict UTF-8 ({@link Utf8}); a path has no {@code ;} parameters, no {@code .} or {@code ..} segments, no
 * encoded {@code /} and no control characters. Stateless; safe from any thread.
 */
public final class RequestTarget {
    private RequestTarget() {}

    /**
     * The decoded path of a raw (still percent-encoded) path, e.g. {@code /v1/axons/axn_1}.
     *
     * @throws MyelinException 400 with field {@code path} when a rule above is broken
     */
    public static String path(String raw) {
        if (isPlain(raw)) {
            return raw;
        }
        if (raw.indexOf(';') >= 0) {
            throw MyelinException.invalid("path", "path parameters (';') are not accepted: '" + shorten(raw) + "'");
        }
        StringBuilder out = new StringBuilder(raw.length());
        int start = 0;
        while (start <= raw.length()) {
            int slash = raw.indexOf('/', start);
            int end = slash < 0 ? raw.length() : slash;
            String segment = decode(raw, start, end, false, "path", "path segment '" + shorten(raw.substring(start, end)) + "'");
            if (segment.equals(".") || segment.equals("..")) {
                throw MyelinException.invalid("path", "dot segments ('.', '..') are not accepted in the path: '" + shorten(raw) + "'");
            }
            if (segment.indexOf('/') >= 0) {
                throw MyelinException.invalid("path", "an encoded '/' (%2F) is not accepted in a path segment: '" + shorten(raw) + "'");
            }
            for (int i = 0; i < segment.length(); i++) {
                if (Character.isISOControl(segment.charAt(i))) {
                    throw MyelinException.invalid("path", "control character U+" + String.format("%04X", (int) segment.charAt(i))
                            + " in the path: '" + shorten(raw) + "'");
                }
            }
            out.append(segment);
            if (slash < 0) {
                break;
            }
            out.append('/');
            start = slash + 1;
        }
        return out.toString();
    }

    /** True for the usual path: visible ASCII without escapes, parameters or segments starting with a dot. */
    private static boolean isPlain(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '%' || c == ';' || (c == '.' && (i == 0 || raw.charAt(i - 1) == '/'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The parameters of a raw query string ({@code a=1&b=%C3%A9}), {@code +} read as a space; null or empty reads
     * as none. Each parameter may be given once: {@code limit=5000&limit=abc} is refused rather than read first-wins,
     * since a proxy or cache that reads the last one would see another request than the server.
     *
     * @throws MyelinException 400 naming the parameter (or {@code query} when its name cannot be decoded)
     */
    public static Fields query(String raw) {
        Fields fields = new Fields(true);
        if (raw == null || raw.isEmpty()) {
            return fields;
        }
        int start = 0;
        while (start <= raw.length()) {
            int amp = raw.indexOf('&', start);
            int end = amp < 0 ? raw.length() : amp;
            if (end > start) {
                int eq = raw.indexOf('=', start);
                int nameEnd = eq < 0 || eq > end ? end : eq;
                String name = decode(raw, start, nameEnd, true, "query",
                        "query parameter name '" + shorten(raw.substring(start, nameEnd)) + "'");
                String value = nameEnd == end ? "" : decode(raw, nameEnd + 1, end, true, name, "query parameter " + name);
                if (fields.get(name) != null) {
                    throw MyelinException.invalid(name, "query parameter " + name + " is given more than once; give it once");
                }
                fields.add(name, value);
            }
            if (amp < 0) {
                break;
            }
            start = amp + 1;
        }
        return fields;
    }

    private static String decode(String raw, int from, int to, boolean plusIsSpace, String field, String what) {
        boolean plain = true;
        for (int i = from; i < to; i++) {
            char c = raw.charAt(i);
            if (c >= 0x80 || c < 0x20 || c == 0x7f) {
                throw MyelinException.invalid(field, what + " holds the raw character U+" + String.format("%04X", (int) c)
                        + "; a request target is ASCII, so anything else must be percent-encoded as UTF-8");
            }
            plain &= c != '%' && !(plusIsSpace && c == '+');
        }
        if (plain) {
            return raw.substring(from, to);
        }
        byte[] bytes = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = i + 2 < to ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (lo < 0) {
                    throw MyelinException.invalid(field, what + " has a malformed percent-escape '"
                            + raw.substring(i, Math.min(to, i + 3)) + "' at character " + (i - from) + "; '%' must be followed by two hex digits");
                }
                bytes[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else {
                bytes[n++] = (byte) (plusIsSpace && c == '+' ? ' ' : c);
            }
        }
        Utf8.Malformed bad = Utf8.firstMalformed(bytes, 0, n);
        if (bad != null) {
            throw MyelinException.invalid(field, what + " is not valid UTF-8 once percent-decoded: " + bad);
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    private static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
