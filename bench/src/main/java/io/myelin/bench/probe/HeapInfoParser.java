package io.myelin.bench.probe;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads used/committed heap from {@code jcmd <pid> GC.heap_info} output. Only the first line
 * that describes the heap as a whole is used (G1: "garbage-first heap ... committed NK, used NK";
 * Serial/Parallel list generations, ZGC prints "used NM, capacity NM"): the other lines are
 * regions, generations or metaspace.
 */
public final class HeapInfoParser {
    private static final Pattern USED = Pattern.compile("used\\s+(\\d+)([KMG])");
    private static final Pattern COMMITTED = Pattern.compile("(?:committed|capacity)\\s+(\\d+)([KMG])");

    private HeapInfoParser() {}

    public record Heap(long usedKb, long committedKb) {}

    public static Heap parse(String output) {
        for (String line : output.split("\n")) {
            String lower = line.toLowerCase(java.util.Locale.ROOT);
            if (!lower.contains("heap") || lower.contains("metaspace")) continue;
            Matcher used = USED.matcher(line);
            if (!used.find()) continue;
            Matcher committed = COMMITTED.matcher(line);
            long committedKb = committed.find() ? kb(committed.group(1), committed.group(2)) : -1;
            return new Heap(kb(used.group(1), used.group(2)), committedKb);
        }
        return sumGenerations(output);
    }

    /** Serial and Parallel collectors: add up the young and old generation lines. */
    private static Heap sumGenerations(String output) {
        long used = 0;
        long committed = 0;
        boolean any = false;
        for (String line : output.split("\n")) {
            String lower = line.toLowerCase(java.util.Locale.ROOT);
            if (!(lower.contains("gen") && lower.contains("total"))) continue;
            Matcher u = USED.matcher(line);
            Matcher t = Pattern.compile("total\\s+(\\d+)([KMG])").matcher(line);
            if (u.find()) {
                used += kb(u.group(1), u.group(2));
                any = true;
            }
            if (t.find()) committed += kb(t.group(1), t.group(2));
        }
        return any ? new Heap(used, committed) : new Heap(-1, -1);
    }

    private static long kb(String number, String unit) {
        long n = Long.parseLong(number);
        return switch (unit) {
            case "M" -> n * 1024;
            case "G" -> n * 1024 * 1024;
            default -> n;
        };
    }
}
