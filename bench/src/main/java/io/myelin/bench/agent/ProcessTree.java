package io.myelin.bench.agent;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The processes a server runs for its agents, read from {@code /proc}: every descendant of the server's pid with
 * its state ({@code T} = stopped, i.e. frozen), resident memory and working directory (a devbox's workspace,
 * {@code <root>/<devbox id>}, names the devbox it belongs to). Linux only.
 */
public final class ProcessTree {
    /** One process; {@code cwd} null when it could not be read. */
    public record Proc(long pid, long ppid, char state, long rssKb, String comm, String cwd) {
        public boolean frozen() {
            return state == 'T' || state == 't';
        }
    }

    private ProcessTree() {}

    /** Every descendant of {@code root} (not {@code root} itself), at one instant as well as /proc allows. */
    public static List<Proc> descendants(long root) {
        Map<Long, List<Proc>> children = new HashMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path dir : dirs) {
                Proc p = read(dir);
                if (p != null) children.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        List<Proc> out = new ArrayList<>();
        Deque<Long> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            for (Proc c : children.getOrDefault(todo.pop(), List.of())) {
                out.add(c);
                todo.push(c.pid());
            }
        }
        return out;
    }

    /** Those of {@code procs} whose working directory is the workspace of {@code devboxId}. */
    public static List<Proc> ofDevbox(List<Proc> procs, String devboxId) {
        List<Proc> out = new ArrayList<>();
        for (Proc p : procs) if (p.cwd() != null && p.cwd().endsWith("/" + devboxId)) out.add(p);
        return out;
    }

    /**
     * Proportional set size ({@code Pss:} of {@code smaps_rollup}): resident memory with pages shared among N
     * processes counted 1/N each, so the sum over many agents of one binary does not count its code N times.
     * -1 when unreadable.
     */
    public static long pssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
                if (line.startsWith("Pss:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    public static long rssKb(long pid) {
        Proc p = read(Path.of("/proc", Long.toString(pid)));
        return p == null ? -1 : p.rssKb();
    }

    /** Threads of a process ({@code Threads:} of its status), -1 when unreadable. */
    public static long threads(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("Threads:")) return Long.parseLong(line.substring(8).trim());
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private static Proc read(Path dir) {
        try {
            String stat = Files.readString(dir.resolve("stat"));
            int open = stat.indexOf('(');
            int close = stat.lastIndexOf(')');
            String[] f = stat.substring(close + 2).trim().split("\\s+");
            // After the name: field 3 state, field 4 ppid, field 24 rss in pages.
            long rssPages = Long.parseLong(f[24 - 3]);
            String cwd;
            try {
                cwd = Files.readSymbolicLink(dir.resolve("cwd")).toString();
            } catch (IOException | SecurityException e) {
                cwd = null;
            }
            return new Proc(Long.parseLong(dir.getFileName().toString()), Long.parseLong(f[1]), f[0].charAt(0),
                    rssPages * 4, stat.substring(open + 1, close), cwd);
        } catch (IOException | RuntimeException e) {
            return null; // exited while we looked
        }
    }
}
