package io.myelin.bench.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads a server process's memory from outside: resident set size from {@code /proc}, and live
 * heap via {@code jcmd} after a full GC (so the figure is retained memory, not garbage that
 * happens not to be collected yet).
 */
public final class ServerProbe {
    private final long pid;
    private final Path jcmd;

    public ServerProbe(long pid, Path jcmd) {
        this.pid = pid;
        this.jcmd = jcmd;
    }

    /** The jcmd next to the java running the bench; a JDK 25 bench can attach to a JDK 25 server. */
    public static Path defaultJcmd() {
        return Path.of(System.getProperty("java.home"), "bin", "jcmd");
    }

    public MemorySnapshot snapshot() {
        long heapUsed = -1;
        long heapCommitted = -1;
        try {
            jcmd("GC.run");
            HeapInfoParser.Heap heap = HeapInfoParser.parse(jcmd("GC.heap_info"));
            heapUsed = heap.usedKb();
            heapCommitted = heap.committedKb();
        } catch (IOException e) {
            System.err.println("could not read the server heap with jcmd: " + e.getMessage());
        }
        return new MemorySnapshot(rssKb(), heapUsed, heapCommitted);
    }

    /**
     * The first {@code top} rows of {@code jcmd GC.class_histogram} (live objects only), to show
     * what the retained memory consists of; empty when jcmd cannot attach.
     */
    public String classHistogram(int top) {
        try {
            String[] lines = jcmd("GC.class_histogram").split("\n");
            StringBuilder b = new StringBuilder();
            // Output: "<pid>:", a header line, a dashed rule, then rows sorted by bytes.
            for (int i = 0; i < lines.length && i < top + 3; i++) b.append(lines[i]).append('\n');
            return b.toString();
        } catch (IOException e) {
            return "";
        }
    }

    public long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | NumberFormatException e) {
            System.err.println("could not read VmRSS of " + pid + ": " + e.getMessage());
        }
        return -1;
    }

    private String jcmd(String command) throws IOException {
        Process p = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), command))
                .redirectErrorStream(true)
                .start();
        // Drain the output before waiting, so a chatty jcmd can never block on a full pipe.
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("jcmd " + command + " timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (p.exitValue() != 0) throw new IOException("jcmd " + command + " exited " + p.exitValue() + ": " + out.strip());
        return out;
    }
}
