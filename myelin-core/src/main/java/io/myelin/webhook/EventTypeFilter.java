package io.myelin.webhook;

import io.myelin.error.MyelinException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The event types a webhook receives, compiled from its patterns: exact names ({@code intent.resolved}), prefixes
 * ({@code intent.*}: every type that starts with {@code intent.}) and {@code *} (every type). Matching costs a hash
 * lookup plus one {@code startsWith} per prefix. Immutable, so thread-safe.
 */
public final class EventTypeFilter {
    private final boolean all;
    private final Set<String> exact = new HashSet<>();
    private final String[] prefixes;

    private EventTypeFilter(List<String> patterns) {
        boolean any = false;
        List<String> starts = new java.util.ArrayList<>();
        for (String p : patterns) {
            if (p.equals("*")) {
                any = true;
            } else if (p.endsWith(".*")) {
                starts.add(p.substring(0, p.length() - 1));
            } else {
                exact.add(p);
            }
        }
        this.all = any;
        this.prefixes = starts.toArray(String[]::new);
    }

    /** Compiles patterns already {@link #check checked}. */
    public static EventTypeFilter of(List<String> patterns) {
        return new EventTypeFilter(patterns);
    }

    public boolean matches(String eventType) {
        if (all || exact.contains(eventType)) {
            return true;
        }
        for (String p : prefixes) {
            if (eventType.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks a webhook's {@code event_types}: 1 to {@link WebhookOptions#MAX_EVENT_TYPES} distinct patterns, each
     * {@code *}, or a name of at most {@code maxChars} characters (an event type's limit) with no {@code *} except a
     * final {@code .*}, and no whitespace or control characters.
     *
     * @throws MyelinException 400 naming {@code event_types} or {@code event_types[i]}
     */
    public static void check(List<String> patterns, int maxChars) {
        if (patterns.isEmpty() || patterns.size() > WebhookOptions.MAX_EVENT_TYPES) {
            throw MyelinException.invalid("event_types", "event_types must list 1 to " + WebhookOptions.MAX_EVENT_TYPES
                    + " patterns, got " + patterns.size());
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < patterns.size(); i++) {
            String field = "event_types[" + i + "]";
            String p = patterns.get(i);
            if (!seen.add(p)) {
                throw MyelinException.invalid(field, field + " repeats '" + p + "'");
            }
            if (p.isEmpty() || p.length() > maxChars) {
                throw MyelinException.invalid(field, field + " must be 1 to " + maxChars + " characters, got "
                        + p.length());
            }
            for (int c = 0; c < p.length(); c++) {
                if (Character.isWhitespace(p.charAt(c)) || Character.isISOControl(p.charAt(c))) {
                    throw MyelinException.invalid(field, field + " holds whitespace or a control character at " + c);
                }
            }
            int star = p.indexOf('*');
            boolean wellPlaced = star < 0 || p.equals("*") || (star == p.length() - 1 && p.endsWith(".*")
                    && p.length() > 2);
            if (!wellPlaced) {
                throw MyelinException.invalid(field, field + " is '" + p + "': a pattern is an exact event type, a"
                        + " prefix ending in '.*' (e.g. 'intent.*'), or '*'");
            }
        }
    }
}
