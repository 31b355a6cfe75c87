package io.myelin.bench.report;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table with right-aligned columns, for humans reading the console. */
public final class Table {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... headers) {
        this.headers = List.of(headers);
    }

    public Table row(Object... cells) {
        if (cells.length != headers.size()) throw new IllegalArgumentException("expected " + headers.size() + " cells");
        List<String> r = new ArrayList<>(cells.length);
        for (Object c : cells) r.add(format(c));
        rows.add(r);
        return this;
    }

    private static String format(Object c) {
        if (c instanceof Double d) {
            if (!Double.isFinite(d)) return "-";
            double a = Math.abs(d);
            if (a >= 1000) return String.format("%,.0f", d);
            if (a >= 10) return String.format("%.1f", d);
            return String.format("%.3f", d);
        }
        if (c instanceof Long || c instanceof Integer) return String.format("%,d", ((Number) c).longValue());
        return String.valueOf(c);
    }

    public void print(PrintStream out) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) widths[i] = headers.get(i).length();
        for (List<String> r : rows) for (int i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i], r.get(i).length());
        StringBuilder sep = new StringBuilder();
        for (int w : widths) sep.append("+").append("-".repeat(w + 2));
        sep.append("+");
        out.println(sep);
        out.println(line(headers, widths));
        out.println(sep);
        for (List<String> r : rows) out.println(line(r, widths));
        out.println(sep);
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            b.append("| ").append(" ".repeat(widths[i] - cells.get(i).length())).append(cells.get(i)).append(' ');
        }
        return b.append("|").toString();
    }
}
