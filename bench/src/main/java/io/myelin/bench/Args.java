package io.myelin.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value}, {@code --name=value} and bare {@code --flag} options. Every lookup
 * marks the option as known so that {@link #rejectUnknown()} can catch typos, which would
 * otherwise silently run a benchmark with default settings.
 */
public final class Args {
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> used = new HashSet<>();

    public Args(List<String> argv) {
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (!a.startsWith("--")) throw new IllegalArgumentException("unexpected argument: " + a);
            String name = a.substring(2);
            int eq = name.indexOf('=');
            if (eq >= 0) {
                values.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (i + 1 < argv.size() && !argv.get(i + 1).startsWith("--")) {
                values.put(name, argv.get(++i));
            } else {
                values.put(name, "true");
            }
        }
    }

    public String string(String name, String fallback) {
        used.add(name);
        return values.getOrDefault(name, fallback);
    }

    public int integer(String name, int fallback) {
        String v = string(name, null);
        return v == null ? fallback : Integer.parseInt(v.replace("_", ""));
    }

    public long longValue(String name, long fallback) {
        String v = string(name, null);
        return v == null ? fallback : Long.parseLong(v.replace("_", ""));
    }

    public boolean flag(String name) {
        return Boolean.parseBoolean(string(name, "false"));
    }

    /** A comma-separated list such as {@code 1,16,64}. */
    public List<Integer> intList(String name, String fallback) {
        List<Integer> out = new ArrayList<>();
        for (String part : string(name, fallback).split(",")) {
            if (!part.isBlank()) out.add(Integer.parseInt(part.trim()));
        }
        if (out.isEmpty()) throw new IllegalArgumentException("--" + name + " needs at least one value");
        return out;
    }

    /** Seconds as a plain number, or with an {@code ms}/{@code s}/{@code m} suffix. */
    public Duration duration(String name, String fallback) {
        return parseDuration(string(name, fallback));
    }

    /** Parses what {@link #duration} accepts. */
    public static Duration parseDuration(String v) {
        v = v.trim();
        if (v.endsWith("ms")) return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        if (v.endsWith("s")) return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
        if (v.endsWith("m")) return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
        return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
    }

    public void rejectUnknown() {
        Set<String> unknown = new HashSet<>(values.keySet());
        unknown.removeAll(used);
        if (!unknown.isEmpty()) throw new IllegalArgumentException("unknown option(s): --" + String.join(", --", unknown));
    }
}
