package io.myelin.bench.intent;

/** Reads one unlabelled sample out of a Prometheus text exposition ({@code name value} lines). */
public final class MetricsText {
    private MetricsText() {}

    /**
     * The value of the sample {@code name} without labels.
     *
     * @throws IllegalStateException when the text has no such sample
     */
    public static double value(String text, String name) {
        for (String line : text.split("\n")) {
            if (line.startsWith(name) && line.length() > name.length() && line.charAt(name.length()) == ' ') {
                return Double.parseDouble(line.substring(name.length() + 1).trim().split(" ")[0]);
            }
        }
        throw new IllegalStateException("no sample " + name + " in /metrics");
    }
}
