package io.myelin.devbox;


/**
 * Devbox identifiers in Runloop's style: {@code dbx_} followed by 26 characters of lower-case base32 (RFC 4648
 * alphabet) carrying 130 random bits ({@link io.myelin.axon.AxonIds#next(String)}), like axon ids. Opaque, URL-safe, unguessable, and
 * usable as a directory name (the workspace is named after it).
 */
public final class DevboxIds {
    static final String PREFIX = "dbx_";
    static final int RANDOM_CHARS = 26;

    private DevboxIds() {}

    public static String next() {
        return io.myelin.axon.AxonIds.next(PREFIX);
    }

    /** True for a string of the shape {@link #next} makes: safe as a file name. */
    public static boolean wellFormed(String id) {
        if (id == null || id.length() != PREFIX.length() + RANDOM_CHARS || !id.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= 'a' && c <= 'z') && !(c >= '2' && c <= '7')) {
                return false;
            }
        }
        return true;
    }
}
