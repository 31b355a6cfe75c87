package io.myelin.devbox;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The environment variable names an operator lets clients set in a devbox's {@code environment_variables}
 * ({@code devboxes.allowed-environment}, a blueprint's {@code allowed-environment}). A variable is code as much as a
 * command is ({@code NODE_OPTIONS}, {@code LD_PRELOAD}, {@code PATH}, {@code BASH_ENV} make the agent run whatever
 * they name), so only the operator decides which ones a client may pass.
 *
 * <p>Each entry is a name ({@code ANTHROPIC_API_KEY}) or a glob in which {@code *} stands for any run of characters
 * ({@code OPENAI_*}; {@code *} alone allows every name). Matching is exact and case-sensitive, as the process
 * environment is. Names starting with {@code MYELIN_} are never allowed, whatever the entries say.
 *
 * @param patterns the entries as the operator wrote them, in order (may be empty: no name allowed)
 */
public record EnvironmentNames(List<String> patterns) {
    /** Allows nothing: the default. */
    public static final EnvironmentNames NONE = new EnvironmentNames(List.of());
    private static final Pattern ENTRY = Pattern.compile("[A-Za-z_*][A-Za-z0-9_*]*");

    /** @throws IllegalArgumentException naming an entry that is not a name or glob, or that names MYELIN_ variables */
    public EnvironmentNames {
        patterns = List.copyOf(patterns);
        for (String p : patterns) {
            if (p.length() > SpecValidator.MAX_VARIABLE_NAME_CHARS || !ENTRY.matcher(p).matches()) {
                throw new IllegalArgumentException("'" + p + "' is not an environment variable name or a glob of one"
                        + " (letters, digits, '_' and '*', not starting with a digit)");
            }
            if (p.toUpperCase(Locale.ROOT).startsWith(DevboxEnvironment.RESERVED_PREFIX)) {
                throw new IllegalArgumentException("'" + p + "': variables starting with "
                        + DevboxEnvironment.RESERVED_PREFIX + " are Myelin's own and never set by clients");
            }
        }
    }

    /** Whether a client may set the variable {@code name} (a syntactically valid name). */
    public boolean allows(String name) {
        if (name.toUpperCase(Locale.ROOT).startsWith(DevboxEnvironment.RESERVED_PREFIX)) {
            return false;
        }
        for (String p : patterns) {
            if (glob(p, name)) {
                return true;
            }
        }
        return false;
    }

    /** The entries for a message: comma-separated, or {@code none}. */
    public String describe() {
        return patterns.isEmpty() ? "none" : String.join(", ", patterns);
    }

    /** {@code *} matches any run of characters (also none); everything else matches itself. */
    private static boolean glob(String pattern, String name) {
        int p = 0;
        int n = 0;
        int star = -1;
        int resume = 0;
        while (n < name.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = n;
            } else if (p < pattern.length() && pattern.charAt(p) == name.charAt(n)) {
                p++;
                n++;
            } else if (star >= 0) {
                p = star + 1;
                n = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
